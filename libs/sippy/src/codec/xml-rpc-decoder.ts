import { faultError, malformed, notWellFormed, safeName } from './xml-rpc-decode-errors';
import {
  decodeBase64,
  decodeBoolean,
  decodeDateTime,
  decodeDouble,
  decodeInteger,
  plainDecimalAt,
  plainIntegerAt,
} from './xml-rpc-scalars';
import type { XmlRpcStruct, XmlRpcValue } from './xml-rpc.types';
import { pumpXmlText, type XmlSource, type XmlTextSink } from './xml-text-input';

export type { XmlSource } from './xml-text-input';

export interface DecodeOptions {
  /** Fail with SippyError kind 'too_large' past this many bytes (default: unlimited). */
  maxBytes?: number;
  /** Deepest nesting of arrays/structs accepted; deeper is 'malformed' (default 64). */
  maxDepth?: number;
}

/** A decoded `<methodCall>` (see decodeMethodCall). */
export interface XmlRpcMethodCall {
  methodName: string;
  params: XmlRpcValue[];
}

export const XML_RPC_DEFAULT_MAX_DEPTH = 64;

/**
 * Streaming XML-RPC `<methodResponse>` decoder: a dedicated scanner for the XML-RPC grammar (no
 * general XML parser, no DOM). Values are built on stacks as the text arrives, so a multi-megabyte
 * CDR page is decoded chunk by chunk while it downloads; a token split across chunks waits for the
 * rest (docs/xml-rpc-decoder.md).
 *
 * Source: a string, a Uint8Array, or an AsyncIterable of chunks (undici response bodies and Node
 * Readables are async iterables of Buffers). Bytes are read as UTF-8 unless a BOM or the XML
 * declaration names another encoding TextDecoder knows. UTF-8 is scanned as bytes (a latin1 view
 * of each chunk: one character per byte) and only the values and names with bytes ≥ 0x80 are
 * decoded, with the XML character checks after decoding; other encodings go through TextDecoder
 * in stream mode. Either way a multi-byte character split across chunks is fine, and invalid byte
 * sequences become U+FFFD (as TextDecoder decodes them) rather than failing a whole page.
 *
 * Values: `int`/`i4`/`i8` (also Apache `ex:i1`/`ex:i2`/`ex:biginteger`) → number when a safe
 * integer, else the canonical decimal string (no precision loss); `double` (`ex:float`) → number;
 * `boolean` 0/1 → boolean; `string` and a bare `<value>text</value>` → string (whitespace
 * preserved), empty value → ""; `nil`/`ex:nil` → null; `base64` → Buffer;
 * `dateTime.iso8601` (`ex:dateTime`) → Date, zone-less read as UTC whatever the process TZ;
 * `struct` → plain object (a duplicate member: the last wins); `array` → array. Text may use the
 * five predefined entities, character references (`&#233;`, `&#xE9;`) and CDATA sections; line
 * ends are normalized to `\n` as XML requires; comments and processing instructions are skipped.
 *
 * Rejects with SippyError:
 * - 'fault' — a well-formed `<fault>` (faultCode, faultString set; message `XML-RPC fault <code>: <string>`);
 * - 'malformed' — not a single-value methodResponse: not well-formed XML, HTML error page,
 *   truncated body, unknown element, text outside values, DOCTYPE (so no entity declarations and
 *   no external entities), an XML version other than 1.0, nesting deeper than maxDepth, no or
 *   several params, invalid scalar text. Messages are short and never echo the body;
 * - 'too_large' — more than maxBytes bytes; reading stops there (the iterator is closed).
 * Throws TypeError (as a rejection) for an invalid source or options (programming errors).
 */
export async function decodeMethodResponse(source: XmlSource, options: DecodeOptions = {}): Promise<XmlRpcValue> {
  const decoder = new XmlRpcDecoder('response', resolveMaxDepth(options));
  await pumpXmlText(source, decoder, resolveMaxBytes(options));
  return decoder.responseValue();
}

/**
 * Decodes a `<methodCall>` with the same value rules as decodeMethodResponse (for servers and the
 * simulator). Rejects with SippyError 'malformed' / 'too_large' like decodeMethodResponse.
 */
export async function decodeMethodCall(source: XmlSource, options: DecodeOptions = {}): Promise<XmlRpcMethodCall> {
  const decoder = new XmlRpcDecoder('call', resolveMaxDepth(options));
  await pumpXmlText(source, decoder, resolveMaxBytes(options));
  return decoder.methodCall();
}

// ---------------------------------------------------------------------------------------------
// Characters and element names
// ---------------------------------------------------------------------------------------------

const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const BANG = 0x21;
const DQUOTE = 0x22;
const AMP = 0x26;
const SQUOTE = 0x27;
const SLASH = 0x2f;
const LT = 0x3c;
const EQUALS = 0x3d;
const GT = 0x3e;
const QUESTION = 0x3f;
const RBRACKET = 0x5d;

/** Length of the new text joined to an unfinished token to complete it (see write). */
const BRIDGE_LENGTH = 1024;

/** Returned by a token reader when the buffer ends inside the token: wait for more text. */
const INCOMPLETE = -1;

const isS = (c: number): boolean => c === SPACE || c === LF || c === TAB || c === CR;

/** XML 1.0 Char, for a character reference's code point. */
function isXmlChar(n: number): boolean {
  return n === TAB || n === LF || n === CR || (n >= 0x20 && n <= 0xd7ff) || (n >= 0xe000 && n <= 0xfffd) || (n >= 0x10000 && n <= 0x10ffff);
}

// ASCII name characters (XML 1.0 5th ed.): 1 = NameStartChar, 2 = NameChar only.
const ASCII_NAME = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[:A-Z_a-z]/.test(ch)) {
    ASCII_NAME[c] = 1;
  } else if (/[-.0-9]/.test(ch)) {
    ASCII_NAME[c] = 2;
  }
}
const NAME_START_RANGES =
  ':A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C-\\u200D' +
  '\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}';
const NAME_RANGES = `${NAME_START_RANGES}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040`;
/** One NameStartChar (sticky, code points: an astral character is one match). */
const NAME_START_CHAR = new RegExp(`[${NAME_START_RANGES}]`, 'uy');
/** A run of NameChars (sticky). */
// eslint-disable-next-line no-misleading-character-class -- the XML NameChar ranges include combining marks (U+0300–U+036F) on purpose
const NAME_CHARS = new RegExp(`[${NAME_RANGES}]*`, 'uy');

/** One NameStartChar / NameChar, whole string (for one code point). */
const NAME_START_CODE_POINT = new RegExp(`^[${NAME_START_RANGES}]$`, 'u');
// eslint-disable-next-line no-misleading-character-class -- as NAME_CHARS
const NAME_CODE_POINT = new RegExp(`^[${NAME_RANGES}]$`, 'u');

/*
 * UTF-8 bytes are scanned as latin1 strings (one character per byte, see XmlTextSink.writeUtf8Bytes):
 * markup is ASCII, so every token boundary falls between two characters of the text, and UTF-8
 * decoding (WHATWG, as TextDecoder: an invalid sequence becomes U+FFFD, never swallowing the ASCII
 * byte after it) gives the same text whether a run is decoded alone or within the whole body. A
 * run of bytes is decoded when it is kept (a value, a name) or checked (comments, CDATA…); ASCII
 * runs, most of a CDR page, are taken as they are.
 */

/** isPlainText takes characters below this limit as they are: 0x80 for bytes (the rest is decoded first), U+D800 for text. */
const PLAIN_LIMIT_BYTES = 0x80;
const PLAIN_LIMIT_TEXT = 0xd800;

/** UTF-8 bytes (a latin1 string) → text, exactly as TextDecoder (non-fatal, BOM kept) decodes them. */
function utf8(latin1: string): string {
  return Buffer.from(latin1, 'latin1').toString('utf8');
}

/** Whether [s, e) holds a character ≥ 0x80 (for bytes: part of a multi-byte sequence or an invalid byte). */
function hasHighByte(buf: string, s: number, e: number): boolean {
  for (let i = s; i < e; i++) {
    if (buf.charCodeAt(i) >= 0x80) {
      return true;
    }
  }
  return false;
}

/**
 * A name in bytes, made canonical: valid UTF-8 as is, an invalid sequence as the bytes of U+FFFD, so
 * that two names compare equal exactly when their decoded text does.
 */
function canonicalName(latin1: string): string {
  return hasHighByte(latin1, 0, latin1.length) ? Buffer.from(utf8(latin1), 'utf8').toString('latin1') : latin1;
}

/** Byte length of the sequence rawCodePointAt read last. */
let rawLength = 1;

/**
 * The code point of the UTF-8 sequence at `i` of a latin1 string as TextDecoder decodes it (U+FFFD
 * for an invalid sequence, `rawLength` bytes long), or -1 when the end of the string cuts the sequence.
 */
function rawCodePointAt(buf: string, i: number): number {
  const b0 = buf.charCodeAt(i);
  let need: number;
  let lower = 0x80;
  let upper = 0xbf;
  let cp: number;
  if (b0 >= 0xc2 && b0 <= 0xdf) {
    need = 1;
    cp = b0 & 0x1f;
  } else if (b0 >= 0xe0 && b0 <= 0xef) {
    need = 2;
    cp = b0 & 0x0f;
    lower = b0 === 0xe0 ? 0xa0 : 0x80;
    upper = b0 === 0xed ? 0x9f : 0xbf;
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    need = 3;
    cp = b0 & 0x07;
    lower = b0 === 0xf0 ? 0x90 : 0x80;
    upper = b0 === 0xf4 ? 0x8f : 0xbf;
  } else {
    rawLength = 1;
    return 0xfffd;
  }
  let j = i + 1;
  for (let k = 0; k < need; k++, j++) {
    if (j >= buf.length) {
      return -1;
    }
    const b = buf.charCodeAt(j);
    if (b < lower || b > upper) {
      rawLength = j - i;
      return 0xfffd;
    }
    lower = 0x80;
    upper = 0xbf;
    cp = (cp << 6) | (b & 0x3f);
  }
  rawLength = j - i;
  return cp;
}

/**
 * Whether [s, e) is character data to take as is: no `&`, `]`, CR, surrogate, disallowed character
 * or (for bytes, `limit` PLAIN_LIMIT_BYTES) byte ≥ 0x80: those go through decodeText. A loop, not a
 * RegExp: the runs are short.
 */
function isPlainText(buf: string, s: number, e: number, limit: number): boolean {
  for (let i = s; i < e; i++) {
    const c = buf.charCodeAt(i);
    if (c >= 0x20) {
      if (c < limit ? c === AMP || c === RBRACKET : c < 0xe000 || c > 0xfffd) {
        return false;
      }
    } else if (c !== LF && c !== TAB) {
      return false;
    }
  }
  return true;
}

/** The end of plain character data from `s` (the next `<`), or -1 when a character needs decodeText or the buffer ends. */
function plainTextEnd(buf: string, s: number, end: number): number {
  for (let i = s; i < end; i++) {
    const c = buf.charCodeAt(i);
    if (c >= 0x20) {
      if (c < 0xd800) {
        if (c === LT) {
          return i;
        }
        if (c === AMP || c === RBRACKET) {
          return -1;
        }
      } else if (c < 0xe000 || c > 0xfffd) {
        return -1;
      }
    } else if (c !== LF && c !== TAB) {
      return -1;
    }
  }
  return -1;
}

/**
 * The end of plain character data from `s` in bytes (the next `<`), or -1 when a character needs
 * decodeText or the buffer ends. Bytes ≥ 0x80 are allowed: `sawHighByte` tells whether there were any.
 */
function plainBytesEnd(buf: string, s: number, end: number): number {
  let high = false;
  for (let i = s; i < end; i++) {
    const c = buf.charCodeAt(i);
    if (c >= 0x20) {
      if (c === LT) {
        sawHighByte = high;
        return i;
      }
      if (c === AMP || c === RBRACKET) {
        return -1;
      }
      if (c >= 0x80) {
        high = true;
      }
    } else if (c !== LF && c !== TAB) {
      return -1;
    }
  }
  return -1;
}

/** Set by plainBytesEnd. */
let sawHighByte = false;

/**
 * The end of the name whose first character is at `start`, or -1 when that character cannot start a
 * name. For bytes (`raw`), a multi-byte character cut by the end of the buffer continues the name.
 */
function nameEnd(buf: string, start: number, raw: boolean): number {
  const c = buf.charCodeAt(start);
  let i: number;
  if (c < 128) {
    if (ASCII_NAME[c] !== 1) {
      return -1;
    }
    i = start + 1;
  } else if (raw) {
    const cp = rawCodePointAt(buf, start);
    if (cp === -1) {
      return buf.length;
    }
    if (!NAME_START_CODE_POINT.test(String.fromCodePoint(cp))) {
      return -1;
    }
    i = start + rawLength;
  } else {
    NAME_START_CHAR.lastIndex = start;
    if (!NAME_START_CHAR.test(buf)) {
      return -1;
    }
    i = NAME_START_CHAR.lastIndex;
  }
  return nameCharsEnd(buf, i, raw);
}

/** The end of the run of NameChars from `i`. */
function nameCharsEnd(buf: string, i: number, raw: boolean): number {
  for (;;) {
    const c = buf.charCodeAt(i);
    if (c < 128 && ASCII_NAME[c] !== 0) {
      i++;
    } else if (c >= 128 && raw) {
      const cp = rawCodePointAt(buf, i);
      if (cp === -1) {
        return buf.length;
      }
      if (!NAME_CODE_POINT.test(String.fromCodePoint(cp))) {
        return i;
      }
      i += rawLength;
    } else if (c >= 128) {
      NAME_CHARS.lastIndex = i;
      NAME_CHARS.test(buf);
      if (NAME_CHARS.lastIndex === i) {
        return i;
      }
      i = NAME_CHARS.lastIndex;
    } else {
      return i; // an ASCII non-name character, or NaN past the end
    }
  }
}

/** A high surrogate as the buffer's last character: its pair may come with the next chunk. */
function splitPairAt(buf: string, i: number): boolean {
  const c = buf.charCodeAt(i);
  return i === buf.length - 1 && c >= 0xd800 && c <= 0xdbff;
}

/** Validates XML 1.0 Chars in [s, e) (markup content: comments, PIs, CDATA, attribute values). */
function checkChars(buf: string, s: number, e: number): void {
  for (let i = s; i < e; i++) {
    const c = buf.charCodeAt(i);
    if (c >= 0x20 && c < 0xd800) {
      continue;
    }
    if (c === LF || c === TAB || c === CR || (c >= 0xe000 && c <= 0xfffd)) {
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < e) {
      const d = buf.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        i++;
        continue;
      }
    }
    throw notWellFormed('disallowed character');
  }
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const HEX_REFERENCE = /^#x[0-9a-fA-F]+$/;
const DECIMAL_REFERENCE = /^#[0-9]+$/;

/** The text of `&name;`: one of the five predefined entities or a character reference; anything else is malformed. */
function resolveEntity(name: string): string {
  if (Object.hasOwn(ENTITIES, name)) {
    return ENTITIES[name];
  }
  let code: number;
  if (HEX_REFERENCE.test(name)) {
    code = parseInt(name.slice(2), 16);
  } else if (DECIMAL_REFERENCE.test(name)) {
    code = parseInt(name.slice(1), 10);
  } else {
    throw notWellFormed(name === '' ? 'empty entity name' : 'undefined entity');
  }
  if (!isXmlChar(code)) {
    throw notWellFormed('malformed character entity');
  }
  return String.fromCodePoint(code);
}

/**
 * Character data in [s, e) with references resolved and line ends normalized; malformed on a
 * disallowed character, an unknown or unterminated reference, or `]]>`.
 */
function decodeText(buf: string, s: number, e: number): string {
  let out = '';
  let from = s;
  for (let i = s; i < e;) {
    const c = buf.charCodeAt(i);
    if (c >= 0x20 && c < 0xd800 && c !== AMP && c !== RBRACKET) {
      i++;
    } else if (c === AMP) {
      const semicolon = buf.indexOf(';', i + 1);
      if (semicolon === -1 || semicolon >= e) {
        throw notWellFormed('unterminated entity reference');
      }
      out += buf.slice(from, i) + resolveEntity(buf.slice(i + 1, semicolon));
      i = from = semicolon + 1;
    } else if (c === CR) {
      out += `${buf.slice(from, i)}\n`;
      i += buf.charCodeAt(i + 1) === LF ? 2 : 1;
      from = i;
    } else if (c === RBRACKET) {
      if (buf.charCodeAt(i + 1) === RBRACKET && buf.charCodeAt(i + 2) === GT && i + 2 < e) {
        throw notWellFormed('the string "]]>" is disallowed in char data');
      }
      i++;
    } else if (c === LF || c === TAB || (c >= 0xe000 && c <= 0xfffd)) {
      i++;
    } else {
      const d = buf.charCodeAt(i + 1);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < e && d >= 0xdc00 && d <= 0xdfff) {
        i += 2;
      } else {
        throw notWellFormed('disallowed character');
      }
    }
  }
  return from === s ? buf.slice(s, e) : out + buf.slice(from, e);
}

function isWhitespace(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    if (!isS(text.charCodeAt(i))) {
      return false;
    }
  }
  return true;
}

// The XML declaration after `<?xml`, up to its `?`: version, then optional encoding and standalone.
const XML_DECLARATION =
  /^[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(?:"([^"]*)"|'([^']*)')(?:[ \t\r\n]+encoding[ \t\r\n]*=[ \t\r\n]*(?:"([^"]*)"|'([^']*)'))?(?:[ \t\r\n]+standalone[ \t\r\n]*=[ \t\r\n]*(?:"([^"]*)"|'([^']*)'))?[ \t\r\n]*$/;

// ---------------------------------------------------------------------------------------------
// The XML-RPC vocabulary
// ---------------------------------------------------------------------------------------------

const enum Tag {
  Other,
  MethodResponse,
  MethodCall,
  MethodName,
  Params,
  Param,
  Fault,
  Value,
  Struct,
  Member,
  Name,
  Array,
  Data,
  Int,
  I4,
  I8,
  I1,
  I2,
  BigInteger,
  Double,
  Float,
  Boolean,
  String,
  Base64,
  DateTimeIso8601,
  DateTime,
  Nil,
}

/** Element name per Tag (index = Tag). */
const TAG_NAMES: readonly string[] = [
  '',
  'methodResponse',
  'methodCall',
  'methodName',
  'params',
  'param',
  'fault',
  'value',
  'struct',
  'member',
  'name',
  'array',
  'data',
  'int',
  'i4',
  'i8',
  'i1', // Apache ws-xmlrpc extensions (usually as ex:i1)
  'i2',
  'biginteger',
  'double',
  'float',
  'boolean',
  'string',
  'base64',
  'dateTime.iso8601',
  'dateTime',
  'nil',
];

const enum Scalar {
  None,
  Int,
  Double,
  Boolean,
  String,
  Base64,
  DateTime,
  Nil,
}

/** Scalar type per Tag (index = Tag; None for structural elements). */
const TAG_SCALAR: readonly Scalar[] = [
  Scalar.None, // Other
  Scalar.None,
  Scalar.None,
  Scalar.None,
  Scalar.None,
  Scalar.None,
  Scalar.None,
  Scalar.None,
  Scalar.None,
  Scalar.None,
  Scalar.None,
  Scalar.None,
  Scalar.None, // Data
  Scalar.Int,
  Scalar.Int,
  Scalar.Int,
  Scalar.Int,
  Scalar.Int,
  Scalar.Int, // BigInteger
  Scalar.Double,
  Scalar.Double,
  Scalar.Boolean,
  Scalar.String,
  Scalar.Base64,
  Scalar.DateTime,
  Scalar.DateTime,
  Scalar.Nil,
];

const ch = (text: string): number => text.charCodeAt(0);
const C_A = ch('a');
const C_B = ch('b');
const C_C = ch('C');
const C_D = ch('d');
const C_F = ch('f');
const C_I = ch('i');
const C_M = ch('m');
const C_N = ch('n');
const C_P = ch('p');
const C_S = ch('s');
const C_U = ch('u');
const C_V = ch('v');

/** The Tag of the element name in [s, e), without allocating it. */
function classify(buf: string, s: number, e: number): Tag {
  const c = buf.charCodeAt(s);
  let tag: Tag;
  switch (e - s) {
    case 2:
      if (c !== C_I) {
        return Tag.Other;
      }
      switch (buf.charCodeAt(s + 1)) {
        case 0x34:
          return Tag.I4;
        case 0x38:
          return Tag.I8;
        case 0x31:
          return Tag.I1;
        case 0x32:
          return Tag.I2;
        default:
          return Tag.Other;
      }
    case 3:
      tag = c === C_I ? Tag.Int : c === C_N ? Tag.Nil : Tag.Other;
      break;
    case 4:
      tag = c === C_N ? Tag.Name : c === C_D ? Tag.Data : Tag.Other;
      break;
    case 5:
      if (c === C_F) {
        tag = buf.charCodeAt(s + 1) === C_A ? Tag.Fault : Tag.Float;
      } else {
        tag = c === C_V ? Tag.Value : c === C_P ? Tag.Param : c === C_A ? Tag.Array : Tag.Other;
      }
      break;
    case 6:
      if (c === C_S) {
        tag = buf.charCodeAt(s + 3) === C_U ? Tag.Struct : Tag.String;
      } else {
        tag = c === C_M ? Tag.Member : c === C_P ? Tag.Params : c === C_D ? Tag.Double : c === C_B ? Tag.Base64 : Tag.Other;
      }
      break;
    case 7:
      tag = c === C_B ? Tag.Boolean : Tag.Other;
      break;
    case 8:
      tag = c === C_D ? Tag.DateTime : Tag.Other;
      break;
    case 10:
      if (c === C_M) {
        tag = buf.charCodeAt(s + 6) === C_C ? Tag.MethodCall : Tag.MethodName;
      } else {
        tag = c === C_B ? Tag.BigInteger : Tag.Other;
      }
      break;
    case 14:
      tag = c === C_M ? Tag.MethodResponse : Tag.Other;
      break;
    case 16:
      tag = c === C_D ? Tag.DateTimeIso8601 : Tag.Other;
      break;
    default:
      return Tag.Other;
  }
  return tag !== Tag.Other && buf.startsWith(TAG_NAMES[tag], s) ? tag : Tag.Other;
}

// ---------------------------------------------------------------------------------------------
// The decoder: text → tokens → values on stacks
// ---------------------------------------------------------------------------------------------

const enum Kind {
  Document,
  MethodResponse,
  MethodCall,
  MethodName,
  Params,
  Param,
  Fault,
  Value,
  Scalar,
  Struct,
  Member,
  Name,
  Array,
  Data,
}

const KIND_TAG: Record<Kind, string> = {
  [Kind.Document]: '(document)',
  [Kind.MethodResponse]: 'methodResponse',
  [Kind.MethodCall]: 'methodCall',
  [Kind.MethodName]: 'methodName',
  [Kind.Params]: 'params',
  [Kind.Param]: 'param',
  [Kind.Fault]: 'fault',
  [Kind.Value]: 'value',
  [Kind.Scalar]: '(scalar)',
  [Kind.Struct]: 'struct',
  [Kind.Member]: 'member',
  [Kind.Name]: 'name',
  [Kind.Array]: 'array',
  [Kind.Data]: 'data',
};

/**
 * The raw text of a struct member the decoder has seen at one position of a struct (CDR structs
 * repeat the same ~40 members in the same order and layout). A member whose text is the template's
 * prefix, then plain text up to the next `<`, then the suffix, decodes exactly like the one it was
 * taken from (same markup from the same state gives the same key, type and closing), so it is read
 * with two startsWith calls instead of ~9 tokens (see readMembers).
 */
interface MemberTemplate {
  /** From `<member` to the start of the varying text (for a constant member: the whole member). */
  readonly prefix: string;
  /** From the end of the varying text to the end of `</member>`. */
  readonly suffix: string;
  readonly key: string;
  /** Whether a varying text stands between prefix and suffix; if not, `value` is the member's value. */
  readonly variable: boolean;
  /** Type of the varying text (Scalar.None: the text of an untyped <value>). */
  readonly scalar: Scalar;
  readonly value: XmlRpcValue;
}

class XmlRpcDecoder implements XmlTextSink {
  private readonly mode: 'response' | 'call';
  private readonly maxDepth: number;

  // Input. `buf` holds the text not consumed yet (from `pos`); a token cut by the end of a chunk
  // stays there, and the next chunks are collected in `pending` until there is at least twice as
  // much text as the last try had (so a long token is re-read O(log n) times, not once per chunk).
  private buf = '';
  private pos = 0;
  /** Counts the buffers scanned: positions recorded in one buffer mean nothing in another. */
  private generation = 0;
  private readonly pending: string[] = [];
  /**
   * The bytes `buf` is the latin1 view of, while a scan of the chunk being written runs (values are
   * cut from them: one new string each, see plainValue); undefined otherwise (bridges, joined
   * chunks, text, and between writes: a source may reuse its buffer once it gets control back).
   */
  private bytes: Buffer | undefined;
  private pendingLength = 0;
  private needLength = 0;
  private firstWrite = true;
  /**
   * The text is UTF-8 bytes as latin1 (writeUtf8Bytes): names are kept canonical (canonicalName),
   * text runs with bytes ≥ 0x80 are decoded before they are checked and kept.
   */
  private raw = false;
  /** isPlainText's limit for this input (PLAIN_LIMIT_BYTES or PLAIN_LIMIT_TEXT). */
  private plainLimit = PLAIN_LIMIT_TEXT;
  /** Nothing consumed yet: the XML declaration is still allowed. */
  private atStart = true;
  private sawRoot = false;
  private done = false;

  /** Open elements: their kind and name (for the close tag), innermost last; `kind` mirrors the top. */
  private depth = 0;
  private readonly kinds: Kind[] = [];
  private readonly names: string[] = [];
  private kind: Kind = Kind.Document;
  /** Text of the innermost text-holding element (value, scalar, name, methodName). */
  private text = '';
  private scalar: Scalar = Scalar.String;
  private scalarTag = '';
  /** Set by readAttributes: the tag ended with `/>`. */
  private selfClosing = false;

  // Per open <value>: whether a type element was seen, and its decoded value.
  private valueDepth = -1;
  private readonly valueTyped: boolean[] = [];
  private readonly valueResult: XmlRpcValue[] = [];

  // Per open <struct>/<array>. A struct's members are collected (names, values) and the object
  // is built when it closes (see buildStruct).
  private containerDepth = -1;
  private readonly containers: XmlRpcValue[][] = [];
  private readonly isStruct: boolean[] = [];
  private readonly memberNames: string[][] = [];
  private readonly memberValues: XmlRpcValue[][] = [];
  /** Per depth: the names of the last struct built there and an object with those properties (see buildStruct). */
  private readonly shapes: (StructShape | undefined)[] = [];
  private readonly arrayHasData: boolean[] = [];
  /** Members seen so far in the open struct at each depth, and the member names last seen at each position. */
  private readonly memberCount: number[] = [];
  private readonly memberKeys: string[][] = [];

  /** Member templates per struct depth and member position: the last two different ones seen there. */
  private readonly templates: MemberTemplate[][][] = [];
  // The member being recorded as a template: its depth (-1: none), buffer, start, and its value's plain text if any.
  private recording = -1;
  private recordGeneration = -1;
  private recordStart = 0;
  private recordContainer = -1;
  private leafStart = -1;
  private leafEnd = -1;
  private leafScalar: Scalar = Scalar.None;
  /** Name and value of the member closeElement closed last. */
  private closedName = '';
  private closedValue: XmlRpcValue = null;

  // Per open <member>.
  private memberDepth = -1;
  private readonly memberName: (string | undefined)[] = [];
  private readonly memberValue: XmlRpcValue[] = [];
  private readonly memberHasValue: boolean[] = [];

  // Document level.
  private sawBody = false; // <params> or <fault>
  private methodNameText: string | undefined;
  private readonly params: XmlRpcValue[] = [];
  private paramValue: XmlRpcValue = null;
  private paramHasValue = false;
  private fault: XmlRpcValue = null;
  private faultHasValue = false;
  private isFault = false;

  constructor(mode: 'response' | 'call', maxDepth: number) {
    this.mode = mode;
    this.maxDepth = maxDepth;
  }

  writeUtf8Bytes(latin1: string, bytes?: Buffer): void {
    if (latin1.length === 0) {
      return;
    }
    if (this.firstWrite) {
      this.raw = true;
      this.plainLimit = PLAIN_LIMIT_BYTES;
    } else if (!this.raw) {
      throw new Error('XmlRpcDecoder: bytes after text'); // pumpXmlText never does this
    }
    this.firstWrite = false;
    try {
      this.feed(latin1, bytes);
    } finally {
      this.bytes = undefined;
    }
  }

  write(chunk: string): void {
    let text = chunk;
    if (text.length === 0) {
      return;
    }
    if (this.raw) {
      this.toText();
    }
    if (this.firstWrite) {
      this.firstWrite = false;
      if (text.charCodeAt(0) === 0xfeff) {
        text = text.slice(1); // a BOM left by a string source (TextDecoder removes its own)
        if (text.length === 0) {
          return;
        }
      }
    }
    this.feed(text, undefined);
  }

  /**
   * From bytes to text (a source that sends a string after bytes): what is held back is decoded
   * (a character cut at its end becomes U+FFFD, as TextDecoder ends a stream), names are decoded,
   * and the member templates, made of bytes, are dropped.
   */
  private toText(): void {
    this.buf = utf8(this.buf.slice(this.pos) + this.pending.join(''));
    this.pos = 0;
    this.pending.length = 0;
    this.pendingLength = 0;
    this.needLength = 0;
    for (let i = 0; i < this.depth; i++) {
      this.names[i] = utf8(this.names[i]);
    }
    this.templates.length = 0;
    this.raw = false;
    this.plainLimit = PLAIN_LIMIT_TEXT;
  }

  private feed(text: string, bytes: Buffer | undefined): void {
    if (this.pos === this.buf.length) {
      this.buf = text;
      this.bytes = bytes;
      this.pos = 0;
      this.scan(false, Infinity);
      return;
    }
    this.pending.push(text);
    this.pendingLength += text.length;
    if (this.buf.length - this.pos + this.pendingLength < this.needLength) {
      return;
    }
    const dataBytes = this.pending.length === 1 ? bytes : undefined; // the one pending chunk is this one
    const data = this.pending.length === 1 ? this.pending[0] : this.pending.join('');
    this.pending.length = 0;
    this.pendingLength = 0;
    // The unfinished token is completed in a small bridge (its text + the start of the new text)
    // rather than by prepending it to the whole new text, which would copy every chunk once more.
    let leftover = this.buf.slice(this.pos);
    this.bytes = undefined;
    for (let take = Math.max(2 * leftover.length, BRIDGE_LENGTH); ; take *= 2) {
      if (take >= data.length) {
        this.buf = leftover + data;
        this.pos = 0;
        this.scan(false, Infinity);
        return;
      }
      const bridge = leftover + data.slice(0, take);
      this.buf = bridge;
      this.pos = 0;
      this.scan(false, leftover.length);
      if (this.pos >= leftover.length) {
        this.buf = data;
        this.bytes = dataBytes;
        this.pos -= leftover.length;
        this.scan(false, Infinity);
        return;
      }
      leftover = bridge.slice(this.pos, leftover.length); // still unfinished: try a longer bridge
    }
  }

  end(): void {
    this.buf = this.buf.slice(this.pos) + this.pending.join('');
    this.pending.length = 0;
    this.pos = 0;
    this.scan(true, Infinity);
    this.buf = '';
    if (this.depth > 0) {
      throw notWellFormed(`unclosed tag: ${safeName(this.raw ? utf8(this.names[this.depth - 1]) : this.names[this.depth - 1])}`);
    }
    if (!this.sawRoot) {
      throw notWellFormed('document must contain a root element');
    }
    if (!this.done) {
      throw malformed('truncated document');
    }
  }

  responseValue(): XmlRpcValue {
    if (this.isFault) {
      throw faultError(this.fault);
    }
    if (this.params.length !== 1) {
      throw malformed('methodResponse has no value (empty <params>)');
    }
    return this.params[0];
  }

  methodCall(): XmlRpcMethodCall {
    if (this.methodNameText === undefined) {
      throw malformed('methodCall has no <methodName>');
    }
    return { methodName: this.methodNameText, params: this.params };
  }

  // -- tokens ---------------------------------------------------------------------------------

  /** Reads the tokens of `buf` from `pos`, until the first token boundary at or after `stopAt` or an unfinished token. */
  private scan(final: boolean, stopAt: number): void {
    this.generation++;
    const buf = this.buf;
    const end = buf.length;
    let pos = this.pos;
    while (pos < end && pos < stopAt) {
      let next: number;
      if (buf.charCodeAt(pos) === LT) {
        if (this.kind === Kind.Struct) {
          const after = this.readMembers(buf, pos, end);
          if (after !== pos) {
            pos = after;
            continue;
          }
        }
        next = this.readMarkup(buf, pos, end);
      } else {
        next = buf.indexOf('<', pos);
        if (next === -1) {
          next = final ? end : INCOMPLETE; // a text run is complete only at the next '<'
        }
        if (next !== INCOMPLETE) {
          this.onText(buf, pos, next);
        }
      }
      if (next === INCOMPLETE) {
        if (final) {
          throw notWellFormed('unexpected end');
        }
        break;
      }
      pos = next;
    }
    this.pos = pos;
    this.needLength = 2 * (end - pos);
  }

  private readMarkup(buf: string, pos: number, end: number): number {
    if (pos + 1 >= end) {
      return INCOMPLETE;
    }
    switch (buf.charCodeAt(pos + 1)) {
      case SLASH:
        return this.readCloseTag(buf, pos, end);
      case BANG:
        return this.readBang(buf, pos, end);
      case QUESTION:
        return this.readProcessingInstruction(buf, pos, end);
      default:
        return this.readOpenTag(buf, pos, end);
    }
  }

  private readOpenTag(buf: string, pos: number, end: number): number {
    const start = pos + 1;
    const stop = nameEnd(buf, start, this.raw);
    if (stop === -1) {
      if (splitPairAt(buf, start)) {
        return INCOMPLETE;
      }
      throw notWellFormed('disallowed character in tag name');
    }
    if (stop >= end || splitPairAt(buf, stop)) {
      return INCOMPLETE;
    }
    let i = stop;
    const c = buf.charCodeAt(i);
    let selfClosing = false;
    if (c === GT) {
      i++;
    } else if (c === SLASH) {
      if (i + 1 >= end) {
        return INCOMPLETE;
      }
      if (buf.charCodeAt(i + 1) !== GT) {
        throw notWellFormed('forward-slash in opening tag not followed by >');
      }
      selfClosing = true;
      i += 2;
    } else if (isS(c)) {
      i = this.readAttributes(buf, i, end);
      if (i === INCOMPLETE) {
        return INCOMPLETE;
      }
      selfClosing = this.selfClosing;
    } else {
      throw notWellFormed('disallowed character in tag name');
    }
    if (this.done) {
      throw notWellFormed('documents may contain only one root');
    }
    this.atStart = false;
    this.sawRoot = true;
    this.openElement(classify(buf, start, stop), buf, start, stop);
    if (this.kind === Kind.Member) {
      this.recording = this.memberDepth;
      this.recordGeneration = this.generation;
      this.recordStart = pos;
      this.recordContainer = this.containerDepth;
      this.leafStart = -1;
    }
    if (selfClosing) {
      this.closeElement();
      return i;
    }
    // Leaf fast path: `<string>text</string>`, `<name>cli</name>`, `<value>text</value>` with plain
    // text and the matching close tag in this buffer are decoded in one step.
    const kind = this.kind;
    if (kind === Kind.Scalar || kind === Kind.Name || kind === Kind.Value) {
      const lt = buf.charCodeAt(i) === LT ? i : buf.indexOf('<', i);
      if (lt !== -1 && buf.charCodeAt(lt + 1) === SLASH) {
        const name = this.names[this.depth - 1];
        const gt = lt + 2 + name.length;
        if (
          gt < end &&
          buf.charCodeAt(gt) === GT &&
          buf.startsWith(name, lt + 2) &&
          (lt === i || isPlainText(buf, i, lt, this.plainLimit))
        ) {
          this.closeLeaf(buf, i, lt);
          return gt + 1;
        }
      }
    }
    return i;
  }

  /** Attributes (`name="value"`, allowed and ignored) up to the end of the tag; sets `selfClosing`. */
  private readAttributes(buf: string, from: number, end: number): number {
    const seen: string[] = [];
    let i = from;
    for (;;) {
      while (i < end && isS(buf.charCodeAt(i))) {
        i++;
      }
      if (i >= end) {
        return INCOMPLETE;
      }
      const c = buf.charCodeAt(i);
      if (c === GT) {
        this.selfClosing = false;
        return i + 1;
      }
      if (c === SLASH) {
        if (i + 1 >= end) {
          return INCOMPLETE;
        }
        if (buf.charCodeAt(i + 1) !== GT) {
          throw notWellFormed('forward-slash in opening tag not followed by >');
        }
        this.selfClosing = true;
        return i + 2;
      }
      if (i !== from && !isS(buf.charCodeAt(i - 1))) {
        throw notWellFormed('no whitespace between attributes');
      }
      const stop = nameEnd(buf, i, this.raw);
      if (stop === -1) {
        if (splitPairAt(buf, i)) {
          return INCOMPLETE;
        }
        throw notWellFormed('disallowed character in attribute name');
      }
      if (stop >= end || splitPairAt(buf, stop)) {
        return INCOMPLETE;
      }
      const name = this.raw ? canonicalName(buf.slice(i, stop)) : buf.slice(i, stop);
      i = stop;
      while (i < end && isS(buf.charCodeAt(i))) {
        i++;
      }
      if (i >= end) {
        return INCOMPLETE;
      }
      if (buf.charCodeAt(i) !== EQUALS) {
        throw notWellFormed('attribute without value');
      }
      i++;
      while (i < end && isS(buf.charCodeAt(i))) {
        i++;
      }
      if (i >= end) {
        return INCOMPLETE;
      }
      const quote = buf.charCodeAt(i);
      if (quote !== DQUOTE && quote !== SQUOTE) {
        throw notWellFormed('unquoted attribute value');
      }
      const close = buf.indexOf(quote === DQUOTE ? '"' : "'", i + 1);
      if (close === -1) {
        return INCOMPLETE;
      }
      this.checkMarkup(buf, i + 1, close, true);
      if (seen.includes(name)) {
        throw notWellFormed('duplicate attribute');
      }
      seen.push(name);
      i = close + 1;
    }
  }

  private readCloseTag(buf: string, pos: number, end: number): number {
    if (this.depth === 0) {
      throw notWellFormed('unmatched closing tag');
    }
    const name = this.names[this.depth - 1];
    const gt = pos + 2 + name.length;
    if (gt < end && buf.charCodeAt(gt) === GT && buf.startsWith(name, pos + 2)) {
      return this.closeTagAt(buf, gt + 1);
    }
    const stop = nameCharsEnd(buf, pos + 2, this.raw);
    if (stop >= end || splitPairAt(buf, stop)) {
      return INCOMPLETE;
    }
    let i = stop;
    while (i < end && isS(buf.charCodeAt(i))) {
      i++;
    }
    if (i >= end) {
      return INCOMPLETE;
    }
    if (buf.charCodeAt(i) !== GT) {
      throw notWellFormed('disallowed character in closing tag');
    }
    if (stop === pos + 2) {
      throw notWellFormed('weird empty close tag');
    }
    if ((this.raw ? canonicalName(buf.slice(pos + 2, stop)) : buf.slice(pos + 2, stop)) !== name) {
      throw notWellFormed('unexpected close tag');
    }
    return this.closeTagAt(buf, i + 1);
  }

  /** Closes the innermost element at a close tag ending at `after`; a closed member may become a template. */
  private closeTagAt(buf: string, after: number): number {
    const closing = this.kind;
    this.closeElement();
    if (closing === Kind.Member) {
      if (this.recording === this.memberDepth + 1 && this.recordGeneration === this.generation) {
        this.recordTemplate(buf, after);
      }
      this.recording = -1;
    }
    return after;
  }

  private recordTemplate(buf: string, after: number): void {
    if (!buf.startsWith('<member', this.recordStart)) {
      return; // cannot happen (same buffer, recorded at <member>): never make a template of anything else
    }
    const value = this.closedValue;
    let template: MemberTemplate;
    if (this.leafStart !== -1) {
      template = {
        prefix: buf.slice(this.recordStart, this.leafStart),
        suffix: buf.slice(this.leafEnd, after),
        key: this.closedName,
        variable: true,
        scalar: this.leafScalar,
        value: null,
      };
    } else if (value === null || typeof value !== 'object') {
      // A member without varying text (`<nil/>`, `<string/>`, or text with references): its
      // primitive value is the same for the same text. Objects (Date, Buffer…) are never shared.
      template = {
        prefix: buf.slice(this.recordStart, after),
        suffix: '',
        key: this.closedName,
        variable: false,
        scalar: Scalar.None,
        value,
      };
    } else {
      return;
    }
    const container = this.containerDepth;
    const byPosition = (this.templates[container] ??= []);
    const position = this.memberCount[container] - 1;
    const known = byPosition[position] as MemberTemplate[] | undefined;
    if (known === undefined) {
      byPosition[position] = [template];
    } else if (known[0].prefix !== template.prefix || known[0].suffix !== template.suffix) {
      byPosition[position] = [template, known[0]];
    }
  }

  /**
   * Reads the members at `pos` of the open struct that match the templates of their positions
   * (see MemberTemplate); returns where it stopped (`pos` when the first one does not match: the
   * token path reads it, and records it as a template).
   */
  private readMembers(buf: string, pos: number, end: number): number {
    const container = this.containerDepth;
    const byPosition = this.templates[container] as MemberTemplate[][] | undefined;
    if (byPosition === undefined) {
      return pos;
    }
    const names = this.memberNames[container];
    const values = this.memberValues[container];
    let position = this.memberCount[container];
    let at = pos;
    for (;;) {
      const candidates = byPosition[position] as MemberTemplate[] | undefined;
      if (candidates === undefined) {
        break;
      }
      let next = -1;
      for (const template of candidates) {
        if (buf.slice(at, at + template.prefix.length) !== template.prefix) {
          continue;
        }
        const from = at + template.prefix.length;
        if (!template.variable) {
          names[position] = template.key;
          values[position] = template.value;
          next = from;
          break;
        }
        const to = this.raw ? plainBytesEnd(buf, from, end) : plainTextEnd(buf, from, end);
        if (to === -1 || buf.slice(to, to + template.suffix.length) !== template.suffix) {
          continue;
        }
        const value =
          this.raw && sawHighByte ? plainUtf8Value(template.scalar, buf, from, to) : plainValue(template.scalar, buf, from, to, this.bytes);
        if (value !== undefined) {
          names[position] = template.key;
          values[position] = value;
          next = to + template.suffix.length;
          break;
        }
      }
      if (next === -1) {
        break;
      }
      position++;
      while (next < end && isS(buf.charCodeAt(next))) {
        next++;
      }
      at = next;
    }
    this.memberCount[container] = position;
    return at;
  }

  /** `<!--`, `<![CDATA[` or `<!DOCTYPE` (refused). */
  private readBang(buf: string, pos: number, end: number): number {
    this.atStart = false;
    if (buf.startsWith('<!--', pos)) {
      const close = buf.indexOf('--', pos + 4);
      if (close === -1 || close + 2 >= end) {
        return INCOMPLETE;
      }
      if (buf.charCodeAt(close + 2) !== GT) {
        throw notWellFormed('malformed comment');
      }
      this.checkMarkup(buf, pos + 4, close, false);
      return close + 3;
    }
    if (buf.startsWith('<![CDATA[', pos)) {
      const close = buf.indexOf(']]>', pos + 9);
      if (close === -1) {
        return INCOMPLETE;
      }
      this.checkMarkup(buf, pos + 9, close, false);
      const content = this.nameAt(buf, pos + 9, close);
      this.onCharacterData(content.includes('\r') ? content.replace(/\r\n?/g, '\n') : content);
      return close + 3;
    }
    if (buf.startsWith('<!DOCTYPE', pos)) {
      throw malformed('DOCTYPE declarations are not allowed in XML-RPC');
    }
    const head = buf.slice(pos, end);
    if (['<!--', '<![CDATA[', '<!DOCTYPE'].some((token) => head.length < token.length && token.startsWith(head))) {
      return INCOMPLETE;
    }
    throw notWellFormed('incorrect syntax');
  }

  /** `<?target …?>` (skipped), or the XML declaration at the very start. */
  private readProcessingInstruction(buf: string, pos: number, end: number): number {
    if (pos + 2 >= end) {
      return INCOMPLETE;
    }
    const stop = nameEnd(buf, pos + 2, this.raw);
    if (stop === -1) {
      if (splitPairAt(buf, pos + 2)) {
        return INCOMPLETE;
      }
      const c = buf.charCodeAt(pos + 2);
      throw notWellFormed(
        c === QUESTION || isS(c) ? 'processing instruction without a target' : 'disallowed character in processing instruction name',
      );
    }
    if (stop >= end || splitPairAt(buf, stop)) {
      return INCOMPLETE;
    }
    const c = buf.charCodeAt(stop);
    if (c !== QUESTION && !isS(c)) {
      throw notWellFormed('disallowed character in processing instruction name');
    }
    const target = buf.slice(pos + 2, stop);
    if (target === 'xml') {
      if (!this.atStart) {
        throw notWellFormed('an XML declaration must be at the start of the document');
      }
      return this.readXmlDeclaration(buf, stop, end);
    }
    if (target.toLowerCase() === 'xml') {
      throw notWellFormed('the XML declaration must appear at the start of the document');
    }
    const close = buf.indexOf('?>', stop);
    if (close === -1) {
      return INCOMPLETE;
    }
    this.checkMarkup(buf, stop, close, false);
    this.atStart = false;
    return close + 2;
  }

  private readXmlDeclaration(buf: string, from: number, end: number): number {
    const question = buf.indexOf('?', from);
    if (question === -1 || question + 1 >= end) {
      return INCOMPLETE;
    }
    if (buf.charCodeAt(question + 1) !== GT) {
      throw notWellFormed('the character ? is disallowed anywhere in XML declarations');
    }
    const match = XML_DECLARATION.exec(buf.slice(from, question)) as (string | undefined)[] | null;
    if (match === null) {
      throw notWellFormed('invalid XML declaration');
    }
    const version = match[1] ?? match[2] ?? '';
    const encoding = match[3] ?? match[4];
    const standalone = match[5] ?? match[6];
    if (version !== '1.0') {
      // XML 1.1 (other character and line-end rules) is not something an XML-RPC server sends.
      throw /^1\.[0-9]+$/.test(version) ? malformed('unsupported XML version') : notWellFormed('version number must match 1.x');
    }
    if (encoding !== undefined && !/^[A-Za-z][A-Za-z0-9._-]*$/.test(encoding)) {
      throw notWellFormed('invalid encoding name');
    }
    if (standalone !== undefined && standalone !== 'yes' && standalone !== 'no') {
      throw notWellFormed('standalone must be "yes" or "no"');
    }
    this.atStart = false;
    return question + 2;
  }

  // -- content ----------------------------------------------------------------------------------

  /** [s, e) as text (decoded when bytes): names for messages, CDATA content. */
  private nameAt(buf: string, s: number, e: number): string {
    const text = buf.slice(s, e);
    return this.raw && hasHighByte(buf, s, e) ? utf8(text) : text;
  }

  /** Character data [s, e) with references resolved (see decodeText), decoded first when bytes. */
  private decodeText(buf: string, s: number, e: number): string {
    if (this.raw && hasHighByte(buf, s, e)) {
      const text = utf8(buf.slice(s, e));
      return decodeText(text, 0, text.length);
    }
    return decodeText(buf, s, e);
  }

  /** Checks the characters of markup content [s, e) (checkChars), or an attribute value (checkAttributeValue). */
  private checkMarkup(buf: string, s: number, e: number, attribute: boolean): void {
    let text = buf;
    let from = s;
    let to = e;
    if (this.raw && hasHighByte(buf, s, e)) {
      text = utf8(buf.slice(s, e));
      from = 0;
      to = text.length;
    }
    if (attribute) {
      checkAttributeValue(text, from, to);
    } else {
      checkChars(text, from, to);
    }
  }

  /** A text run [s, e): everything between two pieces of markup. */
  private onText(buf: string, s: number, e: number): void {
    this.atStart = false;
    const kind = this.kind;
    if (
      kind === Kind.Scalar ||
      kind === Kind.Name ||
      kind === Kind.MethodName ||
      (kind === Kind.Value && !this.valueTyped[this.valueDepth])
    ) {
      this.text += isPlainText(buf, s, e, this.plainLimit) ? buf.slice(s, e) : this.decodeText(buf, s, e);
      return;
    }
    // Only whitespace may stand here (a reference to a whitespace character counts).
    for (let i = s; i < e; i++) {
      const c = buf.charCodeAt(i);
      if (isS(c)) {
        continue;
      }
      if (kind === Kind.Document) {
        throw notWellFormed('text data outside of root node');
      }
      if (c === AMP && isWhitespace(this.decodeText(buf, s, e))) {
        return;
      }
      throw this.textError();
    }
  }

  /** A CDATA section's text. */
  private onCharacterData(content: string): void {
    const kind = this.kind;
    if (kind === Kind.Document) {
      throw notWellFormed('text data outside of root node');
    }
    if (
      kind === Kind.Scalar ||
      kind === Kind.Name ||
      kind === Kind.MethodName ||
      (kind === Kind.Value && !this.valueTyped[this.valueDepth])
    ) {
      this.text += content;
    } else if (!isWhitespace(content)) {
      throw this.textError();
    }
  }

  private textError(): Error {
    return this.kind === Kind.Value
      ? malformed('<value> mixes text and a typed element')
      : malformed(`unexpected text inside <${this.currentTag()}>`);
  }

  /** Closes the element just opened, whose whole content is the plain text [s, e). */
  private closeLeaf(buf: string, s: number, e: number): void {
    if (
      this.recording === this.memberDepth &&
      this.containerDepth === this.recordContainer &&
      this.kind !== Kind.Name &&
      this.leafStart === -1
    ) {
      // the plain text of the recorded member's own value (no container in between)
      this.leafStart = s;
      this.leafEnd = e;
      this.leafScalar = this.kind === Kind.Scalar ? this.scalar : Scalar.None;
    }
    switch (this.kind) {
      case Kind.Name:
        this.text = this.memberKey(buf, s, e);
        break;
      default:
        this.text = buf.slice(s, e);
    }
    this.closeElement();
  }

  /**
   * A member name, reusing the string of the member at the same position of the previous struct
   * at this depth when it is the same name (CDR structs repeat their ~40 names in order): no new
   * string, and property keys V8 has already internalized.
   */
  private memberKey(buf: string, s: number, e: number): string {
    const depth = this.containerDepth;
    const index = this.memberCount[depth] - 1;
    const keys = this.memberKeys[depth];
    const known = keys[index] as string | undefined;
    if (known !== undefined && known.length === e - s && buf.startsWith(known, s)) {
      return known;
    }
    const key = buf.slice(s, e);
    keys[index] = key;
    return key;
  }

  // -- elements ---------------------------------------------------------------------------------

  private openElement(tag: Tag, buf: string, s: number, e: number): void {
    let next: Kind;
    switch (this.kind) {
      case Kind.Document:
        next = this.openRoot(tag, buf, s, e);
        break;
      case Kind.MethodResponse:
        if (tag !== Tag.Params && tag !== Tag.Fault) {
          throw unexpected(this.nameAt(buf, s, e), this.kind);
        }
        if (this.sawBody) {
          throw malformed('methodResponse has more than one <params>/<fault>');
        }
        this.sawBody = true;
        if (tag === Tag.Fault) {
          this.isFault = true;
          next = Kind.Fault;
        } else {
          next = Kind.Params;
        }
        break;
      case Kind.MethodCall:
        if (tag === Tag.MethodName && this.methodNameText === undefined && !this.sawBody) {
          this.text = '';
          next = Kind.MethodName;
        } else if (tag === Tag.Params && !this.sawBody) {
          this.sawBody = true;
          next = Kind.Params;
        } else {
          throw unexpected(this.nameAt(buf, s, e), this.kind);
        }
        break;
      case Kind.Params:
        if (tag !== Tag.Param) {
          throw unexpected(this.nameAt(buf, s, e), this.kind);
        }
        if (this.mode === 'response' && this.params.length > 0) {
          throw malformed('methodResponse has more than one <param>');
        }
        this.paramHasValue = false;
        next = Kind.Param;
        break;
      case Kind.Param:
      case Kind.Fault:
        if (tag !== Tag.Value) {
          throw unexpected(this.nameAt(buf, s, e), this.kind);
        }
        if (this.kind === Kind.Param ? this.paramHasValue : this.faultHasValue) {
          throw malformed(`<${KIND_TAG[this.kind]}> has more than one <value>`);
        }
        next = this.openValue();
        break;
      case Kind.Value:
        next = this.openType(tag, buf, s, e);
        break;
      case Kind.Struct: {
        if (tag !== Tag.Member) {
          throw unexpected(this.nameAt(buf, s, e), this.kind);
        }
        const depth = ++this.memberDepth;
        this.memberName[depth] = undefined;
        this.memberHasValue[depth] = false;
        this.memberCount[this.containerDepth]++;
        next = Kind.Member;
        break;
      }
      case Kind.Member:
        if (tag === Tag.Name) {
          if (this.memberName[this.memberDepth] !== undefined) {
            throw malformed('struct member has more than one <name>');
          }
          this.text = '';
          next = Kind.Name;
        } else if (tag === Tag.Value) {
          if (this.memberHasValue[this.memberDepth]) {
            throw malformed('struct member has more than one <value>');
          }
          next = this.openValue();
        } else {
          throw unexpected(this.nameAt(buf, s, e), this.kind);
        }
        break;
      case Kind.Array:
        if (tag !== Tag.Data) {
          throw unexpected(this.nameAt(buf, s, e), this.kind);
        }
        if (this.arrayHasData[this.containerDepth]) {
          throw malformed('array has more than one <data>');
        }
        this.arrayHasData[this.containerDepth] = true;
        next = Kind.Data;
        break;
      case Kind.Data:
        if (tag !== Tag.Value) {
          throw unexpected(this.nameAt(buf, s, e), this.kind);
        }
        next = this.openValue();
        break;
      default:
        // Scalar, Name, MethodName hold text only.
        throw malformed(`unexpected element <${safeName(this.nameAt(buf, s, e))}> inside <${this.currentTag()}>`);
    }
    const depth = this.depth++;
    this.kinds[depth] = next;
    this.names[depth] = tag === Tag.Other ? (this.raw ? canonicalName(buf.slice(s, e)) : buf.slice(s, e)) : TAG_NAMES[tag];
    this.kind = next;
  }

  private openRoot(tag: Tag, buf: string, s: number, e: number): Kind {
    const expected = this.mode === 'response' ? 'methodResponse' : 'methodCall';
    if (tag !== (this.mode === 'response' ? Tag.MethodResponse : Tag.MethodCall)) {
      const name = this.nameAt(buf, s, e);
      if (name.toLowerCase() === 'html') {
        throw malformed(`the body is an HTML page, not an XML-RPC ${expected}`);
      }
      throw malformed(`expected <${expected}> as the root element, got <${safeName(name)}>`);
    }
    return this.mode === 'response' ? Kind.MethodResponse : Kind.MethodCall;
  }

  private openValue(): Kind {
    const depth = ++this.valueDepth;
    this.valueTyped[depth] = false;
    this.text = '';
    return Kind.Value;
  }

  /** A type element inside <value>; a namespace prefix such as Apache's `ex:` is ignored. */
  private openType(tag: Tag, buf: string, s: number, e: number): Kind {
    const depth = this.valueDepth;
    if (this.valueTyped[depth]) {
      throw malformed('<value> holds more than one typed element');
    }
    if (!isWhitespace(this.text)) {
      throw malformed('<value> mixes text and a typed element');
    }
    this.text = '';
    let local = tag;
    if (tag === Tag.Other) {
      const colon = buf.indexOf(':', s);
      if (colon !== -1 && colon < e) {
        local = classify(buf, colon + 1, e);
      }
    }
    if (local === Tag.Struct || local === Tag.Array) {
      const container = ++this.containerDepth;
      if (container >= this.maxDepth) {
        throw malformed(`values nested deeper than ${this.maxDepth} levels`);
      }
      if (local === Tag.Struct) {
        this.isStruct[container] = true;
        this.memberCount[container] = 0;
        this.memberKeys[container] ??= [];
        this.memberNames[container] ??= [];
        this.memberValues[container] ??= [];
        return Kind.Struct;
      }
      this.isStruct[container] = false;
      this.containers[container] = [];
      this.arrayHasData[container] = false;
      return Kind.Array;
    }
    const scalar = TAG_SCALAR[local];
    if (scalar === Scalar.None) {
      throw malformed(`unknown XML-RPC type <${safeName(this.nameAt(buf, s, e))}>`);
    }
    this.scalar = scalar;
    this.scalarTag = TAG_NAMES[local];
    return Kind.Scalar;
  }

  private closeElement(): void {
    const closed = this.kind;
    const depth = --this.depth;
    this.kind = depth > 0 ? this.kinds[depth - 1] : Kind.Document;
    switch (closed) {
      case Kind.Scalar:
        this.typedValue(this.decodeScalar());
        this.text = '';
        return;
      case Kind.Struct:
        this.typedValue(this.buildStruct(this.containerDepth--));
        return;
      case Kind.Array: {
        const container = this.containers[this.containerDepth];
        this.containers[this.containerDepth--] = [];
        this.typedValue(container);
        return;
      }
      case Kind.Value: {
        const valueDepth = this.valueDepth--;
        let value: XmlRpcValue;
        if (this.valueTyped[valueDepth]) {
          value = this.valueResult[valueDepth];
          this.valueResult[valueDepth] = null;
        } else {
          value = ownString(this.text); // untyped value = string, whitespace preserved; empty → ""
        }
        this.text = '';
        this.deliver(value);
        return;
      }
      case Kind.Name:
        this.memberName[this.memberDepth] = this.text;
        this.text = '';
        return;
      case Kind.Member: {
        const memberDepth = this.memberDepth--;
        const name = this.memberName[memberDepth];
        if (name === undefined) {
          throw malformed('struct member without <name>');
        }
        if (!this.memberHasValue[memberDepth]) {
          throw malformed('struct member without <value>');
        }
        const value = this.memberValue[memberDepth];
        this.memberValue[memberDepth] = null;
        const container = this.containerDepth;
        const position = this.memberCount[container] - 1;
        this.memberNames[container][position] = name;
        this.memberValues[container][position] = value;
        this.closedName = name;
        this.closedValue = value;
        return;
      }
      case Kind.Param:
        if (!this.paramHasValue) {
          throw malformed('<param> without <value>');
        }
        this.params.push(this.paramValue);
        this.paramValue = null;
        return;
      case Kind.Fault:
        if (!this.faultHasValue) {
          throw malformed('<fault> without <value>');
        }
        return;
      case Kind.MethodName: {
        const methodName = this.text.trim();
        this.text = '';
        if (methodName.length === 0) {
          throw malformed('empty <methodName>');
        }
        this.methodNameText = methodName;
        return;
      }
      case Kind.MethodResponse:
        if (!this.sawBody) {
          throw malformed('methodResponse has neither <params> nor <fault>');
        }
        this.done = true;
        return;
      case Kind.MethodCall:
        if (this.methodNameText === undefined) {
          throw malformed('methodCall has no <methodName>');
        }
        this.done = true;
        return;
      default:
        // Params, Data: nothing to do.
        return;
    }
  }

  /**
   * The object of the struct at `depth` from its collected members (a repeated name: the last value
   * wins, at the place of the first). When the names are those of the previous struct at this depth
   * (all the CDRs of a page), the object starts as a copy of a prototype with exactly those
   * properties, so every CDR gets the same compact layout ("fast properties") instead of one
   * built property by property, which V8 turns into a slower hash table past ~16 properties.
   */
  private buildStruct(depth: number): XmlRpcStruct {
    const names = this.memberNames[depth];
    const values = this.memberValues[depth];
    const count = this.memberCount[depth];
    const shape = this.shapes[depth];
    let struct: XmlRpcStruct;
    if (shape !== undefined && shape.names.length === count && sameNames(shape.names, names, count)) {
      struct = { ...shape.prototype };
      for (let i = 0; i < count; i++) {
        struct[names[i]] = values[i];
      }
    } else {
      struct = {};
      for (let i = 0; i < count; i++) {
        setMember(struct, names[i], values[i]);
      }
      if (count >= MIN_SHAPE_MEMBERS) {
        this.shapes[depth] = structShape(names, count);
      }
    }
    values.fill(null, 0, count);
    return struct;
  }

  private typedValue(value: XmlRpcValue): void {
    this.valueTyped[this.valueDepth] = true;
    this.valueResult[this.valueDepth] = value;
  }

  /** Hands a finished <value> to its parent element (now on top of the stack). */
  private deliver(value: XmlRpcValue): void {
    switch (this.kind) {
      case Kind.Data:
        this.containers[this.containerDepth].push(value);
        return;
      case Kind.Member:
        this.memberValue[this.memberDepth] = value;
        this.memberHasValue[this.memberDepth] = true;
        return;
      case Kind.Param:
        this.paramValue = value;
        this.paramHasValue = true;
        return;
      case Kind.Fault:
        this.fault = value;
        this.faultHasValue = true;
        return;
      default:
        throw malformed('misplaced <value>'); // unreachable: <value> only opens under the kinds above
    }
  }

  private decodeScalar(): XmlRpcValue {
    const text = this.text;
    switch (this.scalar) {
      case Scalar.String:
        return ownString(text);
      case Scalar.Int:
        return decodeInteger(text, this.scalarTag);
      case Scalar.Double:
        return decodeDouble(text, this.scalarTag);
      case Scalar.Boolean:
        return decodeBoolean(text);
      case Scalar.Nil:
        if (!isWhitespace(text)) {
          throw malformed('<nil> must be empty');
        }
        return null;
      case Scalar.Base64:
        return decodeBase64(text);
      case Scalar.DateTime:
        return decodeDateTime(text, this.scalarTag);
      case Scalar.None:
        throw malformed('misplaced scalar'); // unreachable: openType never opens Scalar.None
    }
  }

  private currentTag(): string {
    return this.kind === Kind.Scalar ? this.scalarTag : KIND_TAG[this.kind];
  }
}

/** Structs with fewer members are built property by property (V8 keeps those compact anyway). */
const MIN_SHAPE_MEMBERS = 8;

interface StructShape {
  readonly names: readonly string[];
  /** An object with exactly these properties (all null), in this order. */
  readonly prototype: XmlRpcStruct;
}

function sameNames(known: readonly string[], names: readonly string[], count: number): boolean {
  for (let i = 0; i < count; i++) {
    if (known[i] !== names[i]) {
      return false;
    }
  }
  return true;
}

/** A shape for these member names, or undefined when they repeat or include `__proto__`. */
function structShape(names: readonly string[], count: number): StructShape | undefined {
  const unique = new Set<string>();
  for (let i = 0; i < count; i++) {
    if (names[i] === '__proto__' || unique.has(names[i])) {
      return undefined;
    }
    unique.add(names[i]);
  }
  const own = names.slice(0, count);
  // JSON.parse builds objects with fast properties whatever their number (a literal would too).
  const prototype = JSON.parse(`{${own.map((name) => `${JSON.stringify(name)}:null`).join(',')}}`) as XmlRpcStruct;
  return { names: own, prototype };
}

/** Buffer's latin1Slice (Node's own, not in its typings): `toString('latin1', s, e)` without the argument checks. */
type LatinBuffer = Buffer & { latin1Slice(start: number, end: number): string };

/** V8 makes a slice of 13 characters or more a view into the string it was cut from. */
const MIN_SLICED_LENGTH = 13;

/**
 * A string value that holds its own characters. A slice of the decoded text would be a view that
 * keeps the whole chunk (64 Ki characters, 128 KB as UTF-16) alive as long as the value: a 65 MB
 * page of CDRs kept ~130 MB of chunks for ~20 MB of values. Flattening `' ' + text` copies the
 * characters once; the result is a view of that copy only.
 */
function ownString(text: string): string {
  if (text.length < MIN_SLICED_LENGTH) {
    return text; // already a copy (or a constant)
  }
  const copy = ` ${text}`;
  copy.charCodeAt(0); // flattens the concatenation into one new string
  return copy.slice(1);
}

function setMember(struct: XmlRpcStruct, name: string, value: XmlRpcValue): void {
  if (name === '__proto__') {
    // keep it a member; plain assignment would replace the object's prototype
    Object.defineProperty(struct, name, { value, enumerable: true, writable: true, configurable: true });
  } else {
    struct[name] = value;
  }
}

/**
 * The value of plain text [s, e) of a scalar type in its canonical form, or undefined when it is
 * not (the token path then decodes it with the full rules, and reports errors).
 */
function plainValue(scalar: Scalar, buf: string, s: number, e: number, bytes: Buffer | undefined): XmlRpcValue | undefined {
  switch (scalar) {
    case Scalar.None:
    case Scalar.String:
      // From the bytes `buf` views: one new string; else a copy that does not keep `buf` alive.
      return bytes !== undefined && e - s >= MIN_SLICED_LENGTH ? (bytes as LatinBuffer).latin1Slice(s, e) : ownString(buf.slice(s, e));
    case Scalar.Int:
      return plainIntegerAt(buf, s, e);
    case Scalar.Double:
      return plainDecimalAt(buf, s, e);
    case Scalar.Boolean:
      if (e - s === 1) {
        const c = buf.charCodeAt(s);
        return c === 0x31 ? true : c === 0x30 ? false : undefined;
      }
      return undefined;
    case Scalar.Nil:
      return s === e ? null : undefined;
    default:
      return undefined; // base64, dateTime: rare in CDRs, decoded by the token path
  }
}

/**
 * plainValue for the text [s, e) of bytes that holds bytes ≥ 0x80: only a string is taken (decoded;
 * undefined if the decoded text has a character decodeText would refuse or a surrogate pair).
 */
function plainUtf8Value(scalar: Scalar, buf: string, s: number, e: number): XmlRpcValue | undefined {
  if (scalar !== Scalar.None && scalar !== Scalar.String) {
    return undefined;
  }
  const text = utf8(buf.slice(s, e));
  return isPlainText(text, 0, text.length, PLAIN_LIMIT_TEXT) ? text : undefined;
}

/** An attribute value [s, e): valid characters, no `<`, references well-formed. */
function checkAttributeValue(buf: string, s: number, e: number): void {
  checkChars(buf, s, e);
  const lt = buf.indexOf('<', s);
  if (lt !== -1 && lt < e) {
    throw notWellFormed('disallowed character');
  }
  for (let amp = buf.indexOf('&', s); amp !== -1 && amp < e; amp = buf.indexOf('&', amp + 1)) {
    const semicolon = buf.indexOf(';', amp + 1);
    if (semicolon === -1 || semicolon >= e) {
      throw notWellFormed('unterminated entity reference');
    }
    resolveEntity(buf.slice(amp + 1, semicolon));
  }
}

function unexpected(name: string, parent: Kind): Error {
  return malformed(`unexpected element <${safeName(name)}> inside <${KIND_TAG[parent]}>`);
}

function resolveMaxBytes(options: DecodeOptions): number {
  const { maxBytes } = options;
  if (maxBytes === undefined) {
    return Infinity;
  }
  if (typeof maxBytes !== 'number' || Number.isNaN(maxBytes) || maxBytes < 0) {
    throw new TypeError('decodeMethodResponse: maxBytes must be a non-negative number');
  }
  return maxBytes;
}

function resolveMaxDepth(options: DecodeOptions): number {
  const { maxDepth } = options;
  if (maxDepth === undefined) {
    return XML_RPC_DEFAULT_MAX_DEPTH;
  }
  if (!Number.isInteger(maxDepth) || maxDepth < 1) {
    throw new TypeError('decodeMethodResponse: maxDepth must be a positive integer');
  }
  return maxDepth;
}
