import fc from 'fast-check';

import { XmlRpcI8 } from '../src/codec/xml-rpc.types';

/*
 * fast-check generators shared by the XML-RPC decoder's fuzz spec (xml-rpc-decoder.fuzz.spec.ts) and
 * its differential fuzz against the saxes oracle (xml-rpc-decoder.differential.spec.ts): XML text,
 * XML-RPC values, token soup and byte mutations of valid bodies. Test code only.
 */

/** Characters XML 1.0 does not allow (controls, lone surrogates, U+FFFE/FFFF). */
export const NON_XML_CHARS = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** XML 1.0 text the serializer accepts, up to `maxLength` code units before the filter. */
export function xmlTextArbitrary(maxLength: number): fc.Arbitrary<string> {
  return fc.string({ unit: 'binary', maxLength }).map((s) => s.replace(NON_XML_CHARS, ''));
}

export interface XmlRpcValueArbitraryOptions {
  /** Strings (and, unless `keys` is given, struct member names). */
  text: fc.Arbitrary<string>;
  /** More strings, e.g. CDR-like text with references and non-ASCII letters. */
  moreText?: fc.Arbitrary<string>;
  /** Struct member names (default: `text`). */
  keys?: fc.Arbitrary<string>;
  /** Earliest dateTime (default year 0). */
  minDate?: Date;
  /** Longest base64 payload in bytes (default 32). */
  maxBase64Bytes?: number;
}

/** Any value the serializer writes: strings, numbers, i8, booleans, nil, dates, base64, arrays and structs (small depth). */
export function xmlRpcValueArbitrary(options: XmlRpcValueArbitraryOptions): fc.Arbitrary<unknown> {
  const { text, moreText, keys = text, minDate = new Date('0000-01-01T00:00:00Z'), maxBase64Bytes = 32 } = options;
  return fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      text,
      ...(moreText === undefined ? [] : [moreText]),
      fc.integer(),
      fc.maxSafeInteger(),
      fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Number.isInteger(d) || Number.isSafeInteger(d)),
      fc.boolean(),
      fc.constant(null),
      fc.date({ min: minDate, max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }),
      fc.uint8Array({ maxLength: maxBase64Bytes }).map((b) => Buffer.from(b)),
      fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((b) => new XmlRpcI8(b)),
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(keys, tie('value'), { maxKeys: 4 }),
    ),
  })).value;
}

/**
 * Pieces of XML-RPC documents for token soup: every element of the vocabulary, scalar texts (also out
 * of range), references (also undefined and out of range), CDATA, comments, PIs, declarations,
 * DOCTYPE, attributes (also malformed), odd tag syntax and characters XML refuses.
 */
export const XML_RPC_TOKENS: readonly string[] = [
  '<methodResponse>',
  '</methodResponse>',
  '<params>',
  '</params>',
  '<param>',
  '</param>',
  '<value>',
  '</value>',
  '<value/>',
  '<fault>',
  '</fault>',
  '<struct>',
  '</struct>',
  '<member>',
  '</member>',
  '<name>',
  '</name>',
  '<array>',
  '</array>',
  '<data>',
  '</data>',
  '<data/>',
  '<int>',
  '</int>',
  '<i4>',
  '</i4>',
  '<i8>',
  '</i8>',
  '<ex:i8>',
  '</ex:i8>',
  '<double>',
  '</double>',
  '<boolean>',
  '</boolean>',
  '<string>',
  '</string>',
  '<string/>',
  '<nil/>',
  '<ex:nil/>',
  '<base64>',
  '</base64>',
  '<dateTime.iso8601>',
  '</dateTime.iso8601>',
  '<value a="1">',
  '<value a="1" a="2">',
  '<value a=1>',
  '<value a="<">',
  '<value a="&amp;">',
  '<value a="&x;">',
  '<struct  >',
  '</struct >',
  '</ struct>',
  '< value>',
  '<value/ >',
  '<:int>',
  '</:int>',
  '<a:b:int>',
  '<html>',
  '<foo>',
  '</foo>',
  ' ',
  '\n',
  '\r',
  '\r\n',
  '\t',
  '1',
  '-1',
  '0',
  '+00',
  '1.5',
  '1.',
  '.5',
  '1e5',
  '1e400',
  '-0',
  'abc',
  'faultCode',
  'faultString',
  '__proto__',
  'constructor',
  '99999999999999999999',
  '99999999999999999999999',
  '20261124T10:03:12',
  '2026-02-30T10:03:12+25:00',
  'QUJD',
  'Q===',
  '&amp;',
  '&lt;',
  '&gt;',
  '&quot;',
  '&apos;',
  '&#65;',
  '&#x41;',
  '&#X41;',
  '&#0;',
  '&#x10FFFF;',
  '&#xD800;',
  '&#99999999999;',
  '&nbsp;',
  '&lol;',
  '&;',
  '&',
  ']',
  ']]',
  ']]>',
  '>',
  '<![CDATA[x<y]]>',
  '<![CDATA[]]>',
  '<![CDATA[a]]]>',
  '<![CDATA[',
  '<!-- c -->',
  '<!---->',
  '<!-- a -- b -->',
  '<!--->',
  '<!-',
  '<!x>',
  '<?pi x?>',
  '<?pi?>',
  '<??>',
  '<?xml version="1.0"?>',
  '<?XML version="1.0"?>',
  '<?xml version="9.9"?>',
  '<?xml version="9.9" encoding="utf-16"?>',
  "<?xml version='1.0' standalone='yes'?>",
  '<?xml version="1.0" encoding="UTF-8"?>',
  '<?xml version="1.0"encoding="UTF-8"?>',
  '<?xml?>',
  '<!DOCTYPE x>',
  '<!DOCTYPE x [<!ENTITY lol "lol">]>',
  '\u0000',
  '\u0001',
  '\uFFFE',
  '\uFEFF',
  '\uD800',
  '\u{1F600}',
  'é',
  'İ',
  '\u0085',
  '\u2028',
];

/** Up to 30 tokens of XML_RPC_TOKENS between one of `prefixes` and one of `suffixes`. */
export function tokenSoupArbitrary(prefixes: readonly string[], suffixes: readonly string[] = ['']): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom(...prefixes), fc.array(fc.constantFrom(...XML_RPC_TOKENS), { maxLength: 30 }), fc.constantFrom(...suffixes))
    .map(([prefix, tokens, suffix]) => prefix + tokens.join('') + suffix);
}

/** Invalid UTF-8: an overlong `/`, an encoded surrogate, a byte that never occurs, a truncated and an out-of-range sequence. */
const INVALID_UTF8: readonly (readonly number[])[] = [[0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xff], [0xe2, 0x82], [0xf4, 0x90, 0x80, 0x80]];

/** Byte-level mutations of a valid body: 1 to `maxMutations` bit flips, inserted or deleted bytes, invalid UTF-8 sequences. */
export function mutatedBodyArbitrary(validBody: fc.Arbitrary<string>, maxMutations: number): fc.Arbitrary<Uint8Array> {
  return fc
    .tuple(
      validBody,
      fc.array(fc.tuple(fc.constantFrom('flip', 'insert', 'delete', 'invalid-utf8'), fc.nat(), fc.nat(255)), {
        minLength: 1,
        maxLength: maxMutations,
      }),
    )
    .map(([body, mutations]) => {
      let bytes = Buffer.from(body, 'utf8');
      for (const [op, at, byte] of mutations) {
        const i = at % (bytes.length + 1);
        switch (op) {
          case 'flip':
            if (i < bytes.length) bytes[i] ^= 1 << (byte % 8);
            break;
          case 'insert':
            bytes = Buffer.concat([bytes.subarray(0, i), Buffer.from([byte]), bytes.subarray(i)]);
            break;
          case 'delete':
            bytes = Buffer.concat([bytes.subarray(0, i), bytes.subarray(i + 1)]);
            break;
          case 'invalid-utf8':
            bytes = Buffer.concat([bytes.subarray(0, i), Buffer.from(INVALID_UTF8[byte % INVALID_UTF8.length]), bytes.subarray(i)]);
            break;
        }
      }
      return new Uint8Array(bytes);
    });
}
