import { isDeepStrictEqual } from 'node:util';

import fc from 'fast-check';

import { mulberry32 } from '../../simulator/random';
import { mutatedBodyArbitrary, tokenSoupArbitrary, xmlRpcValueArbitrary, xmlTextArbitrary } from '../../testing/xml-rpc-arbitraries';
import { decodeMethodCallSaxes, decodeMethodResponseSaxes } from '../../testing/xml-rpc-saxes-decoder';
import { SippyError } from '../errors/sippy.error';
import { decodeMethodCall, decodeMethodResponse, type DecodeOptions, type XmlSource } from './xml-rpc-decoder';
import { serializeMethodCall, serializeMethodResponse } from './xml-rpc-serializer';
import { XmlRpcI8, type XmlRpcValue } from './xml-rpc.types';

/*
 * Differential fuzz: the XML-RPC scanner (xml-rpc-decoder.ts) against the saxes decoder it
 * replaced (testing/xml-rpc-saxes-decoder.ts, a strict XML parser underneath). For every input —
 * valid bodies in random layouts (whitespace, CRLF, comments, PIs, references, CDATA, attributes,
 * prefixes), CDR pages whose rows repeat and vary (the scanner's member templates), byte
 * mutations, token soup — split into random chunks, both must resolve to deep-equal values or
 * reject with the same SippyError kind (and the same fault code and string).
 *
 * Documented differences (docs/xml-rpc-decoder.md), asserted at the end of this file instead:
 * - an XML 1.1 declaration is malformed for the scanner (saxes switched to XML 1.1 rules);
 * - a lone surrogate in a *string* source is malformed for the scanner (saxes let a lone high
 *   surrogate through); byte sources cannot contain one (TextDecoder writes U+FFFD).
 */
const SEED = 0x0d1ff;
fc.configureGlobal({ seed: SEED, numRuns: 300 });

type Outcome = { ok: true; value: unknown } | { ok: false; kind: string; faultCode?: number; faultString?: string; detail: string };

type Decode = (source: XmlSource, options?: DecodeOptions) => Promise<unknown>;

async function outcome(decode: Decode, source: XmlSource, options?: DecodeOptions): Promise<Outcome> {
  try {
    return { ok: true, value: await decode(source, options) };
  } catch (error) {
    if (!(error instanceof SippyError)) {
      throw error; // TypeError & co. are bugs here: every source below is valid
    }
    return { ok: false, kind: error.kind, faultCode: error.faultCode, faultString: error.faultString, detail: error.message };
  }
}

/** A source that can be made twice (async iterables are single-use). */
type SourceFactory = () => XmlSource;

async function* chunks(parts: readonly (Uint8Array | string)[]): AsyncGenerator<Uint8Array | string> {
  for (const part of parts) {
    yield await Promise.resolve(part); // a chunk per turn of the event loop, like a socket
  }
}

function split<T extends Uint8Array | string>(whole: T, cuts: readonly number[]): T[] {
  const points = [...new Set(cuts.map((c) => c % (whole.length + 1)))].sort((a, b) => a - b);
  const parts: T[] = [];
  let from = 0;
  for (const point of points) {
    parts.push(whole.slice(from, point) as T);
    from = point;
  }
  parts.push(whole.slice(from) as T);
  return parts;
}

/** The ways a body reaches the decoders: whole text, whole bytes, byte chunks, text chunks. */
function sources(body: string, cuts: readonly number[]): [string, SourceFactory][] {
  const bytes = Buffer.from(body, 'utf8');
  return [
    ['string', () => body],
    ['bytes', () => new Uint8Array(bytes)],
    ['byte chunks', () => chunks(split(new Uint8Array(bytes), cuts))],
    ['string chunks', () => chunks(split(body, cuts))],
  ];
}

const LONE_SURROGATE = /\p{Surrogate}/u;

async function expectSameOutcome(label: string, make: SourceFactory, method: 'response' | 'call' = 'response'): Promise<void> {
  const [ours, saxes] =
    method === 'response'
      ? [await outcome(decodeMethodResponse, make()), await outcome(decodeMethodResponseSaxes, make())]
      : [await outcome(decodeMethodCall, make()), await outcome(decodeMethodCallSaxes, make())];
  if (!ours.ok && ours.detail.endsWith('unsupported XML version')) {
    return; // an XML 1.x declaration other than 1.0 (a mutation can make one): documented difference, see below
  }
  if (ours.ok && saxes.ok) {
    if (!isDeepStrictEqual(ours.value, saxes.value)) {
      throw new Error(`${label}: different values\n  scanner: ${show(ours.value)}\n  saxes:   ${show(saxes.value)}`);
    }
    return;
  }
  if (!ours.ok && !saxes.ok) {
    if (ours.kind !== saxes.kind || ours.faultCode !== saxes.faultCode || ours.faultString !== saxes.faultString) {
      throw new Error(`${label}: different errors\n  scanner: ${ours.kind} ${ours.detail}\n  saxes:   ${saxes.kind} ${saxes.detail}`);
    }
    return;
  }
  const described = (o: Outcome): string => (o.ok ? `value ${show(o.value)}` : `${o.kind}: ${o.detail}`);
  throw new Error(`${label}: one decoded, one failed\n  scanner: ${described(ours)}\n  saxes:   ${described(saxes)}`);
}

function show(value: unknown): string {
  const text = (JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)) as string | undefined) ?? String(value);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

async function expectSameForEverySource(body: string, cuts: readonly number[], method: 'response' | 'call' = 'response'): Promise<void> {
  for (const [label, make] of sources(body, cuts)) {
    if (label.startsWith('string') && LONE_SURROGATE.test(body)) {
      continue; // documented difference, see below
    }
    await expectSameOutcome(label, make, method);
  }
}

// -- arbitraries ---------------------------------------------------------------------------------

const xmlText = xmlTextArbitrary(24);
const cdrText = fc.constantFrom(
  '',
  'OK',
  ' padded ',
  'TURKEY',
  'İstanbul Çağrı',
  'a&b<c>d',
  ']]>',
  'x]]y',
  '\r\n',
  'tab\there',
  '📞 emoji',
  '0.5',
  '-7',
  'caller',
);

const xmlRpcValue = xmlRpcValueArbitrary({
  text: xmlText,
  moreText: cdrText,
  keys: fc.oneof(xmlText, fc.constantFrom('i_cdr', 'cli', '__proto__', 'constructor')),
  minDate: new Date('0001-01-01T00:00:00Z'),
  maxBase64Bytes: 12,
});

/**
 * Writes a value as XML-RPC in a random but (mostly) valid layout: whitespace (also CRLF) and
 * comments/PIs between elements, untyped or typed strings, references and CDATA in text,
 * namespace prefixes and attributes, self-closing empty elements. `rate` is how often a choice
 * departs from the plain layout.
 */
function writeValue(value: unknown, random: () => number, rate: number): string {
  const odd = (): boolean => random() < rate;
  const pick = <T>(options: readonly T[]): T => options[Math.floor(random() * options.length)];
  const gap = (): string => (odd() ? pick([' ', '\n', '\r\n', '\t', '<!-- c -->', '<?pi x?>', '\n  ', '&#32;', '<![CDATA[ ]]>']) : '');
  const text = (s: string): string => {
    if (odd() && !s.includes(']]>')) {
      return `<![CDATA[${s}]]>`;
    }
    let out = '';
    for (const c of s) {
      if (c === '&') out += pick(['&amp;', '&#38;', '&#x26;']);
      else if (c === '<') out += pick(['&lt;', '&#60;', '&#x3C;']);
      else if (c === '>') out += odd() ? '>' : '&gt;';
      else if (c === '\r') out += pick(['&#13;', '&#xD;', '\r']);
      else if (odd()) out += pick([`&#${c.codePointAt(0)};`, `&#x${c.codePointAt(0)?.toString(16)};`]);
      else out += c;
    }
    return out;
  };
  const tag = (name: string): string => (odd() ? pick([`ex:${name}`, name]) : name);
  const typed = (name: string, content: string): string => {
    const t = tag(name);
    return `<value>${gap()}<${t}${odd() ? ' a="1"' : ''}>${content}</${t}>${gap()}</value>`;
  };
  if (value === null) {
    return `<value>${gap()}<${pick(['nil/', 'nil></nil', 'ex:nil/'])}>${gap()}</value>`;
  }
  if (typeof value === 'string') {
    if (value === '' && odd()) {
      return pick(['<value/>', '<value></value>', '<value><string/></value>']);
    }
    return odd() ? `<value>${text(value)}</value>` : typed('string', text(value));
  }
  if (typeof value === 'boolean') {
    return typed('boolean', value ? '1' : '0');
  }
  if (typeof value === 'number') {
    if (Number.isInteger(value) && odd()) {
      return typed(pick(['int', 'i4', 'i8']), `${odd() ? ' ' : ''}${value}`);
    }
    return typed('double', Number.isInteger(value) ? `${value}.0` : String(value).replace(/e([+-])/, 'E$1'));
  }
  if (value instanceof XmlRpcI8) {
    return typed('i8', value.digits);
  }
  if (value instanceof Date) {
    return typed(
      'dateTime.iso8601',
      value
        .toISOString()
        .replace(/\.\d+Z$/, '')
        .replace(/[-]/g, odd() ? '-' : ''),
    );
  }
  if (Buffer.isBuffer(value)) {
    return typed('base64', value.toString('base64'));
  }
  if (Array.isArray(value)) {
    if (value.length === 0 && odd()) {
      return pick(['<value><array><data/></array></value>', '<value><array/></value>']);
    }
    const t = tag('array');
    return `<value>${gap()}<${t}>${gap()}<data>${value.map((v) => gap() + writeValue(v, random, rate)).join('')}${gap()}</data>${gap()}</${t}>${gap()}</value>`;
  }
  const members = Object.entries(value as Record<string, unknown>).map(([key, v]) => {
    const name = `<name>${text(key)}</name>`;
    const valueXml = writeValue(v, random, rate);
    return `${gap()}<member>${gap()}${odd() ? valueXml + gap() + name : name + gap() + valueXml}${gap()}</member>`;
  });
  return `<value>${gap()}<struct>${members.join('')}${gap()}</struct>${gap()}</value>`;
}

function writeResponse(value: unknown, seed: number, rate: number): string {
  const random = mulberry32(seed);
  const decl = random() < 0.7 ? `<?xml version="1.0"${random() < 0.3 ? ' encoding="UTF-8"' : ''}?>\n` : '';
  const root = random() < 0.2 ? '<methodResponse xmlns:ex="http://ws.apache.org/xmlrpc/namespaces/extensions">' : '<methodResponse>';
  return `${decl}${root}<params><param>${writeValue(value, random, rate)}</param></params></methodResponse>\n`;
}

/**
 * A getAccountCDRs-like page: rows with the same keys in the same order (the scanner's member
 * templates and struct shapes), field types that vary between rows, and now and then a row with a
 * member missing, repeated (the last value wins) or named `__proto__`.
 */
const CDR_KEYS = [
  'i_cdr',
  'cli',
  'cld',
  'cost',
  'duration',
  'area_name',
  'result',
  'p_asserted_id',
  'country',
  'x',
  'i_account',
  'call_id',
  'setup_time',
  'remote_ip',
];
const cdrPage = fc
  .record({
    keys: fc.uniqueArray(fc.constantFrom(...CDR_KEYS), { minLength: 1, maxLength: 14 }),
    rows: fc.integer({ min: 1, max: 12 }),
    seed: fc.integer(),
    rate: fc.constantFrom(0, 0.02, 0.1),
  })
  .map(({ keys, rows, seed, rate }) => {
    const random = mulberry32(seed);
    const cell = (): unknown => {
      const r = random();
      if (r < 0.15) return null;
      if (r < 0.3) return Math.floor(random() * 1e6) - 1000;
      if (r < 0.45) return Math.round(random() * 1e5) / 1e3;
      if (r < 0.5) return random() < 0.5;
      if (r < 0.55) return new XmlRpcI8(`${4_000_000_000 + Math.floor(random() * 1e6)}`);
      return ['OK', '905321234567', 'İstanbul', 'a&b', '', ' x ', 'TURKEY', '<sip:1@h>'][Math.floor(random() * 8)];
    };
    const cdrs = Array.from({ length: rows }, () => {
      const own = random() < 0.1 ? keys.filter((_, i) => i !== Math.floor(random() * keys.length)) : keys;
      const row = Object.fromEntries(own.map((k) => [k, cell()]));
      if (random() < 0.05) {
        Object.defineProperty(row, '__proto__', { value: cell(), enumerable: true, writable: true, configurable: true });
      }
      return row;
    });
    let body = writeResponse({ result: 'OK', cdrs }, seed, rate);
    if (random() < 0.2) {
      // repeat one member of a CDR in place: a struct with a duplicate name
      const starts = [...body.matchAll(/<member>/g)].map((m) => m.index);
      const start = starts[Math.floor(random() * starts.length)] as number | undefined;
      const end = body.indexOf('</member>', start);
      if (start !== undefined && end !== -1 && !body.slice(start + 8, end).includes('<member>')) {
        const member = body.slice(start, end + 9);
        body = body.slice(0, start) + member + body.slice(start);
      }
    }
    return body;
  });

const validBody = fc.oneof(
  {
    weight: 2,
    arbitrary: fc
      .tuple(xmlRpcValue, fc.integer(), fc.constantFrom(0, 0.05, 0.2, 0.5))
      .map(([v, seed, rate]) => writeResponse(v, seed, rate)),
  },
  { weight: 2, arbitrary: cdrPage },
  { weight: 1, arbitrary: xmlRpcValue.map((v) => serializeMethodResponse(v as XmlRpcValue)) },
);

const tokenSoup = tokenSoupArbitrary(
  ['', '<methodResponse><params><param><value>', '<methodResponse><fault><value><struct>', '<?xml version="1.0"?>'],
  ['', '</value></param></params></methodResponse>'],
);

const mutatedBody = mutatedBodyArbitrary(validBody, 4);

/** Things to put between two pieces of markup of a valid body: most are fine, some are one defect. */
const BETWEEN = [
  ' ',
  '\r',
  '\r\n',
  '&#32;',
  '&#x9;',
  '&#160;',
  'x',
  '&amp;',
  ']]>',
  '<!-- ok -->',
  '<!---->',
  '<!-- a -- b -->',
  '<!-- a --->',
  '<!-- é 📞 -->',
  '<!-- \u0001 -->',
  '<?pi x?>',
  '<?pi?>',
  '<?pi?x?>',
  '<?xml-stylesheet href="a"?>',
  '<?xml version="1.0"?>',
  '<?Xml x?>',
  '<? x?>',
  '<![CDATA[ ]]>',
  '<![CDATA[x]]>',
  '<!DOCTYPE x>',
  '<x/>',
  '</x>',
];
/** Things to put at the end of a start tag's name: attributes, most of them fine. */
const IN_TAG = [
  ' a="1"',
  " a='1'",
  ' a = "1" ',
  '\r\na="1"',
  ' a="1" b="2"',
  ' a="1" a="2"',
  ' a="1"b="2"',
  ' a=1',
  ' a',
  ' a="<"',
  ' a=">"',
  ' a="&amp;&#65;"',
  ' a="&x;"',
  ' a="&"',
  ' a="\u0001"',
  ' xmlns:ex="urn:x"',
  ' 1a="1"',
  ' ',
  '/',
];

/** A valid body with one insertion at a markup boundary or inside a start tag. */
const oneDefect = fc
  .tuple(validBody, fc.nat(), fc.boolean(), fc.constantFrom(...BETWEEN), fc.constantFrom(...IN_TAG))
  .map(([body, at, inTag, between, attribute]) => {
    const boundaries: number[] = [];
    for (let i = body.indexOf('<'); i !== -1; i = body.indexOf('<', i + 1)) {
      if (inTag) {
        const name = /^<[A-Za-z:][\w.:-]*/.exec(body.slice(i, i + 40));
        if (name !== null && body[i + name[0].length] !== '/') boundaries.push(i + name[0].length);
      } else {
        boundaries.push(i);
      }
    }
    if (boundaries.length === 0) return body;
    const i = boundaries[at % boundaries.length];
    return body.slice(0, i) + (inTag ? attribute : between) + body.slice(i);
  });

const cuts = fc.array(fc.nat(), { maxLength: 8 });

// -- properties --------------------------------------------------------------------------------------

describe(`XML-RPC decoder differential fuzz: scanner vs saxes (seed ${SEED})`, () => {
  it('valid bodies in random layouts decode identically, whole and in any chunks', async () => {
    await fc.assert(
      fc.asyncProperty(validBody, cuts, async (body, at) => {
        await expectSameForEverySource(body, at);
      }),
      { numRuns: 400 },
    );
  });

  it('CDR pages whose rows repeat and vary (member templates) decode identically, in chunks of every size', async () => {
    await fc.assert(
      fc.asyncProperty(cdrPage, fc.integer({ min: 1, max: 97 }), async (body, size) => {
        const bytes = new Uint8Array(Buffer.from(body, 'utf8'));
        const cutsEvery = Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => (i + 1) * size);
        await expectSameOutcome('byte chunks', () => chunks(split(bytes, cutsEvery)));
        await expectSameOutcome('string', () => body);
      }),
      { numRuns: 200 },
    );
  });

  it('byte mutations of valid bodies (invalid UTF-8 too) give the same value or the same error kind', async () => {
    await fc.assert(
      fc.asyncProperty(mutatedBody, cuts, async (bytes, at) => {
        await expectSameOutcome('bytes', () => new Uint8Array(bytes));
        await expectSameOutcome('byte chunks', () => chunks(split(new Uint8Array(bytes), at)));
      }),
      { numRuns: 600 },
    );
  });

  it('token soup (tags, attributes, references, CDATA, comments, PIs, declarations, control characters) agrees', async () => {
    await fc.assert(
      fc.asyncProperty(tokenSoup, cuts, async (text, at) => {
        await expectSameForEverySource(text, at);
      }),
      { numRuns: 1500 },
    );
  });

  it('one insertion in a valid body (comment, PI, reference, attribute, stray markup or text) agrees', async () => {
    await fc.assert(
      fc.asyncProperty(oneDefect, cuts, async (body, at) => {
        await expectSameForEverySource(body, at);
      }),
      { numRuns: 1500 },
    );
  });

  it('every prefix of a valid body agrees (truncation at any point, also inside a template)', async () => {
    await fc.assert(
      fc.asyncProperty(cdrPage, fc.nat(), async (body, at) => {
        const bytes = Buffer.from(body, 'utf8');
        const cut = at % bytes.length;
        await expectSameOutcome('bytes', () => new Uint8Array(bytes.subarray(0, cut)));
      }),
    );
  });

  it('methodCall: serialized calls decode identically', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(xmlRpcValue, { maxLength: 3 }), cuts, async (params, at) => {
        const body = serializeMethodCall('sippy.test', params as XmlRpcValue[]);
        await expectSameForEverySource(body, at, 'call');
      }),
      { numRuns: 150 },
    );
  });
});

describe('documented differences from the saxes decoder', () => {
  const body = '<methodResponse><params><param><value><string>ok</string></value></param></params></methodResponse>';

  it('an XML 1.1 declaration is malformed (XML-RPC servers write 1.0; 1.1 changes character and line-end rules)', async () => {
    const xml11 = `<?xml version="1.1"?>${body}`;
    await expect(decodeMethodResponseSaxes(xml11)).resolves.toBe('ok');
    await expect(decodeMethodResponse(xml11)).rejects.toThrow('unsupported XML version');
    await expect(decodeMethodResponse(xml11)).rejects.toMatchObject({ kind: 'malformed' });
  });

  it('a lone surrogate in a string source is malformed (saxes let a lone high surrogate through)', async () => {
    const lone = body.replace('ok', 'o\uD800k');
    await expect(decodeMethodResponseSaxes(lone)).resolves.toEqual(expect.any(String));
    await expect(decodeMethodResponse(lone)).rejects.toMatchObject({ kind: 'malformed' });
    // From bytes there is nothing to differ on: TextDecoder turns the bad sequence into U+FFFD.
    const bytes = Buffer.concat([
      Buffer.from(body.slice(0, body.indexOf('ok') + 1)),
      Buffer.from([0xed, 0xa0, 0x80]),
      Buffer.from(body.slice(body.indexOf('ok') + 1)),
    ]);
    await expect(decodeMethodResponse(new Uint8Array(bytes))).resolves.toBe(await decodeMethodResponseSaxes(new Uint8Array(bytes)));
  });
});

describe('regressions found by this fuzz', () => {
  it('a member template is never taken from two buffers with equal text (5-byte chunks, a repeated member)', async () => {
    const member = (name: string, value: string): string => `<member><name>${name}</name><value><string>${value}</string></value></member>`;
    const row = (...members: string[]): string => `<value><struct>${members.join('')}</struct></value>`;
    const body =
      '<methodResponse><params><param><value><array><data>' +
      row(member('x', 'a&amp;b'), member('i', '1')) +
      row(member('x', '&#x3C;sip:1@h&gt;'), member('x', '&#x3C;sip:1@h&gt;'), member('i', '2')) +
      row(member('x', ' x '), member('i', '3')) +
      '</data></array></value></param></params></methodResponse>';
    const expected = [
      { x: 'a&b', i: '1' },
      { x: '<sip:1@h>', i: '2' },
      { x: ' x ', i: '3' },
    ];
    for (const size of [1, 2, 3, 5, 7, 64]) {
      const bytes = new Uint8Array(Buffer.from(body));
      const parts = split(
        bytes,
        Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => (i + 1) * size),
      );
      await expect(decodeMethodResponse(chunks(parts))).resolves.toStrictEqual(expected);
    }
  });
});

describe('UTF-8 bytes cut at every offset (the scanner reads bytes as latin1 and decodes runs itself)', () => {
  const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');
  const bytes = (...parts: (string | number[])[]): Buffer =>
    Buffer.concat(parts.map((part) => (typeof part === 'string' ? utf8(part) : Buffer.from(part))));
  /** `text` as UTF-8 with its `#`s replaced by these byte sequences, in order. */
  const placed = (text: string, ...sequences: number[][]): Buffer =>
    Buffer.concat(text.split('#').flatMap((part, i) => (i === 0 ? [utf8(part)] : [Buffer.from(sequences[i - 1]), utf8(part)])));
  const response = (value: string): string => `<methodResponse><params><param><value>${value}</value></param></params></methodResponse>`;
  const member = (name: string, value: string): string => `<member><name>${name}</name><value><string>${value}</string></value></member>`;
  const page = (...rows: string[][]): string =>
    response(`<array><data>${rows.map((row) => `<value><struct>${row.join('\n')}</struct></value>`).join('\n')}</data></array>`);

  /** Every split in two, every split in three around each non-ASCII byte, and 1-byte chunks: same outcome as saxes. */
  async function expectSameAtEveryCut(body: Buffer): Promise<void> {
    const whole = new Uint8Array(body);
    await expectSameOutcome('bytes', () => new Uint8Array(whole));
    for (let cut = 0; cut <= whole.length; cut++) {
      await expectSameOutcome(`bytes cut at ${cut}`, () => chunks(split(new Uint8Array(whole), [cut])));
      if (whole[cut] >= 0x80) {
        await expectSameOutcome(`bytes cut at ${cut}, ${cut + 1}`, () => chunks(split(new Uint8Array(whole), [cut, cut + 1])));
      }
    }
    await expectSameOutcome('1-byte chunks', () => chunks(Array.from(whole, (byte) => new Uint8Array([byte]))));
  }

  const valid: [string, Buffer, unknown][] = [
    ['Turkish string', utf8(response('<string>Çağrı Merkezi — İstanbul ğüşıöç</string>')), 'Çağrı Merkezi — İstanbul ğüşıöç'],
    ['untyped value, 4-byte character', utf8(response('a😀b €')), 'a😀b €'],
    [
      'text around a comment, a CDATA section and a reference',
      utf8(response('<string>ş<!-- ğ -->İ<![CDATA[ç<>]]>&#x131;ö</string>')),
      'şİç<>ıö',
    ],
    [
      'member names and a prefixed type',
      utf8(response('<struct><member><name>şehir</name><value><ğ:int>7</ğ:int></value></member></struct>')),
      { şehir: 7 },
    ],
    [
      'attributes and a processing instruction',
      utf8(`<?xml version="1.0" encoding="UTF-8"?><?ış ğ?>${response('<string ğ="ş" ü=\'İ\'>x</string>')}`),
      'x',
    ],
    ['UTF-8 BOM', bytes([0xef, 0xbb, 0xbf], response('<string>\uFEFFğ</string>')), '\uFEFFğ'],
    [
      'CDR rows: ASCII first, then Turkish text through the member templates',
      utf8(
        page(
          [member('cli', 'Ankara'), member('city', 'Izmir'), member('n', 'a')],
          [member('cli', 'Çorum'), member('city', 'İzmir ğ'), member('n', 'b')],
          [member('cli', 'Ağrı'), member('city', 'x'), member('n', 'c')],
        ),
      ),
      [
        { cli: 'Ankara', city: 'Izmir', n: 'a' },
        { cli: 'Çorum', city: 'İzmir ğ', n: 'b' },
        { cli: 'Ağrı', city: 'x', n: 'c' },
      ],
    ],
  ];

  it.each(valid)('%s: the expected value from any chunks', async (_label, body, expected) => {
    await expect(decodeMethodResponse(new Uint8Array(body))).resolves.toStrictEqual(expected);
    await expectSameAtEveryCut(body);
  });

  const invalid: [string, Buffer][] = [
    ['truncated sequence before a tag', placed(response('<string>a#</string>'), [0xc3])],
    ['lone continuation bytes', placed(response('<string>a#b</string>'), [0x80, 0xbf])],
    ['overlong and surrogate encodings', placed(response('<string>#</string>'), [0xc0, 0xaf, 0xe0, 0x80, 0xaf, 0xed, 0xa0, 0x80])],
    ['beyond U+10FFFF, 0xFF, a cut 4-byte sequence', placed(response('a#b'), [0xf4, 0x90, 0x80, 0x80, 0xff, 0xf0, 0x9f])],
    ['U+FFFE (not an XML character)', placed(response('<string>a#</string>'), [0xef, 0xbf, 0xbe])],
    ['U+FFFF in a comment', placed(response('<!--#--><string>a</string>'), [0xef, 0xbf, 0xbf])],
    ['invalid bytes in element names (both read as U+FFFD)', placed(response('<#:int>1</#:int>'), [0xff], [0xfe])],
    [
      'invalid bytes in member names, CDR rows (both read as U+FFFD)',
      placed(page([member('a#', 'x')], [member('a#', 'y')]), [0xff], [0xc3]),
    ],
    [
      'a cut sequence in a member name',
      placed(response('<struct><member><name>a#</name><value>1</value></member></struct>'), [0xe2, 0x82]),
    ],
    ['invalid bytes in an attribute and a CDATA section', placed(response('<string a="#"><![CDATA[#]]></string>'), [0xc3], [0xe2, 0x28])],
    ['a C1 control and invalid bytes through the templates', placed(page([member('a', 'x')], [member('a', '\u0085#y')]), [0xe0, 0x80])],
    ['invalid bytes in a close tag name only', placed(response('<ş:int>1</#:int>'), [0xc5])],
    ['invalid bytes in an unknown root', placed('<#>x</#>', [0xff], [0xfe])],
  ];

  it.each(invalid)('%s: same value or error as TextDecoder + saxes from any chunks', async (_label, body) => {
    await expectSameAtEveryCut(body);
  });

  it('invalid UTF-8 through the member templates', async () => {
    const body = utf8(page([member('a', 'x'), member('b', 'y')], [member('a', 'PLACE'), member('b', 'z')]));
    const at = body.indexOf('PLACE');
    for (const sequence of [[0xc3], [0xff], [0xef, 0xbf, 0xbe], [0xed, 0xa0, 0x80], [0xe2, 0x82, 0x28], [0xf0, 0x9f, 0x98, 0x80]]) {
      const mutated = Buffer.concat([body.subarray(0, at), Buffer.from(sequence), body.subarray(at + 5)]);
      await expectSameAtEveryCut(mutated);
    }
  });

  it('bytes, then a string chunk (a character cut there becomes U+FFFD), then bytes again: same as saxes', async () => {
    const body = utf8(page([member('şehir', 'Çorum'), member('b', 'ğ')], [member('şehir', 'İzmir'), member('b', 'ü')]));
    for (let cut = 1; cut < body.length - 1; cut++) {
      const tail = Math.min(body.length, cut + 20);
      const parts = [new Uint8Array(body.subarray(0, cut)), body.subarray(cut, tail).toString('utf8'), new Uint8Array(body.subarray(tail))];
      await expectSameOutcome(`bytes to ${cut}, a string to ${tail}, bytes`, () => chunks(parts));
    }
  });

  it('a source that reuses one buffer for every chunk: values cut from the bytes are never read after the chunk', async () => {
    const rows = Array.from({ length: 40 }, (_, i) => [
      member('call_id', `call-${i}-0123456789abcdef@example.net`),
      member('city', i % 3 === 0 ? 'İstanbul Avrupa Yakası' : 'Ankara Merkez Bölgesi'),
      member('n', String(i)),
      member('note', i % 10 === 5 ? String(i).repeat(2500) : `note ${i} for row number ${i}`), // a few longer than a chunk
    ]);
    const body = utf8(page(...rows));
    const expected = await decodeMethodResponse(body.toString('utf8'));
    // Equal sizes, and tiny chunks followed by a big one (the tiny ones wait as pending text, then are joined to it).
    const schedules = [[7], [64], [333], [1024], [4096], [3, 2, 4000, 5, 1500], [1, 1, 1, 9000]];
    for (const sizes of schedules) {
      const reused = Buffer.alloc(Math.max(...sizes));
      async function* reusing(): AsyncGenerator<Uint8Array> {
        for (let at = 0, i = 0; at < body.length; i++) {
          const n = body.copy(reused, 0, at, at + sizes[i % sizes.length]);
          at += n;
          yield await Promise.resolve(reused.subarray(0, n));
          reused.fill(0x41); // the source writes its next data over the chunk it gave
        }
      }
      await expect(decodeMethodResponse(reusing())).resolves.toStrictEqual(expected);
    }
  });

  it('the decoded strings of a Turkish page are proper text, not latin1', async () => {
    const value = await decodeMethodResponse(chunks(split(new Uint8Array(utf8(response('<string>ığüşöçİ</string>'))), [60, 61, 62, 63])));
    expect(value).toBe('ığüşöçİ');
    expect(Array.from(value as string, (c) => c.codePointAt(0))).toEqual([0x131, 0x11f, 0xfc, 0x15f, 0xf6, 0xe7, 0x130]);
  });
});
