import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { configureApp } from '../../apps/api/src/app.factory';
import { AppModule } from '../../apps/api/src/app.module';
import { AppSettingsRepository } from '../../apps/api/src/auth/app-settings.repository';
import { AuthService } from '../../apps/api/src/auth/auth.service';
import type { AuthContext, Role } from '../../apps/api/src/auth/auth.types';
import { UsersRepository } from '../../apps/api/src/auth/users.repository';
import { UsersService } from '../../apps/api/src/auth/users.service';
import { Clock } from '../../apps/api/src/common/clock';
import { AppConfig } from '../../apps/api/src/config/app-config';
import { createRootLogger } from '../../apps/api/src/logging/logger.factory';
import { PinoNestLogger } from '../../apps/api/src/logging/pino-nest.logger';
import { CapturingLogStream } from './capturing-logger';
import { migratedMemoryTemplate } from './pglite-template';
import { MEMORY_DATABASE_URL } from '../../apps/api/src/database/database-url';
import { DATABASE_MODULE_OPTIONS, type DatabaseModuleOptions } from '../../apps/api/src/database/database.module-definition';
import { LeakRecorder, type Secret, secretsOfEnv } from './leak-recorder';

export type TestAgent = ReturnType<typeof request.agent>;

export interface TestUser {
  id: string;
  email: string;
  password: string;
  role: Role;
  /** An API token of the user (`vlr_…`). */
  token: string;
}

export interface TestSession {
  /** Carries the session cookies (velora_session, velora_csrf). */
  agent: TestAgent;
  /** The velora_csrf value: send it as X-CSRF-Token on POST/PUT/PATCH/DELETE. */
  csrf: string;
}

export interface TestApp {
  app: INestApplication;
  config: AppConfig;
  /** Every log line of the app (Nest and request logs, after redaction). */
  logs: CapturingLogStream;
  /** Requests as the seeded admin (Authorization: Bearer API token). */
  http(): TestAgent;
  /** Requests as the seeded admin or agent (Bearer API token). */
  as(role: Role): TestAgent;
  /** Requests without credentials. */
  anonymous(): TestAgent;
  /** Signs in through POST /api/auth/login (a cookie session, like the web app). */
  login(role: Role): Promise<TestSession>;
  /** The seeded users (empty when started with `seedUsers: false`). */
  users: Partial<Record<Role, TestUser>>;
  /** Every response the app sent (for the secrets check that close() runs). */
  recorder: LeakRecorder;
  /** Closes the app, then fails if a configured secret or a seeded user's password appeared in a response or log line. */
  close(): Promise<void>;
}

export const TEST_ADMIN = { email: 'admin@velora.test', password: 'e2e-Admin-Passw0rd-9f3c' } as const;
export const TEST_AGENT = { email: 'agent@velora.test', password: 'e2e-Agent-Passw0rd-7d21' } as const;

/** Defaults that keep tests quiet and deterministic; each test passes what it is about. */
const TEST_ENV: Record<string, string> = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'debug',
  SIPPY_SIMULATOR: 'off',
  ISSABEL_SIMULATOR: 'off',
  ELEVENLABS_SIMULATOR: 'off',
  ISSABEL_HEALTH_CACHE_SECONDS: '0',
  ELEVENLABS_HEALTH_CACHE_SECONDS: '0',
  SIPPY_SYNC_ENABLED: 'false',
  SIPPY_TIMEOUT_MS: '3000',
  SIPPY_HEALTH_CACHE_SECONDS: '0',
  ADMIN_EMAIL: TEST_ADMIN.email,
  ADMIN_PASSWORD: TEST_ADMIN.password,
  // rate limits are the subject of test/api/auth.e2e-spec.ts only
  AUTH_LOGIN_RATE_LIMIT: '1000',
  SIPPY_TEST_RATE_LIMIT: '1000',
  // no background health probes: tests count the requests their simulators see (test/api/events.e2e-spec.ts turns it on)
  EVENTS_INTEGRATION_CHECK_SECONDS: '0',
};

export interface StartTestAppOptions {
  clock?: Clock;
  /** More secrets the close() check looks for (e.g. a password a test sends in a request body). */
  secrets?: Secret[];
  /** Create the agent and API tokens for both users (default true; the admin comes from ADMIN_EMAIL/ADMIN_PASSWORD). */
  seedUsers?: boolean;
}

/**
 * Boots the real application (same module graph and pipes/filters/guards as production) on a test database,
 * optionally with a FakeClock shared with the simulator. Seeds an admin (first-start bootstrap from
 * ADMIN_EMAIL/ADMIN_PASSWORD) and an agent, each with an API token.
 */
export async function startTestApp(env: Record<string, string | undefined>, options: StartTestAppOptions = {}): Promise<TestApp> {
  const fullEnv = { ...TEST_ENV, ...env };
  const config = AppConfig.fromEnv(fullEnv);
  let builder = Test.createTestingModule({ imports: [AppModule.forRoot(config, { serveWeb: false })] });
  if (config.database.url === MEMORY_DATABASE_URL) {
    // start from a migrated snapshot instead of an empty cluster (same migrations, seconds faster)
    builder = builder.overrideProvider(DATABASE_MODULE_OPTIONS).useValue({
      url: config.database.url,
      dataDir: config.database.dataDir,
      memoryTemplate: await migratedMemoryTemplate(),
    } satisfies DatabaseModuleOptions);
  }
  if (options.clock) {
    builder = builder.overrideProvider(Clock).useValue(options.clock);
  }
  const moduleRef = await builder.compile();
  const logs = new CapturingLogStream();
  const logger = createRootLogger(config, logs);
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: new PinoNestLogger(logger) });
  configureApp(app, config, logger);
  const recorder = new LeakRecorder();
  recorder.attach(app.getHttpServer());
  await app.init();

  const users: Partial<Record<Role, TestUser>> = {};
  if (options.seedUsers ?? true) {
    users.admin = await seedUser(
      app,
      'admin',
      config.auth.initialAdmin.email ?? TEST_ADMIN.email,
      config.auth.initialAdmin.password ?? TEST_ADMIN.password,
    );
    users.agent = await seedUser(app, 'agent', TEST_AGENT.email, TEST_AGENT.password);
  }
  const server = app.getHttpServer();
  const as = (role: Role): TestAgent => {
    const user = users[role];
    if (user === undefined) throw new Error(`startTestApp: no seeded ${role} (seedUsers: false)`);
    return request.agent(server).set('Authorization', `Bearer ${user.token}`);
  };
  return {
    app,
    config,
    logs,
    users,
    http: () => as('admin'),
    as,
    anonymous: () => request.agent(server),
    login: async (role) => {
      const user = users[role];
      if (user === undefined) throw new Error(`startTestApp: no seeded ${role} (seedUsers: false)`);
      const agent = request.agent(server);
      const res = await agent.post('/api/auth/login').send({ email: user.email, password: user.password });
      if (res.status !== 200) throw new Error(`login as ${role} failed: ${res.status} ${JSON.stringify(res.body)}`);
      return { agent, csrf: (res.body as { csrf_token: string }).csrf_token };
    },
    recorder,
    close: async () => {
      // keys generated on the first start and kept in the database are secrets too
      const generated = await generatedKeys(app);
      await app.close();
      const secrets = [
        ...generated,
        ...secretsOfEnv(fullEnv),
        ...Object.values(users).flatMap((u) => [
          { name: `the ${u.role} password`, value: u.password },
          { name: `the ${u.role} API token`, value: u.token },
        ]),
        ...(options.secrets ?? []),
      ];
      const leaks = recorder.findLeaks(secrets, logs.lines);
      if (leaks.length > 0) {
        throw new Error(
          `Secrets leaked during this test app's run (${recorder.responses.length} responses, ${logs.lines.length} log lines checked):\n- ${leaks.join('\n- ')}`,
        );
      }
    },
  };
}

/** The session key and the settings encryption key that the app generated into app_settings (when it did). */
async function generatedKeys(app: INestApplication): Promise<Secret[]> {
  const settings = app.get(AppSettingsRepository);
  const keys: Secret[] = [];
  for (const [key, name] of [
    ['auth.jwt_secret', 'the generated session key'],
    ['settings.encryption_key', 'the generated settings encryption key'],
  ] as const) {
    const value = await settings.get<unknown>(key).catch(() => undefined);
    if (typeof value === 'string') keys.push({ name, value });
  }
  return keys;
}

async function seedUser(app: INestApplication, role: Role, email: string, password: string): Promise<TestUser> {
  const repository = app.get(UsersRepository);
  let row = await repository.findByEmail(email);
  if (row === undefined) {
    await app.get(UsersService).create({ email, password, role, mustChangePassword: false }, null);
    row = await repository.findByEmail(email);
  }
  if (row === undefined || row.role !== role) throw new Error(`cannot seed the ${role} ${email}`);
  const context: AuthContext = {
    userId: row.id,
    email: row.email,
    role,
    displayName: row.display_name,
    mustChangePassword: false,
    via: 'token',
  };
  const { token } = await app.get(AuthService).createToken(context, `e2e ${role}`, undefined, null);
  return { id: row.id, email: row.email, password, role, token };
}

/** Serves the test app on a free loopback port (for clients that need a real socket, e.g. event streams); its base URL. */
export async function listenOnLoopback(api: TestApp): Promise<string> {
  const app = api.app as NestExpressApplication;
  await app.listen(0, '127.0.0.1');
  return (await app.getUrl()).replace('[::1]', '127.0.0.1');
}
