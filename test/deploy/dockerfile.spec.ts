import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { SippySimulator } from '@velora/sippy/simulator';
import { freePort } from '../browser/support/free-port';
import { REPO_ROOT } from '../support/built-api';

/**
 * The Dockerfile, checked without a Docker engine (CI machines have the docker CLI but no daemon, and no
 * registry but npm and Debian, so `FROM node:20-bookworm-slim` cannot be pulled). Its steps are parsed and
 * run on this machine's Node 20 in a clean copy of the build context (.dockerignore applied): every stage's
 * COPY and RUN in order, each stage in its own folder standing in for its filesystem, then the runtime
 * stage's CMD with its ENV, probed with the HEALTHCHECK command itself, then stopped with SIGTERM (docker
 * stop). The one rewrite: `chown node:node` becomes the current user (the image's `node` user does not exist
 * here). VELORA_DOCKER_SMOKE=1 runs tools/docker/smoke-test.sh instead: the real image in a real engine.
 */

interface Instruction {
  op: string;
  args: string;
}
interface Stage {
  name: string;
  from: string;
  steps: Instruction[];
}

function parseDockerfile(text: string): { args: Map<string, string>; stages: Stage[] } {
  const lines = text.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  const args = new Map<string, string>();
  const stages: Stage[] = [];
  for (const line of lines) {
    const m = /^([A-Za-z]+)\s+(.*)$/.exec(line);
    if (m === null) throw new Error(`cannot parse Dockerfile line: ${line}`);
    const op = m[1].toUpperCase();
    const rest = m[2];
    if (op === 'ARG' && stages.length === 0) {
      const parts = rest.split('=');
      args.set(parts[0], parts.at(1) ?? '');
    } else if (op === 'FROM') {
      const f = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(rest);
      const image = (f?.[1] ?? '').replace(/\$\{(\w+)\}/g, (_, k: string) => args.get(k) ?? '');
      stages.push({ name: f?.[2] ?? String(stages.length), from: image, steps: [] });
    } else {
      const stage = stages.at(-1);
      if (stage === undefined) throw new Error(`${op} before FROM`);
      stage.steps.push({ op, args: rest });
    }
  }
  return { args, stages };
}

/** `["a", "b"]` (exec form) or a shell string. */
function execForm(args: string): string[] {
  const trimmed = args.trim();
  return trimmed.startsWith('[') ? (JSON.parse(trimmed) as string[]) : ['sh', '-c', trimmed];
}

/** ENV k=v k2=v2 (values without spaces, as our Dockerfile writes them). */
function envPairs(args: string): Array<[string, string]> {
  return args.split(/\s+/).map((pair) => {
    const at = pair.indexOf('=');
    return [pair.slice(0, at), pair.slice(at + 1)];
  });
}

/** .dockerignore: patterns relative to the context root, `*` within a segment, `!` re-includes. */
function dockerIgnore(root: string): (path: string) => boolean {
  const rules = readFileSync(join(root, '.dockerignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const negate = l.startsWith('!');
      const pattern = (negate ? l.slice(1) : l).replace(/^\/+|\/+$/g, '');
      const regex = new RegExp(`^${pattern.split('/').map((seg) => seg.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')).join('/')}(/.*)?$`);
      return { negate, regex };
    });
  return (path) => {
    let ignored = false;
    for (const rule of rules) if (rule.regex.test(path)) ignored = !rule.negate;
    return ignored;
  };
}

function run(command: string[], cwd: string, env: NodeJS.ProcessEnv, what: string): void {
  const file = command.at(0) ?? 'sh';
  const result = spawnSync(file, command.slice(1), { cwd, env, encoding: 'utf8', timeout: 480_000, maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) {
    throw new Error(`${what} failed (${String(result.status)} ${String(result.signal)}):\n${result.stdout.slice(-4000)}\n${result.stderr.slice(-4000)}`);
  }
}

const dockerfile = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8');
const { stages } = parseDockerfile(dockerfile);
const runtime = stages.at(-1);
const smoke = process.env['VELORA_DOCKER_SMOKE'] === '1';

describe('Dockerfile', () => {
  it('is multi-stage on node:20-bookworm-slim, runs as the non-root node user with a HEALTHCHECK on /api/health/live', () => {
    expect(stages.map((s) => s.name)).toEqual(['build', 'deps', 'runtime']);
    for (const stage of stages) expect(stage.from).toBe('node:20-bookworm-slim');
    const ops = (runtime?.steps ?? []).map((s) => s.op);
    expect(ops).toContain('USER');
    expect(runtime?.steps.find((s) => s.op === 'USER')?.args).toBe('node');
    expect(ops.indexOf('USER')).toBeLessThan(ops.indexOf('CMD'));
    const healthcheck = runtime?.steps.find((s) => s.op === 'HEALTHCHECK')?.args ?? '';
    expect(healthcheck).toContain('/api/health/live');
    expect(healthcheck).not.toMatch(/curl|wget/); // not in slim images
    // the runtime stage gets production dependencies only, never the build stage's node_modules
    expect(runtime?.steps.filter((s) => s.op === 'COPY').map((s) => s.args)).toEqual(['--from=deps /app/node_modules ./node_modules', '--from=build /app/dist ./dist', 'package.json ./']);
    expect(stages.find((s) => s.name === 'deps')?.steps.some((s) => s.op === 'RUN' && s.args.includes('npm ci --omit=dev'))).toBe(true);
    const ignore = dockerIgnore(REPO_ROOT);
    for (const path of ['node_modules', 'dist', 'data', '.env', '.env.production', '.git', 'data/pglite/base']) expect(ignore(path)).toBe(true);
    for (const path of ['package.json', 'package-lock.json', 'apps/api/src/main.ts', 'libs/sippy/src/index.ts', '.env.example', 'angular.json']) expect(ignore(path)).toBe(false);
  });

  (smoke ? it : it.skip)('builds, starts healthy and stops with exit 0 in a Docker engine (tools/docker/smoke-test.sh)', () => {
    run(['bash', join(REPO_ROOT, 'tools', 'docker', 'smoke-test.sh')], REPO_ROOT, process.env, 'tools/docker/smoke-test.sh');
  }, 1_200_000);

  (smoke ? describe.skip : describe)('build and start steps on a clean copy (no Docker engine)', () => {
    let work = '';
    let child: ChildProcess | null = null;
    let sim: SippySimulator | undefined;
    let output = '';

    afterAll(async () => {
      if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await sim?.stop();
      if (work !== '') rmSync(work, { recursive: true, force: true });
    });

    it('runs every stage, then the CMD answers the HEALTHCHECK and stops on SIGTERM with exit 0', async () => {
      work = mkdtempSync(join(tmpdir(), 'velora-dockerfile-'));
      const context = join(work, 'context');
      const ignore = dockerIgnore(REPO_ROOT);
      cpSync(REPO_ROOT, context, { recursive: true, filter: (src) => src === REPO_ROOT || !ignore(relative(REPO_ROOT, src)) });
      expect(existsSync(join(context, 'node_modules'))).toBe(false);

      const uid = process.getuid?.() ?? 0;
      const gid = process.getgid?.() ?? 0;
      const stageEnv = new Map<string, Record<string, string>>();
      const rootOf = (stage: string): string => join(work, 'stages', stage);
      /** An absolute path inside a stage's filesystem → its folder here. */
      const inStage = (stage: string, cwd: string, path: string): string => (path.startsWith('/') ? join(rootOf(stage), path) : resolve(cwd, path));
      const workdirs = new Map<string, string>();

      for (const stage of stages) {
        let cwd = rootOf(stage.name);
        mkdirSync(cwd, { recursive: true });
        const env: Record<string, string> = {};
        for (const step of stage.steps) {
          const rewrite = (s: string): string => s.replace(/(^|[\s=])\/app\b/g, (_, pre: string) => `${pre}${rootOf(stage.name)}/app`).replace(/\bchown node:node\b/g, `chown ${String(uid)}:${String(gid)}`);
          if (step.op === 'WORKDIR') {
            cwd = inStage(stage.name, cwd, step.args);
            mkdirSync(cwd, { recursive: true });
          } else if (step.op === 'ENV') {
            for (const [k, v] of envPairs(step.args)) env[k] = rewrite(v);
          } else if (step.op === 'COPY') {
            const parts = step.args.split(/\s+/);
            const from = parts[0]?.startsWith('--from=') ? parts.shift()?.slice('--from='.length) : undefined;
            const dest = parts.pop() ?? '.';
            for (const src of parts) {
              // Docker's COPY: a directory's contents go into dest; a file goes into dest/ (or '.') or becomes dest
              const source = from === undefined ? join(context, src) : inStage(from, workdirs.get(from) ?? '/', src);
              const target = inStage(stage.name, cwd, dest);
              if (statSync(source).isDirectory()) {
                cpSync(source, target, { recursive: true, verbatimSymlinks: true });
              } else {
                const file = dest.endsWith('/') || dest === '.' ? join(target, basename(src)) : target;
                mkdirSync(dirname(file), { recursive: true });
                cpSync(source, file);
              }
            }
          } else if (step.op === 'RUN') {
            // the engine's build runs with a clean environment plus the stage's ENV; npm's cache (warm after the
            // repository's own npm ci) and the machine's CA settings stand in for the image's network access
            run(['sh', '-c', rewrite(step.args)], cwd, { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/root', NODE_EXTRA_CA_CERTS: process.env['NODE_EXTRA_CA_CERTS'] ?? '', npm_config_prefer_offline: 'true', ...env }, `${stage.name}: RUN ${step.args}`);
          }
        }
        workdirs.set(stage.name, cwd);
        stageEnv.set(stage.name, env);
      }

      const final = runtime?.name ?? '';
      const appDir = workdirs.get(final) ?? '';
      // the runtime stage holds only dist/, production node_modules and package.json
      expect(readdirSync(appDir).sort()).toEqual(['data', 'dist', 'node_modules', 'package.json']);
      expect(existsSync(join(appDir, 'node_modules', '@angular', 'build'))).toBe(false); // a devDependency
      expect(existsSync(join(appDir, 'dist', 'apps', 'web', 'browser', 'index.html'))).toBe(true);

      sim = new SippySimulator({ password: 'dockerfile-Sim-Pass', seed: 'dockerfile', historyHours: 1 });
      await sim.start();
      const port = await freePort();
      const env = {
        PATH: process.env['PATH'] ?? '',
        ...stageEnv.get(final),
        PORT: String(port),
        HOST: '127.0.0.1',
        SIPPY_RPC_URL: sim.url,
        SIPPY_RPC_USER: 'ssp-root',
        SIPPY_RPC_PASS: 'dockerfile-Sim-Pass',
        AUTH_JWT_SECRET: randomBytes(48).toString('base64'),
      };
      const cmdForm = execForm(runtime?.steps.find((s) => s.op === 'CMD')?.args ?? '[]');
      const cmd = cmdForm.at(0) ?? 'false';
      const started = spawn(cmd === 'node' ? process.execPath : cmd, cmdForm.slice(1), { cwd: appDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
      child = started;
      started.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
      started.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
      const exited = new Promise<number | null>((done) => {
        started.once('exit', (code) => {
          done(code);
        });
      });

      const healthcheck = /CMD\s+(\[.*\])\s*$/.exec(runtime?.steps.find((s) => s.op === 'HEALTHCHECK')?.args ?? '')?.[1] ?? '[]';
      const hcForm = execForm(healthcheck);
      const hcFile = hcForm.at(0) ?? 'false';
      const deadline = Date.now() + 90_000;
      let healthy = false;
      while (!healthy && Date.now() < deadline && started.exitCode === null) {
        healthy = spawnSync(hcFile === 'node' ? process.execPath : hcFile, hcForm.slice(1), { env, timeout: 10_000 }).status === 0;
        if (!healthy) await new Promise((r) => setTimeout(r, 500));
      }
      if (!healthy) throw new Error(`the HEALTHCHECK never passed:\n${output}`);
      expect(existsSync(join(appDir, 'data', 'pglite'))).toBe(true); // DATA_DIR=/app/data, the image's volume
      expect((await fetch(`http://127.0.0.1:${String(port)}/`)).status).toBe(200); // the web app is served

      started.kill('SIGTERM');
      expect(await exited).toBe(0);
    }, 900_000);
  });
});
