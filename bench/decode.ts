/**
 * `npm run bench:decode [-- FILE] [-- --count N]`
 *
 * Decode + normalize throughput of one saved getAccountCDRs response: the file is streamed from disk
 * in 64 KiB chunks into decodeMethodResponse (as an undici body arrives), then every CDR of the
 * page goes through the CDR normalizer (the sync's per-page path). Best of 3 runs (after one
 * warm-up), one line:
 *
 *   cdrs=N seconds=S cdrs_per_s=R mb_per_s=M peak_rss_mb=P
 *
 * Without FILE, the 20,000-CDR × 40-field page of bench/cdr-page.ts is generated into a temporary
 * file first (`--count N` for another size). peak_rss_mb is the highest RSS sampled during the
 * timed runs (at every chunk and after normalizing, while the page and its CDRs are still
 * referenced); MB = 10^6 bytes.
 */
import { createReadStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { decodeMethodResponse } from '../libs/sippy/src/codec/xml-rpc-decoder';
import { generateCdrPage } from './cdr-page';
import { benchNormalizer, cdrsOf } from './ingest-pipeline';

const RUNS = 3;
const CHUNK = 64 * 1024;

interface Args {
  file?: string;
  count: number;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { count: 20_000 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--count') {
      args.count = Number(argv[++i]);
      if (!Number.isSafeInteger(args.count) || args.count < 1) {
        throw new Error('--count must be a positive integer');
      }
    } else if (arg.startsWith('--')) {
      throw new Error(`unknown option ${arg}`);
    } else {
      args.file = arg;
    }
  }
  return args;
}

async function* sampled(file: string, sample: () => void): AsyncGenerator<Buffer> {
  for await (const chunk of createReadStream(file, { highWaterMark: CHUNK })) {
    sample();
    yield chunk as Buffer;
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  let file = args.file;
  let tmp: string | undefined;
  if (file === undefined) {
    tmp = mkdtempSync(join(tmpdir(), 'velora-bench-'));
    file = join(tmp, `cdr-page-${args.count}.xml`);
    writeFileSync(file, generateCdrPage(args.count, 'full'));
  }
  try {
    const bytes = statSync(file).size;
    const normalizer = benchNormalizer();
    const gc = (globalThis as { gc?: () => void }).gc;
    let best = Infinity;
    let cdrCount = 0;
    let peakRss = 0;
    const sample = (): void => {
      peakRss = Math.max(peakRss, process.memoryUsage.rss());
    };
    for (let run = 0; run <= RUNS; run++) {
      gc?.();
      const started = process.hrtime.bigint();
      const page = await decodeMethodResponse(sampled(file, sample));
      const raws = cdrsOf(page);
      const batch = normalizer.normalizeMany(raws);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      sample();
      if (batch.cdrs.length + batch.rejected.length !== raws.length) {
        throw new Error('normalizer lost CDRs');
      }
      cdrCount = raws.length;
      if (run > 0) {
        best = Math.min(best, seconds); // run 0 is the warm-up
      }
    }
    process.stdout.write(
      `cdrs=${cdrCount} seconds=${best.toFixed(3)} cdrs_per_s=${Math.round(cdrCount / best)} ` +
        `mb_per_s=${(bytes / 1e6 / best).toFixed(1)} peak_rss_mb=${Math.round(peakRss / 1e6)}\n`,
    );
  } finally {
    if (tmp !== undefined) {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
