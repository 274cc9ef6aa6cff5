import fc from 'fast-check';

import { SippyError, type SippyErrorKind } from '../errors/sippy.error';
import { decodeMethodResponse, type DecodeOptions, type XmlSource } from './xml-rpc-decoder';
import { serializeFault, serializeMethodResponse } from './xml-rpc-serializer';
import { XmlRpcI8, type XmlRpcStruct, type XmlRpcValue } from './xml-rpc.types';
import { mutatedBodyArbitrary, tokenSoupArbitrary, xmlRpcValueArbitrary, xmlTextArbitrary } from '../../testing/xml-rpc-arbitraries';

/*
 * Property / fuzz tests for the XML-RPC response decoder with random and hostile input. Every call
 * must resolve with a valid XmlRpcValue or reject with SippyError 'malformed' | 'fault' |
 * 'too_large' — anything else (TypeError, RangeError, stack overflow, a hang) fails the test.
 * Seed fixed so a failure reproduces; fast-check prints the seed and the counterexample path.
 */
const SEED = 0x0c_0d_ec;
fc.configureGlobal({ seed: SEED, numRuns: 200 });

const HANG_MS = 5000;
const DECODER_KINDS: readonly SippyErrorKind[] = ['malformed', 'fault', 'too_large'];
const LONE_SURROGATE = /\p{Surrogate}/u;

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};
beforeAll(() => process.on('unhandledRejection', onUnhandled));
afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
  expect(unhandled).toEqual([]);
});

/**
 * The first way a decoded value breaks the XmlRpcValue contract, or null. Iterative (the 100k-deep
 * test produces a 100k-deep array) and without expect() per node (100k members would be slow).
 * `fromBytes`: the source was bytes, so TextDecoder guarantees well-formed UTF-16 strings.
 */
function xmlRpcValueProblem(root: unknown, fromBytes: boolean): string | null {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (value === null || typeof value === 'boolean') continue;
    if (typeof value === 'string') {
      if (fromBytes && LONE_SURROGATE.test(value)) return 'string with a lone surrogate';
      continue;
    }
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) return `non-finite number ${value}`;
      continue;
    }
    if (value instanceof Date) {
      if (Number.isNaN(value.getTime())) return 'invalid Date';
      continue;
    }
    if (Buffer.isBuffer(value)) continue;
    if (Array.isArray(value)) {
      for (const item of value) stack.push(item);
      continue;
    }
    if (typeof value !== 'object') return `unexpected ${typeof value}`;
    if (Object.getPrototypeOf(value) !== Object.prototype) return 'struct without Object.prototype';
    for (const key of Object.keys(value)) stack.push((value as XmlRpcStruct)[key]);
  }
  return null;
}

/** Races the decoder against a timer; returns the value or the typed error, rethrows anything else. */
async function decodeOrTypedError(source: XmlSource, options?: DecodeOptions): Promise<XmlRpcValue | SippyError> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`HANG: the decoder did not settle within ${HANG_MS} ms`));
    }, HANG_MS);
  });
  try {
    const value = await Promise.race([decodeMethodResponse(source, options), deadline]);
    expect(xmlRpcValueProblem(value, typeof source !== 'string')).toBeNull();
    return value;
  } catch (error) {
    if (error instanceof SippyError && DECODER_KINDS.includes(error.kind)) {
      expect(error.message.length).toBeLessThan(600); // short, never the body
      return error;
    }
    throw error;
  } finally {
    clearTimeout(timer);
    // A synchronous (CPU-bound) runaway cannot be interrupted by the timer: the test's own timeout catches it.
    // No wall-clock assertion here (timed tests are flaky on a loaded machine; speed is in `npm run bench`).
  }
}

async function expectKind(source: XmlSource, kind: SippyErrorKind, options?: DecodeOptions): Promise<SippyError> {
  const result = await decodeOrTypedError(source, options);
  expect(result).toBeInstanceOf(SippyError);
  expect((result as SippyError).kind).toBe(kind);
  return result as SippyError;
}

const wrapNoDecl = (inner: string): string => `<methodResponse><params><param><value>${inner}</value></param></params></methodResponse>`;
const wrap = (inner: string): string => `<?xml version="1.0"?>${wrapNoDecl(inner)}`;

// eslint-disable-next-line @typescript-eslint/require-await -- a socket stand-in: the decoder reads an AsyncIterable; nothing to await
async function* chunksOf(bytes: Uint8Array, cuts: readonly number[]): AsyncGenerator<Uint8Array> {
  let from = 0;
  for (const cut of [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b)) {
    yield bytes.subarray(from, cut);
    from = cut;
  }
  yield bytes.subarray(from);
}

// -- arbitraries ---------------------------------------------------------------------------------

const xmlText = xmlTextArbitrary(40);
const xmlRpcValue = xmlRpcValueArbitrary({ text: xmlText });

/** What the decoder gives back for a serialized value (the documented decoding rules). */
function expectedDecoding(value: unknown): unknown {
  if (value instanceof XmlRpcI8) {
    const n = Number(value.digits);
    return Number.isSafeInteger(n) ? n + 0 : BigInt(value.digits).toString();
  }
  if (value instanceof Date) return new Date(Math.floor(value.getTime() / 1000) * 1000);
  if (typeof value === 'number') return value + 0;
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(expectedDecoding);
  if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      Object.defineProperty(out, k, { value: expectedDecoding(v), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}

/** A valid response body, without trailing whitespace (so every strict prefix is truncated). */
const validBody = fc.oneof(
  { weight: 4, arbitrary: xmlRpcValue.map((v) => serializeMethodResponse(v as XmlRpcValue).trimEnd()) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), xmlText)
      .map(([code, text]) => serializeFault(code, text).trimEnd()),
  },
);

const tokenSoup = tokenSoupArbitrary(['', '<methodResponse><params><param><value>', '<methodResponse><fault><value><struct>']);

const mutatedBody = mutatedBodyArbitrary(validBody, 5);

// -- properties ------------------------------------------------------------------------------------

describe(`XML-RPC decoder fuzz (seed ${SEED})`, () => {
  it('round trip: serializeMethodResponse → decodeMethodResponse gives the documented value', async () => {
    await fc.assert(
      fc.asyncProperty(xmlRpcValue, async (value) => {
        const decoded = await decodeOrTypedError(serializeMethodResponse(value as XmlRpcValue));
        expect(decoded).toEqual(expectedDecoding(value));
      }),
    );
  });

  it('chunking does not matter: any split of the bytes (even inside a character) decodes the same', async () => {
    await fc.assert(
      fc.asyncProperty(validBody, fc.array(fc.nat(), { maxLength: 8 }), async (body, cuts) => {
        const whole = await decodeOrTypedError(body);
        const chunked = await decodeOrTypedError(chunksOf(Buffer.from(body, 'utf8'), cuts));
        expect(chunked).toEqual(whole);
      }),
    );
  });

  it('every strict prefix of a valid body (truncated at a random point) is malformed', async () => {
    await fc.assert(
      fc.asyncProperty(validBody, fc.nat(), async (body, at) => {
        const bytes = Buffer.from(body, 'utf8');
        const cut = at % bytes.length; // 0 … length-1
        await expectKind(new Uint8Array(bytes.subarray(0, cut)), 'malformed');
      }),
    );
  });

  it('random byte mutations of valid bodies (incl. invalid UTF-8): a value or a typed error', async () => {
    await fc.assert(
      fc.asyncProperty(mutatedBody, async (bytes) => {
        await decodeOrTypedError(bytes);
      }),
      { numRuns: 400 },
    );
  });

  it('random bytes and random strings: a value or a typed error', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 200 }),
          fc.string({ unit: 'binary', maxLength: 200 }),
          fc.string({ unit: 'binary-ascii', maxLength: 200 }),
        ),
        async (source) => {
          await decodeOrTypedError(source);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('XML-RPC token soup (tags, entities, CDATA, PIs, DOCTYPE, NUL, surrogates): a value or a typed error', async () => {
    await fc.assert(
      fc.asyncProperty(tokenSoup, fc.boolean(), async (text, asBytes) => {
        await decodeOrTypedError(asBytes ? new Uint8Array(Buffer.from(text, 'utf8')) : text);
      }),
      { numRuns: 600 },
    );
  });

  it('fault structs with random members: fault (with code and string) or malformed', async () => {
    const member = fc.tuple(
      fc.constantFrom('faultCode', 'faultString', 'faultcode', '__proto__', 'other'),
      fc.constantFrom(
        '<int>4</int>',
        '<int>99999999999999999999</int>',
        '<string>4</string>',
        '<string> -7 </string>',
        '<string>x</string>',
        `<string>${'y'.repeat(5000)}</string>`,
        '<double>1.5</double>',
        '<nil/>',
        '<boolean>1</boolean>',
        '<array><data/></array>',
        '<struct/>',
        '',
      ),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(member, { maxLength: 4 }), async (members) => {
        const struct = members.map(([n, v]) => `<member><name>${n}</name><value>${v}</value></member>`).join('');
        const body = `<methodResponse><fault><value><struct>${struct}</struct></value></fault></methodResponse>`;
        const result = await decodeOrTypedError(body);
        expect(result).toBeInstanceOf(SippyError);
        const error = result as SippyError;
        expect(['fault', 'malformed']).toContain(error.kind);
        if (error.kind === 'fault') {
          expect(typeof error.faultCode).toBe('number');
          expect(typeof error.faultString).toBe('string');
          expect(error.message.length).toBeLessThan(400); // faultString is clipped in the message
        }
      }),
    );
  });

  it('maxBytes: too_large exactly when the body is longer, for every source shape', async () => {
    await fc.assert(
      fc.asyncProperty(validBody, fc.nat(), fc.array(fc.nat(), { maxLength: 4 }), async (body, limitSeed, cuts) => {
        const bytes = Buffer.from(body, 'utf8');
        const maxBytes = limitSeed % (bytes.length * 2 + 1);
        const tooLarge = bytes.length > maxBytes;
        for (const source of [body, new Uint8Array(bytes), chunksOf(bytes, cuts)]) {
          const result = await decodeOrTypedError(source, { maxBytes });
          const isTooLarge = result instanceof SippyError && result.kind === 'too_large';
          expect(isTooLarge).toBe(tooLarge);
        }
      }),
    );
  });
});

// -- hostile documents -------------------------------------------------------------------------------

describe('XML-RPC decoder, hostile documents', () => {
  it('DOCTYPE with nested internal entities ("billion laughs") is malformed without expansion', async () => {
    const entities = ['<!ENTITY lol0 "lol">'];
    for (let i = 1; i <= 9; i++) {
      entities.push(`<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`);
    }
    const body = `<?xml version="1.0"?><!DOCTYPE lolz [${entities.join('')}]>${wrapNoDecl('<string>&lol9;</string>')}`;
    const error = await expectKind(body, 'malformed');
    expect(error.message).toContain('DOCTYPE');
    // The same reference without a DOCTYPE is an undefined entity, not an expansion.
    await expectKind(wrap('<string>&lol9;</string>'), 'malformed');
  });

  it('external entities (SYSTEM file:///etc/passwd, parameter entities) are malformed and never read', async () => {
    const bodies = [
      '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' +
        '<methodResponse><params><param><value><string>&xxe;</string></value></param></params></methodResponse>',
      '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>' +
        '<methodResponse><params><param><value>x</value></param></params></methodResponse>',
      '<?xml version="1.0"?><!DOCTYPE methodResponse SYSTEM "file:///etc/passwd">' +
        '<methodResponse><params><param><value>x</value></param></params></methodResponse>',
    ];
    for (const body of bodies) {
      const error = await expectKind(body, 'malformed');
      expect(error.message).not.toMatch(/root:|nologin/);
      expect(JSON.stringify(error)).not.toMatch(/root:|nologin/);
    }
  });

  it('100 000 nesting levels are malformed (depth limit), arrays and structs, as text and bytes', async () => {
    const n = 100_000;
    const arrays = wrap(`${'<array><data><value>'.repeat(n)}1${'</value></data></array>'.repeat(n)}`);
    const structs = wrap(`${'<struct><member><name>a</name><value>'.repeat(n)}1${'</value></member></struct>'.repeat(n)}`);
    const unclosed = wrap('<array><data><value>'.repeat(n));
    for (const body of [arrays, structs, unclosed]) {
      const error = await expectKind(body, 'malformed');
      expect(error.message).toContain('nested deeper than 64');
      await expectKind(new Uint8Array(Buffer.from(body)), 'malformed');
    }
  });

  it('100 000 nesting levels with the depth limit lifted decode without recursion (no stack overflow)', async () => {
    const n = 100_000;
    const body = wrap(`${'<array><data><value>'.repeat(n)}<int>7</int>${'</value></data></array>'.repeat(n)}`);
    const result = await decodeOrTypedError(body, { maxDepth: n + 1 });
    let level = 0;
    let cursor: unknown = result;
    let wrongLengths = 0;
    while (Array.isArray(cursor)) {
      if (cursor.length !== 1) wrongLengths++;
      cursor = cursor[0];
      level++;
    }
    expect(level).toBe(n);
    expect(wrongLengths).toBe(0);
    expect(cursor).toBe(7);
  });

  it('a 10 MB single string decodes exactly, from text and from 64 KiB chunks', async () => {
    const big = 'x'.repeat(10 * 1024 * 1024 - 3) + 'é<&'; // escaped below
    const body = wrap(`<string>${big.replace('&', '&amp;').replace('<', '&lt;')}</string>`);
    const fromText = await decodeOrTypedError(body);
    expect(fromText).toBe(big);
    const bytes = Buffer.from(body, 'utf8');
    const cuts = Array.from({ length: Math.ceil(bytes.length / 65536) }, (_, i) => (i + 1) * 65536 - 1); // splits é
    const fromChunks = await decodeOrTypedError(chunksOf(bytes, cuts));
    expect(fromChunks).toBe(big);
  });

  it('out-of-range numbers decode to documented values (see docs/testing.md)', async () => {
    const MALFORMED = new SippyError('malformed', 'expected');
    const cases: [string, XmlRpcValue | SippyError][] = [
      ['<int>99999999999999999999999</int>', '99999999999999999999999'], // beyond 2^53: exact decimal string
      ['<int>-99999999999999999999999</int>', '-99999999999999999999999'],
      ['<int>+000099999999999999999999</int>', '99999999999999999999'], // sign and zeros dropped
      ['<i4>99999999999</i4>', 99999999999], // i4/int width is not enforced: safe integers pass
      ['<i8>9223372036854775807</i8>', '9223372036854775807'],
      ['<i8>9223372036854775808</i8>', '9223372036854775808'], // beyond 2^63: still the exact string
      ['<i8>-9223372036854775809</i8>', '-9223372036854775809'],
      ['<int>-0</int>', 0],
      ['<int>1e3</int>', MALFORMED],
      ['<int>0x10</int>', MALFORMED],
      ['<int></int>', MALFORMED],
      ['<double>1e400</double>', MALFORMED], // overflows to Infinity: refused
      ['<double>-1e400</double>', MALFORMED],
      ['<double>1e-400</double>', 0], // underflows to 0 (IEEE 754), not an error
      ['<double>NaN</double>', MALFORMED],
      ['<double>Infinity</double>', MALFORMED],
      ['<double>1.7976931348623157e308</double>', 1.7976931348623157e308],
      ['<double>5e-324</double>', 5e-324],
    ];
    for (const [inner, expected] of cases) {
      const result = await decodeOrTypedError(wrap(inner));
      if (expected instanceof SippyError) {
        expect(result).toBeInstanceOf(SippyError);
        expect((result as SippyError).kind).toBe(expected.kind);
      } else {
        expect(result).toEqual(expected);
      }
    }
    // A body of digits up to the byte limit is linear, not quadratic (found by this suite).
    const digits = '9'.repeat(1_000_000);
    expect(await decodeOrTypedError(wrap(`<int>${digits}</int>`))).toBe(digits);
    // 100 000 digits and a bad character: the old <double> pattern needed ~7 s here (quadratic).
    await expectKind(wrap(`<double>${digits.slice(0, 100_000)}x</double>`), 'malformed');
    expect((await expectKind(wrap(`<double>${digits}</double>`), 'malformed')).message).toContain('out of range');
    expect(await decodeOrTypedError(wrap(`<double>${digits.slice(0, 300)}</double>`))).toBe(Number(digits.slice(0, 300)));
  });

  it('invalid UTF-8 in text becomes U+FFFD; in markup it is malformed', async () => {
    const INVALID: number[][] = [[0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xff], [0xe2, 0x82], [0xf4, 0x90, 0x80, 0x80], [0x80]];
    for (const seq of INVALID) {
      const [head, tail] = wrap('<string>a\u0001b</string>').split('\u0001');
      const body = Buffer.concat([Buffer.from(head), Buffer.from(seq), Buffer.from(tail)]);
      const value = await decodeOrTypedError(new Uint8Array(body));
      expect(typeof value).toBe('string');
      expect(value as string).toMatch(/^a\uFFFD+b$/);
      const [h2, t2] = wrap('<str\u0001ing>a</string>').split('\u0001');
      await expectKind(new Uint8Array(Buffer.concat([Buffer.from(h2), Buffer.from(seq), Buffer.from(t2)])), 'malformed');
    }
  });

  it('NUL bytes and other XML-forbidden characters are malformed', async () => {
    for (const inner of [
      '<string>a\u0000b</string>',
      'a\u0000',
      '<string>&#0;</string>',
      '<string>\uFFFE</string>',
      '<string>&#xD800;</string>',
    ]) {
      await expectKind(wrap(inner), 'malformed');
      await expectKind(new Uint8Array(Buffer.from(wrap(inner), 'utf8')), 'malformed');
    }
    await expectKind(new Uint8Array(Buffer.alloc(4096)), 'malformed');
  });

  it('hostile encoding declarations and BOMs are malformed or decoded, never thrown', async () => {
    const body = wrapNoDecl('<string>ok</string>');
    const decls = ['utf-16', 'replacement', 'x-unknown', 'utf-32', 'UTF-7', 'iso-8859-1', '"', 'a'.repeat(600)];
    for (const encoding of decls) {
      await decodeOrTypedError(new Uint8Array(Buffer.from(`<?xml version="1.0" encoding="${encoding}"?>${body}`)));
    }
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(body, 'utf16le')]);
    expect(await decodeOrTypedError(new Uint8Array(utf16))).toBe('ok');
    await decodeOrTypedError(new Uint8Array(Buffer.from([0xfe, 0xff, 0x00, 0x3c, 0xd8])));
    await decodeOrTypedError(new Uint8Array(Buffer.from(`<?xml${' '.repeat(10_000)}`)));
  });

  it('a fault with missing members is malformed; with only a faultCode it is a fault with an empty string', async () => {
    const fault = (struct: string): string => `<methodResponse><fault><value>${struct}</value></fault></methodResponse>`;
    await expectKind(fault('<struct></struct>'), 'malformed');
    await expectKind(fault('<struct><member><name>faultString</name><value>x</value></member></struct>'), 'malformed');
    await expectKind(fault('<string>not a struct</string>'), 'malformed');
    await expectKind('<methodResponse><fault></fault></methodResponse>', 'malformed');
    const onlyCode = await expectKind(
      fault('<struct><member><name>faultCode</name><value><int>3</int></value></member></struct>'),
      'fault',
    );
    expect(onlyCode.faultCode).toBe(3);
    expect(onlyCode.faultString).toBe('');
  });

  it('a struct with 100 000 members, duplicate names (last wins) and __proto__ members', async () => {
    const n = 100_000;
    const members = Array.from({ length: n }, (_, i) => `<member><name>m${i}</name><value><i4>${i}</i4></value></member>`);
    const big = (await decodeOrTypedError(wrap(`<struct>${members.join('')}</struct>`))) as XmlRpcStruct;
    expect(Object.keys(big)).toHaveLength(n);
    expect(big[`m${n - 1}`]).toBe(n - 1);

    const dup = (await decodeOrTypedError(
      wrap(
        `<struct>${'<member><name>a</name><value>1</value></member>'.repeat(1000)}<member><name>a</name><value>last</value></member></struct>`,
      ),
    )) as XmlRpcStruct;
    expect(dup).toEqual({ a: 'last' });

    const proto = (await decodeOrTypedError(
      wrap(
        '<struct><member><name>__proto__</name><value><struct><member><name>polluted</name><value>yes</value></member></struct></value></member>' +
          '<member><name>constructor</name><value><struct><member><name>prototype</name><value><struct><member><name>polluted</name><value>yes</value></member></struct></value></member></struct></value></member></struct>',
      ),
    )) as XmlRpcStruct;
    expect(Object.getPrototypeOf(proto)).toBe(Object.prototype);
    expect(Object.keys(proto)).toEqual(['__proto__', 'constructor']);
    expect((proto as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('a 50 MB streamed body with maxBytes 16 MB: too_large, reading stops at the limit', async () => {
    const chunk = new Uint8Array(Buffer.alloc(64 * 1024, 'a'));
    const total = 50 * 1024 * 1024;
    const maxBytes = 16 * 1024 * 1024;
    let pulled = 0;
    let closedEarly = false;
    // eslint-disable-next-line @typescript-eslint/require-await -- a socket stand-in (AsyncIterable); nothing to await
    async function* fifty(): AsyncGenerator<Uint8Array> {
      try {
        yield new Uint8Array(Buffer.from('<?xml version="1.0"?><methodResponse><params><param><value><string>'));
        while (pulled < total) {
          pulled += chunk.byteLength;
          yield chunk; // the same 64 KiB buffer every time: 50 MB is never held in memory
        }
      } finally {
        closedEarly = pulled < total;
      }
    }
    await expectKind(fifty(), 'too_large', { maxBytes });
    expect(pulled).toBeLessThanOrEqual(maxBytes + chunk.byteLength);
    expect(closedEarly).toBe(true); // the iterator was closed (return()), not drained
  });
});
