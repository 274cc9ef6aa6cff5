/**
 * `npm run bench [-- --filter <text>] [-- --runs <n>] [-- --json <file>]` — every benchmark, one after another:
 *
 * 1. the child-process harness over `bench/*.bench.ts` (`bench/run.ts`), which gets all the arguments;
 * 2. the standalone scripts: memory of the running API (`bench/memory.ts`), exports (`bench/export.ts`) and, only
 *    when `BENCH_CDRS` is set, the list/report/ingest benchmark on PostgreSQL (`bench/cdr-store-pg.ts`).
 *
 * With `--filter`, a standalone script runs only when the filter is part of its name (`memory`, `export`,
 * `cdr-store-pg`): `npm run bench -- --filter ingest` runs the ingest cases and nothing else. Stops at the first
 * step that fails and exits with its code.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

interface Step {
  name: string;
  script: string;
  args: (forwarded: string[]) => string[];
  /** Runs under a filter only when the filter is part of `name`. */
  standalone: boolean;
}

const STEPS: Step[] = [
  { name: 'run', script: 'run.ts', args: (forwarded) => forwarded, standalone: false },
  { name: 'memory', script: 'memory.ts', args: () => [], standalone: true },
  { name: 'export', script: 'export.ts', args: () => [], standalone: true },
  { name: 'cdr-store-pg', script: 'cdr-store-pg.ts', args: () => ['--if-requested'], standalone: true },
];

/** The value of `--filter`, or undefined. */
function filterOf(argv: readonly string[]): string | undefined {
  const at = argv.indexOf('--filter');
  return at >= 0 ? argv.at(at + 1) : undefined;
}

/** The steps `npm run bench` takes for these arguments. */
function stepsFor(argv: readonly string[]): Step[] {
  const filter = filterOf(argv);
  if (filter === undefined) return STEPS;
  return STEPS.filter((step) => !step.standalone || step.name.includes(filter));
}

function main(): void {
  const forwarded = process.argv.slice(2);
  const tsx = join(__dirname, '..', 'node_modules', '.bin', 'tsx');
  for (const step of stepsFor(forwarded)) {
    const result = spawnSync(tsx, [join(__dirname, step.script), ...step.args(forwarded)], { stdio: 'inherit' });
    if (result.error !== undefined) throw result.error;
    if (result.status !== 0) {
      console.error(`bench: ${step.script} failed (exit ${result.status ?? result.signal ?? 'unknown'})`);
      process.exit(result.status ?? 1);
    }
  }
}

main();
