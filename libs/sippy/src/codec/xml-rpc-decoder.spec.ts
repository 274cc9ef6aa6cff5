import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { isDeepStrictEqual } from 'node:util';

import { SippyError } from '../errors/sippy.error';
import { decodeMethodCall, decodeMethodResponse, type XmlSource } from './xml-rpc-decoder';
import type { XmlRpcStruct, XmlRpcValue } from './xml-rpc.types';
import { mulberry32 as prng } from '../../simulator/random';

const FIXTURES = join(__dirname, '../../testing/fixtures');
const fixture = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');

const respond = (valueXml: string): string =>
  `<?xml version="1.0"?><methodResponse><params><param><value>${valueXml}</value></param></params></methodResponse>`;

async function decodeError(source: XmlSource, options = {}): Promise<SippyError> {
  try {
    await decodeMethodResponse(source, options);
  } catch (error) {
    expect(error).toBeInstanceOf(SippyError);
    return error as SippyError;
  }
  throw new Error('expected decodeMethodResponse to reject');
}

// eslint-disable-next-line @typescript-eslint/require-await -- a socket stand-in: the decoder reads an AsyncIterable; nothing to await
async function* chunks(parts: (Uint8Array | string)[]): AsyncGenerator<Uint8Array | string> {
  for (const part of parts) {
    yield part;
  }
}

function randomChunks(bytes: Buffer, seed: number, maxChunk: number): Buffer[] {
  const random = prng(seed);
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length;) {
    const size = 1 + Math.floor(random() * maxChunk);
    out.push(bytes.subarray(i, i + size));
    i += size;
  }
  return out;
}

/** A getAccountCDRs-like page with `count` CDRs and multi-byte text in every CDR. */
function cdrPage(count: number): string {
  const cdrs: string[] = [];
  for (let i = 0; i < count; i++) {
    cdrs.push(
      '<value><struct>' +
        `<member><name>i_cdr</name><value><int>${418238747 + i}</int></value></member>` +
        `<member><name>i_call</name><value><i8>${5_000_000_000 + i}</i8></value></member>` +
        `<member><name>cli</name><value><string>90532${String(i).padStart(7, '0')}</string></value></member>` +
        `<member><name>area_name</name><value><string>İstanbul Çağrı ${i} 📞</string></value></member>` +
        `<member><name>duration</name><value><double>${(i * 1.37).toFixed(5)}</double></value></member>` +
        `<member><name>lrn_cld</name><value><nil/></value></member>` +
        `<member><name>when</name><value><dateTime.iso8601>20261124T10:${String(i % 60).padStart(2, '0')}:12</dateTime.iso8601></value></member>` +
        '</struct></value>',
    );
  }
  return respond(
    `<struct><member><name>result</name><value><string>OK</string></value></member>` +
      `<member><name>cdrs</name><value><array><data>\n${cdrs.join('\n')}\n</data></array></value></member></struct>`,
  );
}

describe('decodeMethodResponse: value types', () => {
  it('decodes int, i4, i8, double, boolean, string, nil, base64 and dateTime', async () => {
    const value = await decodeMethodResponse(fixture('scalar-types.xml'));
    expect(value).toEqual([
      2147483647,
      -2147483648,
      42,
      114.87321,
      -0.0007,
      1.5e-7,
      3,
      true,
      false,
      '  leading and trailing spaces  ',
      'line one\nline two',
      '',
      '',
      'bare text is a string',
      '',
      '',
      null,
      Buffer.from('hello, Sippy!'),
      Buffer.from(Array.from({ length: 65 }, (_, i) => i)),
      Buffer.alloc(0),
      new Date(Date.UTC(2026, 10, 24, 10, 3, 12)),
      new Date(Date.UTC(2026, 10, 24, 10, 3, 12, 345)),
      new Date(Date.UTC(2026, 10, 24, 10, 3, 12)),
      new Date(Date.UTC(2026, 10, 24, 10, 3, 12)),
      new Date(Date.UTC(2024, 1, 29, 23, 59, 59)),
    ]);
  });

  it('returns i8 (and int) as a number when it is a safe integer, else as the exact decimal string', async () => {
    await expect(decodeMethodResponse(fixture('large-ids-i8.xml'))).resolves.toStrictEqual({
      i_cdr: 418238747,
      i_call_big: 4294967296123,
      max_safe: 9007199254740991,
      beyond_safe: '9007199254740993',
      int64_max: '9223372036854775807',
      int64_min: '-9223372036854775808',
      i_cdr_as_string: '418238748',
    });
    await expect(decodeMethodResponse(respond('<int>+00012</int>'))).resolves.toBe(12);
    await expect(decodeMethodResponse(respond('<i8>-0</i8>'))).resolves.toBe(0);
    await expect(decodeMethodResponse(respond('<i8>-0009007199254740993</i8>'))).resolves.toBe('-9007199254740993');
  });

  it('reads zone-less dateTime values as UTC whatever the process TZ is', async () => {
    const previous = process.env['TZ'];
    try {
      process.env['TZ'] = 'Asia/Kolkata'; // +05:30: the half-hour zone xmlrpc's date formatter gets wrong
      await expect(decodeMethodResponse(respond('<dateTime.iso8601>20240102T03:04:05</dateTime.iso8601>'))).resolves.toEqual(
        new Date('2024-01-02T03:04:05Z'),
      );
    } finally {
      process.env['TZ'] = previous;
    }
  });

  it('applies zone offsets (datetime-offsets.xml)', async () => {
    await expect(decodeMethodResponse(fixture('datetime-offsets.xml'))).resolves.toStrictEqual([
      new Date('2026-11-24T10:03:12.000Z'),
      new Date('2026-11-24T10:03:12.000Z'),
      new Date('2026-11-24T10:03:12.750Z'),
      new Date('2026-11-24T10:03:12.000Z'),
    ]);
  });

  it('accepts the dateTime forms Sippy and other servers send', async () => {
    const cases: [string, string][] = [
      ['20261124T10:03:12', '2026-11-24T10:03:12.000Z'],
      ['20261124T10:03:12.5', '2026-11-24T10:03:12.500Z'],
      ['20261124T10:03:12.123456', '2026-11-24T10:03:12.123Z'],
      ['2026-11-24T10:03:12', '2026-11-24T10:03:12.000Z'],
      ['20261124T100312', '2026-11-24T10:03:12.000Z'],
      ['20261124T10:03:12Z', '2026-11-24T10:03:12.000Z'],
      ['2026-11-24T10:03:12+03:00', '2026-11-24T07:03:12.000Z'],
      ['2026-11-24T10:03:12-0430', '2026-11-24T14:33:12.000Z'],
      ['2026-11-24T01:03:12+05', '2026-11-23T20:03:12.000Z'],
      ['0099-01-01T00:00:00', '0099-01-01T00:00:00.000Z'],
      [' 20261124T10:03:12 ', '2026-11-24T10:03:12.000Z'],
    ];
    for (const [text, iso] of cases) {
      const value = await decodeMethodResponse(respond(`<dateTime.iso8601>${text}</dateTime.iso8601>`));
      expect({ text, iso: (value as Date).toISOString() }).toEqual({ text, iso });
    }
  });

  it.each([
    ['20261324T10:03:12'],
    ['20260230T10:03:12'],
    ['20250229T10:03:12'],
    ['20261124T24:00:00'],
    ['20261124T10:60:00'],
    ['20261124T10:03:61'],
    ['20261124'],
    ['10:03:12.000 GMT Tue Nov 24 2026'],
    ['2026-11-24T10:03:12+25:00'],
    [''],
  ])('rejects the invalid dateTime %j as malformed', async (text) => {
    const error = await decodeError(respond(`<dateTime.iso8601>${text}</dateTime.iso8601>`));
    expect(error.kind).toBe('malformed');
    expect(error.message).toMatch(/dateTime\.iso8601/);
  });

  it('decodes structs and arrays, nested, with whitespace between elements', async () => {
    const value = await decodeMethodResponse(fixture('list-accounts.xml'));
    const accounts = (value as XmlRpcStruct)['accounts'] as XmlRpcStruct[];
    expect(accounts).toHaveLength(2);
    expect(accounts[0]).toEqual({
      i_account: 1042,
      username: '905321234567',
      description: 'Kadıköy ofis — santral',
      blocked: false,
      expired: false,
      balance: -12.5,
      credit_limit: 100,
      base_currency: 'TRY',
      registration_status: {
        result: 'OK',
        user_agent: 'Yealink SIP-T46S 66.86.0.15',
        contact: 'sip:905321234567@198.51.100.20:5060;transport=udp',
        expires: '10:33:12.000 GMT Tue Nov 24 2026',
      },
    });
    expect(accounts[1]).toMatchObject({ blocked: true, description: '', registration_status: null });
  });

  it('decodes the constructed getAccountCDRs page of sippy-xmlrpc.md §10', async () => {
    const value = (await decodeMethodResponse(fixture('get-account-cdrs.xml'))) as XmlRpcStruct;
    expect(value['result']).toBe('OK');
    const cdrs = value['cdrs'] as XmlRpcStruct[];
    expect(cdrs.map((cdr) => [cdr['i_cdr'], cdr['result'], Object.keys(cdr).length])).toEqual([
      [418238747, 0, 38],
      [418238751, 486, 38],
      [418238760, -20, 38],
    ]);
    expect(cdrs[0]).toMatchObject({
      i_call: '418241422',
      duration: 114.87321,
      cost: 0.024,
      connect_time: '10:03:12.000 GMT Tue Nov 24 2026',
      lrn_cld: null,
      user_agent: 'Yealink SIP-T46S 66.86.0.15',
    });
  });

  it('decodes empty arrays and structs', async () => {
    await expect(decodeMethodResponse(fixture('empty-cdrs.xml'))).resolves.toStrictEqual({
      result: 'OK',
      cdrs: [],
      also_empty: [],
      empty_struct: {},
    });
    await expect(decodeMethodResponse(respond('<array></array>'))).resolves.toEqual([]);
  });

  it('keeps unicode, entities, character references and CDATA intact', async () => {
    await expect(decodeMethodResponse(fixture('unicode-strings.xml'))).resolves.toStrictEqual({
      area_name: 'İstanbul Çağrı',
      description: 'Şişli — ğüşıöç ĞÜŞİÖÇ',
      arabic: 'مرحبا',
      emoji: '📞 çağrı 🇹🇷',
      entities: `a & b <c> "d" 'e' İı`,
      cdata: '<b>Müşteri</b> & co',
      bare_unicode: 'Ümraniye',
      Özel_üye: 'member names can be non-ASCII too',
    });
  });

  it('accepts Apache ws-xmlrpc namespaced extension types (ex:nil, ex:i8, …)', async () => {
    await expect(decodeMethodResponse(fixture('apache-extensions.xml'))).resolves.toStrictEqual({
      lrn_cld: null,
      i_cdr: 5000000000,
      huge: '-9223372036854775808',
      small: -7,
      short: 1200,
      ratio: 0.25,
      big: '123456789012345678901234567890',
      when: new Date('2026-11-24T10:03:12.250Z'),
      plain_nil: null,
    });
  });

  it('keeps a member named __proto__ as a plain member (no prototype change)', async () => {
    const value = (await decodeMethodResponse(
      respond(
        '<struct><member><name>__proto__</name><value><struct><member><name>polluted</name><value>1</value></member></struct></value></member></struct>',
      ),
    )) as XmlRpcStruct;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['__proto__']);
    expect(value['polluted']).toBeUndefined();
    expect(({} as XmlRpcStruct)['polluted']).toBeUndefined();
  });

  it('lets the last of duplicate member names win, and accepts <value> before <name>', async () => {
    await expect(
      decodeMethodResponse(
        respond(
          '<struct><member><name>a</name><value>1</value></member><member><name>a</name><value>2</value></member>' +
            '<member><value><int>3</int></value><name>b</name></member></struct>',
        ),
      ),
    ).resolves.toStrictEqual({ a: '2', b: 3 });
  });

  it('tolerates comments and processing instructions', async () => {
    await expect(
      decodeMethodResponse(
        '<?xml version="1.0"?><!-- hi --><methodResponse><?pi x?><params><param><value><string>a<!-- c -->b</string></value></param></params></methodResponse>',
      ),
    ).resolves.toBe('ab');
  });
});

describe('decodeMethodResponse: faults', () => {
  it('rejects a <fault> with SippyError kind fault, code and string', async () => {
    const error = await decodeError(fixture('fault-403.xml'));
    expect(error.kind).toBe('fault');
    expect(error.message).toBe('XML-RPC fault 403: Account is not registered');
    expect(error.faultCode).toBe(403);
    expect(error.faultString).toBe('Account is not registered');
  });

  it('accepts a numeric-string faultCode and a missing faultString', async () => {
    const error = await decodeError(
      '<methodResponse><fault><value><struct><member><name>faultCode</name><value>-32601</value></member></struct></value></fault></methodResponse>',
    );
    expect(error).toMatchObject({ kind: 'fault', faultCode: -32601, faultString: '', message: 'XML-RPC fault -32601: ' });
  });

  it('keeps the full faultString on the error but clips it in the message', async () => {
    const long = 'x'.repeat(5000);
    const error = await decodeError(
      `<methodResponse><fault><value><struct><member><name>faultCode</name><value><int>1</int></value></member><member><name>faultString</name><value>${long}</value></member></struct></value></fault></methodResponse>`,
    );
    expect(error.faultString).toBe(long);
    expect(error.message.length).toBeLessThan(400);
  });

  it.each([
    ['<value><string>boom</string></value>', 'not a struct'],
    ['<value><struct><member><name>faultString</name><value>x</value></member></struct></value>', 'faultCode'],
    [
      '<value><struct><member><name>faultCode</name><value><int>1</int></value></member><member><name>faultString</name><value><int>2</int></value></member></struct></value>',
      'faultString',
    ],
  ])('treats an ill-shaped fault %#  as malformed', async (inner, detail) => {
    const error = await decodeError(`<methodResponse><fault>${inner}</fault></methodResponse>`);
    expect(error.kind).toBe('malformed');
    expect(error.message).toContain(detail);
  });

  it('treats a truncated fault as malformed, not as a fault', async () => {
    const xml = fixture('fault-403.xml');
    const error = await decodeError(xml.slice(0, xml.indexOf('</fault>')));
    expect(error.kind).toBe('malformed');
  });
});

describe('decodeMethodResponse: malformed input', () => {
  const cases: [string, string, RegExp][] = [
    ['an empty body', '', /not well-formed|truncated/],
    ['an HTML error page', '<html><head><title>502 Bad Gateway</title></head><body><h1>502</h1></body></html>', /HTML page/],
    ['an HTML page with a DOCTYPE', '<!DOCTYPE html><html><body>401</body></html>', /DOCTYPE/],
    [
      'a DOCTYPE with entity declarations',
      '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]><methodResponse/>',
      /DOCTYPE/,
    ],
    ['an undefined entity', respond('<string>&nbsp;</string>'), /not well-formed/],
    ['a truncated body', respond('<string>abc</string>').slice(0, 60), /not well-formed|truncated/],
    ['plain text', 'Service Unavailable', /not well-formed/],
    ['JSON', '{"result":"OK"}', /not well-formed/],
    ['another root element', '<methodCall><methodName>x</methodName></methodCall>', /expected <methodResponse>/],
    ['an unknown type element', respond('<integer>1</integer>'), /unknown XML-RPC type <integer>/],
    ['an unknown element in a struct', respond('<struct><foo/></struct>'), /unexpected element <foo> inside <struct>/],
    ['an unknown namespaced type', respond('<ex:dom>x</ex:dom>'), /unknown XML-RPC type <ex:dom>/],
    [
      'text inside a struct',
      respond('<struct>oops<member><name>a</name><value>1</value></member></struct>'),
      /unexpected text inside <struct>/,
    ],
    [
      'text inside params',
      '<methodResponse><params>x<param><value>1</value></param></params></methodResponse>',
      /unexpected text inside <params>/,
    ],
    ['text beside a typed value', respond('x<int>1</int>'), /mixes text/],
    ['text after a typed value', respond('<int>1</int>x'), /mixes text/],
    ['two typed elements in a value', respond('<int>1</int><int>2</int>'), /more than one typed/],
    ['an element inside a scalar', respond('<string><b>x</b></string>'), /unexpected element <b> inside <string>/],
    [
      'two params',
      '<methodResponse><params><param><value>1</value></param><param><value>2</value></param></params></methodResponse>',
      /more than one <param>/,
    ],
    ['no params', '<methodResponse><params></params></methodResponse>', /no value/],
    ['an empty methodResponse', '<methodResponse/>', /neither <params> nor <fault>/],
    [
      'params and fault',
      '<methodResponse><params><param><value>1</value></param></params><fault><value>1</value></fault></methodResponse>',
      /more than one/,
    ],
    ['a param without value', '<methodResponse><params><param></param></params></methodResponse>', /without <value>/],
    ['a member without name', respond('<struct><member><value>1</value></member></struct>'), /without <name>/],
    ['a member without value', respond('<struct><member><name>a</name></member></struct>'), /without <value>/],
    ['two data in an array', respond('<array><data></data><data></data></array>'), /more than one <data>/],
    ['a bad int', respond('<int>12a</int>'), /invalid <int>/],
    ['an empty int', respond('<i4></i4>'), /invalid <i4>/],
    ['a bad i8', respond('<i8>1.5</i8>'), /invalid <i8>/],
    ['a bad double', respond('<double>abc</double>'), /invalid <double>/],
    ['NaN', respond('<double>NaN</double>'), /invalid <double>/],
    ['an out-of-range double', respond('<double>1e400</double>'), /out of range/],
    ['a bad boolean', respond('<boolean>true</boolean>'), /invalid <boolean>/],
    ['bad base64', respond('<base64>@@@@</base64>'), /invalid <base64>/],
    ['a nil with content', respond('<nil>x</nil>'), /<nil> must be empty/],
    ['trailing garbage', respond('1') + '<x/>', /not well-formed/],
    ['a mismatched close tag', '<methodResponse><params></param></methodResponse>', /not well-formed/],
    ['an unsupported encoding', '<?xml version="1.0" encoding="x-klingon"?><methodResponse/>', /./],
  ];

  it.each(cases)('rejects %s as malformed', async (_label, xml, message) => {
    const error = await decodeError(xml);
    expect(error.kind).toBe('malformed');
    expect(error.message).toMatch(message);
    expect(error.message.length).toBeLessThan(200);
  });

  it('rejects an unsupported encoding declared in bytes', async () => {
    const error = await decodeError(Buffer.from('<?xml version="1.0" encoding="x-klingon"?><methodResponse/>'));
    expect(error.kind).toBe('malformed');
    expect(error.message).toContain('unsupported encoding "x-klingon"');
  });

  it('never echoes a huge body or tag name into the message', async () => {
    const hugeTag = `t${'x'.repeat(100_000)}`;
    const error = await decodeError(respond(`<${hugeTag}>1</${hugeTag}>`));
    expect(error.kind).toBe('malformed');
    expect(error.message.length).toBeLessThan(200);
    const text = await decodeError('A'.repeat(1_000_000));
    expect(text.message.length).toBeLessThan(200);
  });

  it('limits nesting depth (default 64, configurable)', async () => {
    const nested = (levels: number): string =>
      '<array><data><value>'.repeat(levels) + '<int>1</int>' + '</value></data></array>'.repeat(levels);
    const ok = await decodeMethodResponse(respond(nested(64)));
    let depth = 0;
    for (let v: XmlRpcValue = ok; Array.isArray(v); v = v[0]) {
      depth++;
    }
    expect(depth).toBe(64);
    const error = await decodeError(respond(nested(65)));
    expect(error.kind).toBe('malformed');
    expect(error.message).toContain('deeper than 64');
    await expect(decodeMethodResponse(respond(nested(3)), { maxDepth: 2 })).rejects.toMatchObject({ kind: 'malformed' });
    // a hostile 100k-level document fails fast, without a stack overflow
    const hostile = await decodeError(respond('<struct><member><name>a</name><value>'.repeat(100_000)));
    expect(hostile.message).toContain('deeper than 64');
  });

  it('rejects invalid options and sources with a TypeError', async () => {
    await expect(decodeMethodResponse('<x/>', { maxBytes: -1 })).rejects.toBeInstanceOf(TypeError);
    await expect(decodeMethodResponse('<x/>', { maxDepth: 0 })).rejects.toBeInstanceOf(TypeError);
    await expect(decodeMethodResponse(42 as unknown as string)).rejects.toBeInstanceOf(TypeError);
    await expect(decodeMethodResponse(chunks([{} as Uint8Array]))).rejects.toBeInstanceOf(TypeError);
  });
});

describe('decodeMethodResponse: sources and chunk boundaries', () => {
  it('decodes a string, a Uint8Array, a Buffer stream and a Node Readable alike', async () => {
    const xml = fixture('get-account-cdrs.xml');
    const expected = await decodeMethodResponse(xml);
    await expect(decodeMethodResponse(new Uint8Array(Buffer.from(xml)))).resolves.toEqual(expected);
    await expect(decodeMethodResponse(chunks([Buffer.from(xml)]))).resolves.toEqual(expected);
    await expect(decodeMethodResponse(Readable.from([Buffer.from(xml)]))).resolves.toEqual(expected);
    await expect(decodeMethodResponse(chunks([xml.slice(0, 100), Buffer.from(xml.slice(100))]))).resolves.toEqual(expected);
  });

  it('decodes a small fixture split at every byte position, and byte by byte', async () => {
    const bytes = readFileSync(join(FIXTURES, 'unicode-strings.xml'));
    const expected = await decodeMethodResponse(bytes.toString('utf8'));
    for (let at = 0; at <= bytes.length; at++) {
      const value = await decodeMethodResponse(chunks([bytes.subarray(0, at), bytes.subarray(at)]));
      if (!isDeepStrictEqual(value, expected)) {
        throw new Error(`split at byte ${at} decoded differently`);
      }
    }
    const oneByOne = Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1));
    await expect(decodeMethodResponse(chunks(oneByOne))).resolves.toStrictEqual(expected);
  });

  it('decodes every fixture byte by byte', async () => {
    for (const name of ['scalar-types.xml', 'apache-extensions.xml', 'list-accounts.xml', 'large-ids-i8.xml']) {
      const bytes = readFileSync(join(FIXTURES, name));
      const oneByOne = Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1));
      await expect(decodeMethodResponse(chunks(oneByOne))).resolves.toStrictEqual(await decodeMethodResponse(bytes));
    }
  });

  it('decodes a big page in random chunk sizes', async () => {
    const xml = cdrPage(2000);
    const bytes = Buffer.from(xml);
    const expected = await decodeMethodResponse(xml);
    const cdrs = (expected as XmlRpcStruct)['cdrs'] as XmlRpcStruct[];
    expect(cdrs).toHaveLength(2000);
    expect(cdrs[1999]).toStrictEqual({
      i_cdr: 418240746,
      i_call: 5000001999,
      cli: '905320001999',
      area_name: 'İstanbul Çağrı 1999 📞',
      duration: 2738.63,
      lrn_cld: null,
      when: new Date('2026-11-24T10:19:12Z'),
    });
    for (const [seed, maxChunk] of [
      [2, 64],
      [3, 1500],
      [4, 65536],
    ]) {
      const value = await decodeMethodResponse(chunks(randomChunks(bytes, seed, maxChunk)));
      expect({ seed, equal: isDeepStrictEqual(value, expected) }).toEqual({ seed, equal: true });
    }
    const smaller = Buffer.from(cdrPage(100));
    const tiny = await decodeMethodResponse(chunks(randomChunks(smaller, 1, 7)));
    expect(isDeepStrictEqual(tiny, await decodeMethodResponse(smaller))).toBe(true);
  });

  it('decodes ISO-8859-9 and UTF-16 documents named by the declaration or a BOM', async () => {
    // "İstanbul Şişli ğ" in windows-1254/ISO-8859-9: İ=0xDD, Ş=0xDE, ş=0xFE, ğ=0xF0
    const latin5 = Buffer.concat([
      Buffer.from('<?xml version="1.0" encoding="ISO-8859-9"?><methodResponse><params><param><value>'),
      Buffer.from([0xdd]),
      Buffer.from('stanbul '),
      Buffer.from([0xde, 0x69, 0xfe, 0x6c, 0x69, 0x20, 0xf0]),
      Buffer.from('</value></param></params></methodResponse>'),
    ]);
    await expect(decodeMethodResponse(latin5)).resolves.toBe('İstanbul Şişli ğ');
    const split = Array.from({ length: latin5.length }, (_, i) => latin5.subarray(i, i + 1));
    await expect(decodeMethodResponse(chunks(split))).resolves.toBe('İstanbul Şişli ğ');

    const utf16 = Buffer.from(`\ufeff${respond('<string>Çağrı 📞</string>')}`, 'utf16le');
    await expect(decodeMethodResponse(utf16)).resolves.toBe('Çağrı 📞');
    await expect(decodeMethodResponse(chunks(randomChunks(utf16, 9, 5)))).resolves.toBe('Çağrı 📞');

    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(respond('<string>ş</string>'))]);
    await expect(decodeMethodResponse(chunks([bom.subarray(0, 1), bom.subarray(1)]))).resolves.toBe('ş');
  });

  it('replaces invalid UTF-8 bytes with U+FFFD instead of failing the page', async () => {
    const bytes = Buffer.concat([
      Buffer.from(respond('<string>a').replace('</value></param></params></methodResponse>', '')),
      Buffer.from([0xff, 0xc3]),
      Buffer.from('b</string></value></param></params></methodResponse>'),
    ]);
    await expect(decodeMethodResponse(bytes)).resolves.toBe('a\ufffd\ufffdb');
  });
});

describe('decodeMethodResponse: maxBytes', () => {
  const xml = respond('<string>0123456789</string>');
  const size = Buffer.byteLength(xml);

  it('accepts a body of exactly maxBytes and rejects one byte more (string and bytes)', async () => {
    await expect(decodeMethodResponse(xml, { maxBytes: size })).resolves.toBe('0123456789');
    await expect(decodeMethodResponse(Buffer.from(xml), { maxBytes: size })).resolves.toBe('0123456789');
    for (const source of [xml, Buffer.from(xml), chunks([Buffer.from(xml)])]) {
      const error = await decodeError(source, { maxBytes: size - 1 });
      expect(error.kind).toBe('too_large');
      expect(error.message).toBe(`XML-RPC response exceeds ${size - 1} bytes`);
    }
  });

  it('counts bytes, not UTF-16 code units', async () => {
    const turkish = respond('<string>ğğğğ</string>'); // 4 chars, 8 bytes
    const bytes = Buffer.byteLength(turkish);
    await expect(decodeMethodResponse(turkish, { maxBytes: bytes - 1 })).rejects.toMatchObject({ kind: 'too_large' });
    await expect(decodeMethodResponse(chunks([turkish]), { maxBytes: bytes - 1 })).rejects.toMatchObject({
      kind: 'too_large',
    });
  });

  it('stops reading the stream as soon as the limit is passed', async () => {
    let pulled = 0;
    let closed = false;
    // eslint-disable-next-line @typescript-eslint/require-await -- a socket stand-in (AsyncIterable); nothing to await
    async function* endless(): AsyncGenerator<Uint8Array> {
      try {
        yield Buffer.from('<?xml version="1.0"?><methodResponse><params><param><value><array><data>');
        for (;;) {
          pulled++;
          yield Buffer.from('<value><int>1</int></value>'.repeat(100));
        }
      } finally {
        closed = true;
      }
    }
    const error = await decodeError(endless(), { maxBytes: 100_000 });
    expect(error.kind).toBe('too_large');
    expect(closed).toBe(true);
    expect(pulled).toBeLessThan(40); // 2,700 bytes per chunk
  });

  it('destroys a Node Readable on too_large and on malformed input', async () => {
    const big = Readable.from(
      (function* () {
        yield Buffer.from(respond('<string>').replace(/<\/value>.*$/, ''));
        for (let i = 0; i < 1000; i++) {
          yield Buffer.from('x'.repeat(1000));
        }
      })(),
    );
    await expect(decodeMethodResponse(big, { maxBytes: 10_000 })).rejects.toMatchObject({ kind: 'too_large' });
    expect(big.destroyed).toBe(true);

    const html = Readable.from([Buffer.from('<html><body>'), Buffer.from('x'.repeat(1000))]);
    await expect(decodeMethodResponse(html)).rejects.toMatchObject({ kind: 'malformed' });
    expect(html.destroyed).toBe(true);
  });

  it('propagates a stream error as is (the transport maps it)', async () => {
    // eslint-disable-next-line @typescript-eslint/require-await -- a socket stand-in (AsyncIterable); nothing to await
    async function* broken(): AsyncGenerator<Uint8Array> {
      yield Buffer.from('<methodResponse>');
      throw new Error('socket hang up');
    }
    await expect(decodeMethodResponse(broken())).rejects.toThrow('socket hang up');
  });
});

describe('decodeMethodCall', () => {
  it('decodes the method name and every param', async () => {
    await expect(
      decodeMethodCall(
        '<?xml version="1.0"?><methodCall><methodName> getAccountCDRs </methodName><params>' +
          '<param><value><struct><member><name>limit</name><value><int>500</int></value></member></struct></value></param>' +
          '<param><value><ex:nil/></value></param></params></methodCall>',
      ),
    ).resolves.toStrictEqual({ methodName: 'getAccountCDRs', params: [{ limit: 500 }, null] });
    await expect(decodeMethodCall('<methodCall><methodName>system.listMethods</methodName></methodCall>')).resolves.toStrictEqual({
      methodName: 'system.listMethods',
      params: [],
    });
  });

  it.each([
    ['<methodCall><params/></methodCall>', /no <methodName>/],
    ['<methodCall><methodName></methodName></methodCall>', /empty <methodName>/],
    ['<methodResponse><params/></methodResponse>', /expected <methodCall>/],
    ['<methodCall><methodName>a</methodName><methodName>b</methodName></methodCall>', /unexpected element/],
  ])('rejects %s', async (xml, message) => {
    const error = await decodeMethodCall(xml).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'malformed' });
    expect((error as Error).message).toMatch(message);
  });
});
