import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { configureApp } from '../../apps/api/src/app.factory';
import { AppModule } from '../../apps/api/src/app.module';
import { Clock } from '../../apps/api/src/common/clock';
import { AppConfig } from '../../apps/api/src/config/app-config';
import { CapturingLogger } from './capturing-logger';

export interface TestApp {
  app: INestApplication;
  config: AppConfig;
  logs: CapturingLogger;
  http(): ReturnType<typeof request>;
  close(): Promise<void>;
}

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
};

/**
 * Boots the real application (same module graph and pipes/filters as production) on a test database,
 * optionally with a FakeClock shared with the simulator.
 */
export async function startTestApp(env: Record<string, string | undefined>, options: { clock?: Clock } = {}): Promise<TestApp> {
  const config = AppConfig.fromEnv({ ...TEST_ENV, ...env });
  let builder = Test.createTestingModule({ imports: [AppModule.forRoot(config, { serveWeb: false })] });
  if (options.clock) {
    builder = builder.overrideProvider(Clock).useValue(options.clock);
  }
  const moduleRef = await builder.compile();
  const logs = new CapturingLogger();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: logs });
  configureApp(app, config);
  await app.init();
  return {
    app,
    config,
    logs,
    http: () => request(app.getHttpServer()),
    close: () => app.close(),
  };
}
