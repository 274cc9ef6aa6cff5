/**
 * `npm run bench:memory` (also the last part of `npm run bench`) — resident memory of the built API
 * (`nest build`, the code `npm start` runs), started as a child process and left alone: RSS one minute after
 * it answers /api/health/ready (median of the samples from 50 to 70 s) and its peak (VmHWM), per setup:
 *
 * - PGlite with the defaults of `npm start` (simulator + fakes, sync every 15 s): a first start (empty data
 *   folder: initdb, migrations, 24 h backfill) and a restart on that folder;
 * - baseline, same run: the restart with `PGLITE_SHARED_BUFFERS_MB=128` (PostgreSQL's default, what the
 *   embedded database used before it was set);
 * - PostgreSQL, production settings: a switch (the simulator, in this bench process) and a throw-away database
 *   on BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres), skipped when it does not answer.
 *
 * - with BENCH_MEMORY_BASELINE=<path of another build's main.js> (e.g. the previous commit's, built with
 *   `nest build api` in a checkout of it): the first start and PostgreSQL rows again with that build, in the same
 *   run, as the baseline of a change.
 *
 * The PGlite rows run node with the flags of `npm start` (package.json, e.g. `--optimize-for-size`); a baseline row
 * repeats the first start without them, in the same run.
 *
 * Linux only (reads /proc/<pid>/status). Takes ~7 minutes (~10 with a baseline build).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { SippySimulator } from '../libs/sippy/simulator';
import { freePort } from '../test/browser/support/free-port';
import { builtApiMain, REPO_ROOT } from '../test/support/built-api';

const SERVER = process.env['BENCH_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SETTLE_S = Number(process.env['BENCH_MEMORY_SECONDS'] ?? 60);

interface Sample {
  rssMb: number;
  hwmMb: number;
}

function readStatus(pid: number): Sample | undefined {
  try {
    const status = readFileSync(`/proc/${String(pid)}/status`, 'utf8');
    const kb = (key: string): number =>
      Number(/^\S+:\s+(\d+) kB$/m.exec(status.split('\n').find((l) => l.startsWith(`${key}:`)) ?? '')?.[1] ?? Number.NaN);
    return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

async function waitReady(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the API exited (${String(child.exitCode)}):\n${log()}`);
    try {
      if ((await fetch(`${url}/api/health/ready`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the API did not become ready:\n${log()}`);
}

/** The node flags `npm start` runs the API with (`node <flags> dist/apps/api/src/main.js` in package.json). */
function startFlags(): string[] {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const match = /\bnode((?:\s+--[\w-]+(?:=\S+)?)*)\s+dist\/apps\/api\/src\/main\.js/.exec(pkg.scripts['start'] ?? '');
  if (match === null) throw new Error('package.json: the start script no longer runs `node [flags] dist/apps/api/src/main.js`');
  return match[1].split(/\s+/).filter((flag) => flag !== '');
}

/** Starts the built API with `env`, waits SETTLE_S after readiness, returns the settled RSS and the peak. */
async function measure(main: string, env: Record<string, string>, nodeFlags: readonly string[] = []): Promise<Sample> {
  const port = await freePort();
  let output = '';
  const child = spawn(process.execPath, [...nodeFlags, main], {
    cwd: REPO_ROOT,
    env: { PATH: process.env['PATH'] ?? '', TZ: 'UTC', HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (c: Buffer) => (output = (output + c.toString('utf8')).slice(-20_000)));
  child.stderr.on('data', (c: Buffer) => (output = (output + c.toString('utf8')).slice(-20_000)));
  try {
    await waitReady(`http://127.0.0.1:${String(port)}`, child, () => output);
    const samples: Sample[] = [];
    const from = Date.now();
    while (Date.now() - from < (SETTLE_S + 10) * 1000) {
      await new Promise((r) => setTimeout(r, 1000));
      const s = readStatus(child.pid ?? -1);
      if (s && Date.now() - from >= (SETTLE_S - 10) * 1000) samples.push(s);
    }
    const rss = samples.map((s) => s.rssMb).sort((a, b) => a - b);
    return { rssMb: rss[Math.floor(rss.length / 2)] ?? Number.NaN, hwmMb: Math.max(...samples.map((s) => s.hwmMb)) };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

async function postgresAvailable(): Promise<boolean> {
  const client = new Client({ connectionString: SERVER, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function main(): Promise<void> {
  const main = builtApiMain();
  const rows: string[][] = [];
  const row = (setup: string, s: Sample, target: string): void => {
    rows.push([setup, s.rssMb.toFixed(0), s.hwmMb.toFixed(0), target]);
    process.stderr.write(`${setup}: RSS ${s.rssMb.toFixed(0)} MB, peak ${s.hwmMb.toFixed(0)} MB\n`);
  };

  const baselineMain = process.env['BENCH_MEMORY_BASELINE'];
  const flags = startFlags();
  const shown = flags.length === 0 ? 'no node flags' : flags.join(' ');
  const dataDir = mkdtempSync(join(tmpdir(), 'velora-bench-mem-'));
  try {
    const defaults = { DATA_DIR: dataDir, NODE_ENV: 'development' };
    row(
      `PGlite, \`npm start\` defaults (${shown}), first start (initdb, migrations, 24 h backfill)`,
      await measure(main, defaults, flags),
      '< 350',
    );
    row(`PGlite, \`npm start\` defaults (${shown}), restart`, await measure(main, defaults, flags), '< 350');
    row(
      'baseline: the same restart with PGLITE_SHARED_BUFFERS_MB=128',
      await measure(main, { ...defaults, PGLITE_SHARED_BUFFERS_MB: '128' }, flags),
      '',
    );
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  if (flags.length > 0) {
    const plainDir = mkdtempSync(join(tmpdir(), 'velora-bench-mem-plain-'));
    try {
      row('baseline: the same first start without node flags', await measure(main, { DATA_DIR: plainDir, NODE_ENV: 'development' }), '');
    } finally {
      rmSync(plainDir, { recursive: true, force: true });
    }
  }
  if (baselineMain !== undefined) {
    const baseDir = mkdtempSync(join(tmpdir(), 'velora-bench-mem-base-'));
    try {
      row(
        'baseline build (BENCH_MEMORY_BASELINE): PGlite first start',
        await measure(baselineMain, { DATA_DIR: baseDir, NODE_ENV: 'development' }, flags),
        '',
      );
    } finally {
      rmSync(baseDir, { recursive: true, force: true });
    }
  }

  if (await postgresAvailable()) {
    const name = `velora_bench_mem_${randomBytes(4).toString('hex')}`;
    const admin = new Client({ connectionString: SERVER });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const sim = new SippySimulator({ password: 'bench-Memory-pass-1', seed: 'memory' });
    await sim.start();
    try {
      const url = new URL(SERVER);
      url.pathname = `/${name}`;
      const production = (database: string): Record<string, string> => ({
        NODE_ENV: 'production',
        DATABASE_URL: database,
        SIPPY_RPC_URL: sim.url,
        SIPPY_RPC_USER: 'ssp-root',
        SIPPY_RPC_PASS: 'bench-Memory-pass-1',
        AUTH_JWT_SECRET: randomBytes(48).toString('base64'),
        DATA_DIR: join(tmpdir(), 'velora-bench-mem-unused'),
      });
      row('PostgreSQL, production, idle (switch synced every 15 s)', await measure(main, production(url.toString())), '< 250');
      if (baselineMain !== undefined) {
        // a database of its own: the baseline build starts with the same empty store and the same 24 h backfill
        await admin.query(`create database ${name}_base`);
        url.pathname = `/${name}_base`;
        row('baseline build (BENCH_MEMORY_BASELINE): PostgreSQL idle', await measure(baselineMain, production(url.toString())), '');
      }
    } finally {
      await sim.stop();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.query(`drop database if exists ${name}_base with (force)`);
      await admin.end();
    }
  } else {
    process.stderr.write(`PostgreSQL at ${SERVER} does not answer: its row is skipped\n`);
  }

  const cpu = cpus();
  const header = ['setup', `RSS after ${String(SETTLE_S)} s (MB)`, 'peak RSS (MB)', 'target (MB)'];
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  process.stdout.write(
    `\nMemory of the built API · ${new Date().toISOString()} · node ${process.version} · ${String(cpu.length)} × ${cpu[0]?.model ?? 'cpu'} · ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM\n\n`,
  );
  process.stdout.write(`${[line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
