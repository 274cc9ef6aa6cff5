/** The built API run as a child process (production mode), for the deploy tests. */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { freePort } from '../browser/support/free-port';
import { REPO_ROOT } from './built-api';

export const ADMIN = { email: 'admin@velora.shutdown', password: 'shutdown-Admin-Pa55word' } as const;

/** The built API as a child process (production mode) on the test PostgreSQL; stdout kept for the asserts. */
export class ApiChild {
  readonly port: Promise<number> = freePort();
  readonly metricsPort: Promise<number> = freePort();
  private child: ChildProcess | null = null;
  private output = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private resolveExit: (v: { code: number | null; signal: NodeJS.Signals | null }) => void = () => undefined;

  constructor(private readonly env: Record<string, string>) {
    this.exited = new Promise((resolve) => (this.resolveExit = resolve));
  }

  get log(): string {
    return this.output;
  }

  async start(main: string): Promise<void> {
    const child = spawn(process.execPath, [main], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env['PATH'] ?? '',
        TZ: 'UTC',
        NODE_ENV: 'production',
        LOG_FORMAT: 'json',
        HOST: '127.0.0.1',
        PORT: String(await this.port),
        METRICS_PORT: String(await this.metricsPort),
        AUTH_JWT_SECRET: randomBytes(48).toString('base64'),
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
        ...this.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout.on('data', (chunk: Buffer) => (this.output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (this.output += chunk.toString('utf8')));
    child.on('exit', (code, signal) => {
      this.resolveExit({ code, signal });
    });
    await eventually('the API to answer /api/health/ready', async () => (await fetch(`${await this.url()}/api/health/ready`)).ok || undefined, 60_000, () => this.output);
  }

  async url(): Promise<string> {
    return `http://127.0.0.1:${String(await this.port)}`;
  }

  /** The child's process id (the sync lease owner names it), once started. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  signal(signal: NodeJS.Signals): void {
    this.child?.kill(signal);
  }

  kill(): void {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  /** Requests the main port is serving right now (read from the metrics listener). */
  async inFlight(): Promise<number> {
    const text = await (await fetch(`http://127.0.0.1:${String(await this.metricsPort)}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith('velora_http_requests_in_flight '));
    return Number(line?.split(' ')[1] ?? 'NaN');
  }

  /** Signs in as the first admin: the cookie header and the CSRF token. */
  async signIn(): Promise<{ cookie: string; csrf: string }> {
    const res = await fetch(`${await this.url()}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
    if (!res.ok) throw new Error(`login failed: ${String(res.status)}`);
    const body = (await res.json()) as { csrf_token: string };
    const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    return { cookie, csrf: body.csrf_token };
  }
}

export async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 20_000, context: () => string = () => ''): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = null;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error: unknown) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}\n${context()}`);
}

/** Resolves 'refused' when a TCP connection to the port is refused, 'accepted' when it opens. */
export function tryConnect(port: number): Promise<'accepted' | 'refused'> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('accepted');
    });
    socket.once('error', () => {
      resolve('refused');
    });
  });
}
