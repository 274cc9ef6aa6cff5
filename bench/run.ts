/**
 * `npm run bench [-- --filter <text>] [-- --runs <n>] [-- --json <file>]`
 *
 * Runs every case of every `bench/*.bench.ts` in its own child process (node --expose-gc with the
 * tsx loader), then prints a table. Cases run one after another: the numbers are only comparable
 * on an otherwise idle machine.
 */
import { spawn } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { basename, join } from 'node:path';

import { median, type BenchCase, type BenchModule, type BenchResult } from './harness';

const BENCH_DIR = __dirname;
const RESULT_MARKER = 'BENCH_RESULT ';

interface Args {
  filter?: string;
  runs?: number;
  json?: string;
  child?: { file: string; name: string };
}

function parseArgs(argv: string[]): Args {
  const args: Args = {};
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv.at(i + 1); // undefined past the end
    const second = argv.at(i + 2);
    if (flag === '--filter' && value !== undefined) {
      args.filter = value;
      i++;
    } else if (flag === '--runs' && value !== undefined) {
      args.runs = Number(value);
      i++;
    } else if (flag === '--json' && value !== undefined) {
      args.json = value;
      i++;
    } else if (flag === '--child' && value !== undefined && second !== undefined) {
      args.child = { file: value, name: second };
      i += 2;
    } else {
      throw new Error(`unknown argument ${flag}`);
    }
  }
  return args;
}

async function loadModule(file: string): Promise<BenchModule> {
  const module = (await import(join(BENCH_DIR, file))) as Partial<BenchModule>;
  if (!Array.isArray(module.cases)) {
    throw new Error(`${file} does not export cases`);
  }
  return { cases: module.cases, notes: module.notes };
}

async function loadCases(file: string): Promise<BenchCase[]> {
  return (await loadModule(file)).cases;
}

// -- child: one case --------------------------------------------------------------------------

async function runChild(file: string, name: string, runsOverride: number | undefined): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) {
    throw new Error('run the child with --expose-gc');
  }
  const benchCase = (await loadCases(file)).find((c) => c.name === name);
  if (benchCase === undefined) {
    throw new Error(`no case ${name} in ${file}`);
  }
  const runs = runsOverride ?? benchCase.runs;
  const bench = await benchCase.prepare();
  const timesMs: number[] = [];
  const cpuMs: number[] = [];
  let peakHeapDeltaBytes = 0;
  let peakRssDeltaBytes = 0;
  for (let i = 0; i <= runs; i++) {
    gc();
    gc();
    const heap0 = process.memoryUsage().heapUsed;
    const rss0 = process.memoryUsage.rss();
    let heapPeak = heap0;
    let rssPeak = rss0;
    const sample = (): void => {
      const heap = process.memoryUsage().heapUsed;
      const rss = process.memoryUsage.rss();
      heapPeak = heap > heapPeak ? heap : heapPeak;
      rssPeak = rss > rssPeak ? rss : rssPeak;
    };
    const cpu0 = process.cpuUsage();
    const started = process.hrtime.bigint();
    const result: unknown = await bench.run(sample);
    let elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
    const cpu = process.cpuUsage(cpu0);
    let elapsedCpuMs = (cpu.user + cpu.system) / 1000;
    sample(); // the result is still referenced here
    bench.check(result);
    const measured = bench.measured?.(result);
    if (measured !== undefined) {
      elapsedMs = measured.ms;
      elapsedCpuMs = measured.cpuMs;
      heapPeak = heap0;
      rssPeak = rss0 + measured.peakRssBytes;
    }
    if (i === 0) {
      continue; // warm-up
    }
    timesMs.push(elapsedMs);
    cpuMs.push(elapsedCpuMs);
    peakHeapDeltaBytes = Math.max(peakHeapDeltaBytes, heapPeak - heap0);
    peakRssDeltaBytes = Math.max(peakRssDeltaBytes, rssPeak - rss0);
  }
  await bench.dispose?.();
  const result: BenchResult = {
    file,
    name,
    group: benchCase.group,
    subject: benchCase.subject,
    bytes: bench.bytes,
    runs,
    timesMs,
    medianMs: median(timesMs),
    cpuMs,
    medianCpuMs: median(cpuMs),
    items: bench.items,
    peakHeapDeltaBytes,
    peakRssDeltaBytes,
  };
  process.stdout.write(`${RESULT_MARKER}${JSON.stringify(result)}\n`);
}

// -- parent -----------------------------------------------------------------------------------

function spawnCase(file: string, name: string, runs: number | undefined): Promise<BenchResult> {
  const args = ['--expose-gc', '--max-old-space-size=8192', '--import', 'tsx', join(BENCH_DIR, 'run.ts'), '--child', file, name];
  if (runs !== undefined) {
    args.push('--runs', String(runs));
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text: string) => (out += text));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith(RESULT_MARKER));
      if (code !== 0 || line === undefined) {
        reject(new Error(`case "${name}" failed (exit ${code})`));
        return;
      }
      resolve(JSON.parse(line.slice(RESULT_MARKER.length)) as BenchResult);
    });
  });
}

const mb = (bytes: number): string => (bytes / 1e6).toFixed(1);

function table(results: BenchResult[]): string {
  const withItems = results.some((r) => r.items !== undefined);
  const header = ['case', 'subject', 'input MB', 'runs', 'median ms', 'min–max ms', 'median CPU ms', 'MB/s'];
  if (withItems) {
    header.push('items/s');
  }
  header.push('peak heap Δ MB', 'peak RSS Δ MB');
  const rows = results.map((r) => {
    const row = [
      r.group,
      r.subject,
      mb(r.bytes),
      String(r.runs),
      r.medianMs.toFixed(0),
      `${Math.min(...r.timesMs).toFixed(0)}–${Math.max(...r.timesMs).toFixed(0)}`,
      r.medianCpuMs.toFixed(0),
      (r.bytes / 1e6 / (r.medianMs / 1000)).toFixed(1),
    ];
    if (withItems) {
      row.push(r.items === undefined ? '' : Math.round(r.items / (r.medianMs / 1000)).toLocaleString('en-US'));
    }
    row.push(mb(r.peakHeapDeltaBytes), mb(r.peakRssDeltaBytes));
    return row;
  });
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.child !== undefined) {
    await runChild(args.child.file, args.child.name, args.runs);
    return;
  }
  const files = readdirSync(BENCH_DIR).filter((f) => f.endsWith('.bench.ts')).sort();
  const results: BenchResult[] = [];
  const notes: string[] = [];
  for (const file of files) {
    const module = await loadModule(file);
    const selected = module.cases.filter((c) => args.filter === undefined || `${basename(file)} ${c.name}`.includes(args.filter));
    if (selected.length > 0) {
      notes.push(...(module.notes ?? []));
    }
    for (const benchCase of module.cases) {
      if (args.filter !== undefined && !`${basename(file)} ${benchCase.name}`.includes(args.filter)) {
        continue;
      }
      process.stderr.write(`running ${file} › ${benchCase.name} …\n`);
      results.push(await spawnCase(file, benchCase.name, args.runs));
    }
  }
  const cpu = cpus();
  const load = loadavg().map((l) => l.toFixed(1)).join(' ');
  process.stdout.write(
    `\n${new Date().toISOString()} · node ${process.version} · ${cpu.length} × ${cpu[0]?.model ?? 'cpu'} · ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM · load average at the end ${load}\n\n`,
  );
  process.stdout.write(`${table(results)}\n`);
  for (const note of notes) {
    process.stdout.write(`\nNote: ${note}\n`);
  }
  if (args.json !== undefined) {
    writeFileSync(args.json, `${JSON.stringify(results, null, 2)}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
