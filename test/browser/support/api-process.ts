import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { freePort } from './free-port';

export const REPO_ROOT = resolve(__dirname, '../../..');
/** The built API entry; `VELORA_E2E_API_MAIN` points elsewhere (e.g. a second build) when needed. */
export const API_MAIN = resolve(REPO_ROOT, process.env['VELORA_E2E_API_MAIN'] ?? 'dist/apps/api/src/main.js');
export const WEB_INDEX = resolve(REPO_ROOT, 'dist/apps/web/browser/index.html');

/** The admin the spawned API creates on its first start (ADMIN_EMAIL/ADMIN_PASSWORD); the harness signs in as it. */
export const E2E_ADMIN = { email: 'admin@velora.e2e', password: 'e2e-Browser-Admin-Pa55' } as const;

export interface SessionCookie {
  readonly name: string;
  readonly value: string;
}

export interface ApiProcessOptions {
  readonly sippyUrl: string;
  readonly sippyUser: string;
  readonly sippyPass: string;
  /** Extra environment (overrides). */
  readonly env?: Readonly<Record<string, string>>;
  readonly startTimeoutMs?: number;
}

/**
 * The built Velora API (`node dist/apps/api/src/main.js`) as a child process on a free port, with an
 * in-memory database and the given Sippy endpoint, syncing every second. Output is kept in memory
 * and shown only when something fails (it could contain URLs, never our test passwords: the API
 * must not log them, and `output()` is checked for that by the specs).
 */
export class ApiProcess {
  private child: ChildProcess | null = null;
  private readonly lines: string[] = [];
  private exitInfo: string | null = null;
  port = 0;
  /** The session key of this run (fresh per process); a secret the leak check looks for. */
  readonly jwtSecret = randomBytes(48).toString('base64');
  /** The admin session (velora_session, velora_csrf) from POST /api/auth/login, set by start(). */
  sessionCookies: SessionCookie[] = [];

  constructor(private readonly options: ApiProcessOptions) {}

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** `Cookie` header of the admin session, for the harness's own fetch() calls. */
  get cookieHeader(): string {
    return this.sessionCookies.map((c) => `${c.name}=${c.value}`).join('; ');
  }

  /** fetch() against the API as the signed-in admin. */
  fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set('cookie', this.cookieHeader);
    return fetch(`${this.baseUrl}${path}`, { ...init, headers });
  }

  output(): string {
    return this.lines.join('');
  }

  async start(): Promise<void> {
    for (const [file, hint] of [
      [API_MAIN, 'npm run build:api'],
      [WEB_INDEX, 'npm run build:web'],
    ] as const) {
      if (!existsSync(file)) {
        throw new Error(`${file} is missing: run \`${hint}\` (or \`npm run e2e\`, which builds first)`);
      }
    }
    this.port = await freePort();
    const child = spawn(process.execPath, [API_MAIN], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: process.env['HOME'] ?? '',
        TZ: 'UTC',
        NODE_ENV: 'production',
        PORT: String(this.port),
        HOST: '127.0.0.1',
        DATABASE_URL: 'memory://',
        SIPPY_RPC_URL: this.options.sippyUrl,
        SIPPY_RPC_USER: this.options.sippyUser,
        SIPPY_RPC_PASS: this.options.sippyPass,
        SIPPY_SYNC_INTERVAL_SECONDS: '1',
        // required in production once sessions exist; a fresh one per run
        AUTH_JWT_SECRET: this.jwtSecret,
        ADMIN_EMAIL: E2E_ADMIN.email,
        ADMIN_PASSWORD: E2E_ADMIN.password,
        ...this.options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout.on('data', (chunk: Buffer) => this.lines.push(chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => this.lines.push(chunk.toString('utf8')));
    child.on('exit', (code, signal) => {
      this.exitInfo = `exited with code ${code ?? '-'} signal ${signal ?? '-'}`;
    });
    await this.waitUntilLive(this.options.startTimeoutMs ?? 60_000);
    await this.signIn();
  }

  /** Signs in as E2E_ADMIN and keeps the session cookies (browser contexts get them, see newContext). */
  private async signIn(): Promise<void> {
    const response = await fetch(`${this.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(E2E_ADMIN),
    });
    if (!response.ok) {
      throw new Error(`sign-in as ${E2E_ADMIN.email} failed: ${response.status} ${await response.text()}\nOutput:\n${this.output()}`);
    }
    this.sessionCookies = response.headers.getSetCookie().map((line) => {
      const [pair] = line.split(';');
      const at = pair.indexOf('=');
      return { name: pair.slice(0, at).trim(), value: pair.slice(at + 1).trim() };
    });
    if (!this.sessionCookies.some((c) => c.name === 'velora_session')) {
      throw new Error('sign-in did not set the velora_session cookie');
    }
    signedInSessions.set(this.baseUrl, this.sessionCookies);
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) {
      return;
    }
    const exited = new Promise<void>((done) => child.once('exit', () => { done(); }));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }

  private async waitUntilLive(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exitInfo) {
        throw new Error(`API ${this.exitInfo} before it was ready. Output:\n${this.output()}`);
      }
      try {
        const response = await fetch(`${this.baseUrl}/api/health/live`);
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await delay(100);
    }
    throw new Error(`API not live after ${timeoutMs} ms. Output:\n${this.output()}`);
  }
}

/** Session cookies per API base URL, for newContext() (chromium.ts). */
export const signedInSessions = new Map<string, SessionCookie[]>();

export function delay(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

/** Polls `check` until it returns a value (not undefined) or the time is up. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 20_000,
  intervalMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: Error | null = null;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error: unknown) {
      lastError = error instanceof Error ? error : new Error(String(error));
    }
    await delay(intervalMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
}
