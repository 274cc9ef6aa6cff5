/**
 * XML-RPC response decoding: our streaming XML-RPC scanner vs the `xmlrpc` package's Deserializer
 * (sax 1.2.4, non-strict), on generated getAccountCDRs pages fed as 64 KiB Buffer chunks, the
 * way an undici response body arrives.
 */
import { Readable } from 'node:stream';

import Deserializer from 'xmlrpc/lib/deserializer';

import { decodeMethodResponse } from '../libs/sippy/src/codec/xml-rpc-decoder';
import type { XmlRpcStruct } from '../libs/sippy/src/codec/xml-rpc.types';
import { generateCdrPage, type CdrShape } from './cdr-page';
import type { BenchCase, BenchRun } from './harness';

const CHUNK = 64 * 1024;

function* byteChunks(bytes: Buffer, sample: () => void): Generator<Buffer> {
  for (let i = 0; i < bytes.length; i += CHUNK) {
    sample();
    yield bytes.subarray(i, i + CHUNK);
  }
}

// eslint-disable-next-line @typescript-eslint/require-await -- a socket stand-in: the decoder reads an AsyncIterable; nothing to await
async function* asyncChunks(bytes: Buffer, sample: () => void): AsyncGenerator<Buffer> {
  yield* byteChunks(bytes, sample);
}

function xmlrpcDecode(bytes: Buffer, sample: () => void): Promise<unknown> {
  return new Promise((resolve, reject) => {
    new Deserializer('utf8').deserializeMethodResponse(Readable.from(byteChunks(bytes, sample)), (error, value) => { if (error) reject(error); else resolve(value); },
    );
  });
}

function checker(count: number, fields: number) {
  return (result: unknown): void => {
    const cdrs = (result as XmlRpcStruct)['cdrs'];
    if (!Array.isArray(cdrs) || cdrs.length !== count) {
      throw new Error(`expected ${count} CDRs`);
    }
    const last = cdrs[count - 1] as XmlRpcStruct;
    if (Object.keys(last).length !== fields || Number(last['i_cdr']) !== 418_238_747 + count - 1) {
      throw new Error('last CDR decoded wrongly');
    }
  };
}

function page(count: number, shape: CdrShape): { bytes: Buffer; fields: number } {
  return { bytes: Buffer.from(generateCdrPage(count, shape)), fields: shape === 'full' ? 40 : 8 };
}

function casesFor(count: number, shape: CdrShape, runs: number, withXmlrpc: boolean): BenchCase[] {
  const label = `${count / 1000}k`;
  const group = `getAccountCDRs ${label} CDRs × ${shape === 'full' ? 40 : 8} fields`;
  const out: BenchCase[] = [
    {
      name: `ours ${label} ${shape}`,
      group,
      subject: 'decodeMethodResponse (XML-RPC scanner, ours)',
      runs,
      prepare(): BenchRun {
        const { bytes, fields } = page(count, shape);
        return {
          bytes: bytes.length,
          run: (sample) => decodeMethodResponse(asyncChunks(bytes, sample)),
          check: checker(count, fields),
        };
      },
    },
  ];
  if (withXmlrpc) {
    out.push({
      name: `xmlrpc ${label} ${shape}`,
      group,
      subject: 'xmlrpc Deserializer (sax)',
      runs,
      prepare(): BenchRun {
        const { bytes, fields } = page(count, shape);
        return { bytes: bytes.length, run: (sample) => xmlrpcDecode(bytes, sample), check: checker(count, fields) };
      },
    });
  }
  return out;
}

export const cases: BenchCase[] = [
  ...casesFor(5_000, 'full', 5, true), // the page size sippy-xmlrpc.md §7 recommends (limit ≤ 5,000)
  ...casesFor(20_000, 'compact', 5, true),
  ...casesFor(20_000, 'full', 5, true),
  ...casesFor(100_000, 'compact', 3, true),
  // 100k × 40 fields is ~330 MB of XML: xmlrpc needs far more heap than a default Node process has.
  ...casesFor(100_000, 'full', 3, false),
];
