/**
 * Ingest speed (issue #12): a 20,000-CDR getAccountCDRs page with every documented field
 * (bench/cdr-page.ts, ~65 MB), side by side in one `npm run bench`:
 *
 * - decode only: a bare tag scan (TextDecoder + indexOf('<'), counting tags — the floor for
 *   anything that reads the text), our XML-RPC scanner, and the saxes decoder it replaced;
 * - decode + normalize (CdrNormalizer, configured as in bench/ingest-pipeline.ts): our scanner, the
 *   saxes decoder, and the Python stack the product was first written in (xmlrpc.client + a plain
 *   normalization, bench/python-ingest.py, run through child_process; skipped with a note when
 *   python3 is missing). The Python rows report Python's own clock, CPU time and peak RSS
 *   (its whole process), not the start-up of the interpreter.
 *
 * Node cases read the page as 64 KiB Buffer chunks through an async iterable, the way an undici
 * response body arrives. "items/s" is CDRs per second.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { decodeMethodResponse } from '../libs/sippy/src/codec/xml-rpc-decoder';
import type { XmlRpcStruct, XmlRpcValue } from '../libs/sippy/src/codec/xml-rpc.types';
import { decodeMethodResponseSaxes } from '../libs/sippy/testing/xml-rpc-saxes-decoder';
import { generateCdrPage } from './cdr-page';
import type { BenchCase, BenchRun } from './harness';
import { benchNormalizer, cdrsOf } from './ingest-pipeline';

const COUNT = 20_000;
const FIELDS = 40;
const CHUNK = 64 * 1024;
const RUNS = 3;
const PYTHON_SCRIPT = join(__dirname, 'python-ingest.py');
const DECODE = `getAccountCDRs ${COUNT / 1000}k CDRs × ${FIELDS} fields: decode`;
const INGEST = `getAccountCDRs ${COUNT / 1000}k CDRs × ${FIELDS} fields: decode + normalize`;

type Decoder = (source: AsyncIterable<Uint8Array>) => Promise<XmlRpcValue>;

async function* chunksOf(bytes: Buffer, sample: () => void): AsyncGenerator<Buffer> {
  for (let i = 0; i < bytes.length; i += CHUNK) {
    sample();
    yield await Promise.resolve(bytes.subarray(i, i + CHUNK)); // a chunk per turn, as from a socket
  }
}

function page(): Buffer {
  return Buffer.from(generateCdrPage(COUNT, 'full'));
}

function checkPage(result: unknown): void {
  const cdrs = cdrsOf(result as XmlRpcValue);
  const last = cdrs[COUNT - 1] as XmlRpcStruct | undefined;
  if (
    cdrs.length !== COUNT ||
    last === undefined ||
    Object.keys(last).length !== FIELDS ||
    Number(last['i_cdr']) !== 418_238_747 + COUNT - 1
  ) {
    throw new Error('page decoded wrongly');
  }
}

function tagScanCase(): BenchCase {
  return {
    name: 'tag scan',
    group: DECODE,
    subject: "bare tag scan (TextDecoder + indexOf('<'))",
    runs: RUNS,
    prepare(): BenchRun {
      const bytes = page();
      let tags = 0;
      const text = bytes.toString('utf8');
      for (let i = text.indexOf('<'); i !== -1; i = text.indexOf('<', i + 1)) {
        tags++;
      }
      return {
        bytes: bytes.length,
        items: COUNT,
        async run(sample): Promise<number> {
          const decoder = new TextDecoder();
          let count = 0;
          for await (const chunk of chunksOf(bytes, sample)) {
            const part = decoder.decode(chunk, { stream: true });
            for (let i = part.indexOf('<'); i !== -1; i = part.indexOf('<', i + 1)) {
              count++;
            }
          }
          return count;
        },
        check(result): void {
          if (result !== tags) {
            throw new Error(`counted ${String(result)} tags, expected ${tags}`);
          }
        },
      };
    },
  };
}

function decodeCase(name: string, subject: string, decode: Decoder): BenchCase {
  return {
    name: `decode ${name}`,
    group: DECODE,
    subject,
    runs: RUNS,
    prepare(): BenchRun {
      const bytes = page();
      return { bytes: bytes.length, items: COUNT, run: (sample) => decode(chunksOf(bytes, sample)), check: checkPage };
    },
  };
}

function ingestCase(name: string, subject: string, decode: Decoder): BenchCase {
  return {
    name: `ingest ${name}`,
    group: INGEST,
    subject,
    runs: RUNS,
    prepare(): BenchRun {
      const bytes = page();
      const normalizer = benchNormalizer();
      return {
        bytes: bytes.length,
        items: COUNT,
        async run(sample): Promise<number> {
          const batch = normalizer.normalizeMany(cdrsOf(await decode(chunksOf(bytes, sample))));
          sample();
          return batch.cdrs.length;
        },
        check(result): void {
          if (result !== COUNT) {
            throw new Error(`normalized ${String(result)} CDRs, expected ${COUNT}`);
          }
        },
      };
    },
  };
}

interface PythonResult {
  cdrs: number;
  seconds: number;
  cpu_seconds: number;
  peak_rss_mb: number;
}

function pythonCase(python: string): BenchCase {
  return {
    name: 'ingest python',
    group: INGEST,
    subject: 'Python 3 xmlrpc.client + plain normalization',
    runs: RUNS,
    prepare(): BenchRun {
      const bytes = page();
      const dir = mkdtempSync(join(tmpdir(), 'velora-bench-'));
      const file = join(dir, 'page.xml');
      writeFileSync(file, bytes);
      return {
        bytes: bytes.length,
        items: COUNT,
        run(): Promise<PythonResult> {
          // One warm-up and one timed run inside Python; the harness takes Python's own figures.
          const child = spawnSync(python, [PYTHON_SCRIPT, file, '1'], { encoding: 'utf8', maxBuffer: 1024 * 1024 });
          if (child.status !== 0) {
            throw new Error(`python-ingest.py failed: ${child.stderr}`);
          }
          return Promise.resolve(JSON.parse(child.stdout) as PythonResult);
        },
        check(result): void {
          if ((result as PythonResult).cdrs !== COUNT) {
            throw new Error('Python normalized a different number of CDRs');
          }
        },
        measured(result) {
          const python = result as PythonResult;
          return { ms: python.seconds * 1000, cpuMs: python.cpu_seconds * 1000, peakRssBytes: python.peak_rss_mb * 1e6 };
        },
        dispose(): Promise<void> {
          rmSync(dir, { recursive: true, force: true });
          return Promise.resolve();
        },
      };
    },
  };
}

function findPython(): string | undefined {
  for (const candidate of ['python3', 'python']) {
    const probe = spawnSync(candidate, ['-c', 'import sys, xmlrpc.client; print(sys.version_info[0])'], { encoding: 'utf8' });
    if (probe.status === 0 && probe.stdout.trim() === '3') {
      return candidate;
    }
  }
  return undefined;
}

const python = findPython();

export const notes: string[] = python === undefined ? ['python3 was not found: the Python xmlrpc.client reference rows were skipped.'] : [];

export const cases: BenchCase[] = [
  tagScanCase(),
  decodeCase('scanner', 'decodeMethodResponse (XML-RPC scanner, ours)', (source) => decodeMethodResponse(source)),
  decodeCase('saxes', 'saxes decoder (before #12, testing/)', (source) => decodeMethodResponseSaxes(source)),
  ingestCase('scanner', 'XML-RPC scanner + CdrNormalizer', (source) => decodeMethodResponse(source)),
  ingestCase('saxes', 'saxes decoder + CdrNormalizer', (source) => decodeMethodResponseSaxes(source)),
  ...(python === undefined ? [] : [pythonCase(python)]),
];
