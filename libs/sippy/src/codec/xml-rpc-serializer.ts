import CustomType from 'xmlrpc/lib/customtype';
import * as xmlrpcSerializer from 'xmlrpc/lib/serializer';

import { XmlRpcI8, type XmlRpcValue } from './xml-rpc.types';

/*
 * XML-RPC request serializer. The XML itself is written by the `xmlrpc` package's serializer
 * (xmlbuilder: escaping, CDATA for `<`/`&`, `<nil/>`, `<base64>`, arrays, structs); this module
 * first turns our values into a "wire" tree so that every case the package gets wrong is decided
 * here, explicitly:
 *
 * | JS value                              | XML-RPC                                             |
 * |---------------------------------------|-----------------------------------------------------|
 * | integer in int32 range                | `<int>`                                             |
 * | integer outside int32, safe integer   | `<i8>` (Sippy ids reach 4e8+; spec `<int>` is 32-bit)|
 * | integer beyond ±(2^53−1)              | TypeError: precision already lost, pass a bigint     |
 * | bigint / XmlRpcI8 (signed 64-bit)     | `<i8>` (outside the int64 range: TypeError)         |
 * | other finite number                   | `<double>`, plain decimal (never `1e-7`)            |
 * | NaN, ±Infinity                        | TypeError                                           |
 * | Date                                  | `<dateTime.iso8601>YYYYMMDDThh:mm:ss` in UTC, no zone, milliseconds truncated (process TZ irrelevant) |
 * | null                                  | `<nil/>`                                            |
 * | Buffer / Uint8Array                   | `<base64>`                                          |
 * | plain object                          | `<struct>`; members whose value is `undefined` are dropped |
 * | array                                 | `<array>`; an `undefined` element is a TypeError    |
 * | `undefined` param, function, symbol, Map, class instance, circular reference, string with characters XML 1.0 cannot carry | TypeError |
 *
 * TypeError messages name the path (`params[0].i_account`) but never the value: params can hold
 * passwords. JS cannot tell `5.0` from `5`: an integral number always goes out as `<int>`/`<i8>`.
 */

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const MAX_DEPTH = 64;

/** XML-RPC spec: method names are made of A-Z, a-z, 0-9, `_`, `.`, `:` and `/`. */
const METHOD_NAME = /^[A-Za-z0-9_.:/]+$/;
/** Any character XML 1.0 cannot carry (controls other than TAB/LF/CR, lone surrogates, U+FFFE/FFFF). */
const NON_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

class I8Value extends CustomType {
  override tagName = 'i8';
}

class DoubleValue extends CustomType {
  override tagName = 'double';
}

class DateTimeValue extends CustomType {
  override tagName = 'dateTime.iso8601';
}

type WireValue = string | number | boolean | null | Buffer | CustomType | WireValue[] | { [member: string]: WireValue };

/**
 * Serializes an XML-RPC `<methodCall>` (with the `<?xml version="1.0"?>` declaration).
 * Throws TypeError for values XML-RPC cannot represent faithfully (see the table above).
 */
export function serializeMethodCall(method: string, params: XmlRpcValue[]): string {
  if (typeof method !== 'string' || !METHOD_NAME.test(method)) {
    throw new TypeError('XML-RPC method name must be a non-empty string of A-Z a-z 0-9 _ . : /');
  }
  if (!Array.isArray(params)) {
    throw new TypeError('XML-RPC params must be an array');
  }
  const wire = params.map((param: unknown, index) => toWire(param, `params[${index}]`, [], 0));
  return xmlrpcSerializer.serializeMethodCall(method, wire);
}

/**
 * Serializes a successful `<methodResponse>` with the same value rules as serializeMethodCall.
 * For servers and simulators; the Sippy client itself only sends calls.
 */
export function serializeMethodResponse(value: XmlRpcValue): string {
  return xmlrpcSerializer.serializeMethodResponse(toWire(value, 'result', [], 0));
}

/** Serializes a `<methodResponse><fault>` with `faultCode` (int) and `faultString`. */
export function serializeFault(faultCode: number, faultString: string): string {
  if (!Number.isInteger(faultCode) || faultCode < INT32_MIN || faultCode > INT32_MAX) {
    throw new TypeError('XML-RPC faultCode must be a 32-bit integer');
  }
  return xmlrpcSerializer.serializeFault(toWire({ faultCode, faultString }, 'fault', [], 0));
}

function toWire(value: unknown, path: string, ancestors: object[], depth: number): WireValue {
  switch (typeof value) {
    case 'string':
      checkXmlText(value, path);
      return value;
    case 'boolean':
      return value;
    case 'number':
      return numberToWire(value, path);
    case 'bigint':
      return i8(value, path);
    case 'undefined':
      throw new TypeError(`XML-RPC cannot encode undefined at ${path} (only struct members may be undefined: they are dropped)`);
    case 'object':
      break;
    default:
      throw new TypeError(`XML-RPC cannot encode a ${typeof value} at ${path}`);
  }
  if (value === null) {
    return null;
  }
  if (value instanceof XmlRpcI8) {
    return i8(BigInt(value.digits), path);
  }
  if (value instanceof Date) {
    return new DateTimeValue(formatDateTime(value, path));
  }
  if (Buffer.isBuffer(value)) {
    return value;
  }
  if (value instanceof Uint8Array) {
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  }
  if (depth >= MAX_DEPTH) {
    throw new TypeError(`XML-RPC value nested deeper than ${MAX_DEPTH} levels at ${path}`);
  }
  if (ancestors.includes(value)) {
    throw new TypeError(`XML-RPC cannot encode a circular reference at ${path}`);
  }
  ancestors.push(value);
  try {
    if (Array.isArray(value)) {
      const items: WireValue[] = [];
      for (let i = 0; i < value.length; i++) {
        items.push(toWire(value[i], `${path}[${i}]`, ancestors, depth + 1));
      }
      return items;
    }
    if (!isPlainObject(value)) {
      throw new TypeError(`XML-RPC structs must be plain objects; got a ${describeObject(value)} at ${path}`);
    }
    const struct: { [member: string]: WireValue } = {};
    for (const [name, member] of Object.entries(value)) {
      if (member === undefined) {
        continue;
      }
      const memberPath = `${path}.${name}`;
      checkXmlText(name, `${memberPath} (member name)`);
      // defineProperty: a member called "__proto__" must stay a member, not become a prototype.
      Object.defineProperty(struct, name, {
        value: toWire(member, memberPath, ancestors, depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return struct;
  } finally {
    ancestors.pop();
  }
}

function numberToWire(value: number, path: string): WireValue {
  if (!Number.isFinite(value)) {
    throw new TypeError(`XML-RPC cannot encode a non-finite number (NaN/Infinity) at ${path}`);
  }
  if (Number.isInteger(value)) {
    if (value >= INT32_MIN && value <= INT32_MAX) {
      return value === 0 ? 0 : value; // -0 → 0
    }
    if (!Number.isSafeInteger(value)) {
      throw new TypeError(
        `XML-RPC: integer at ${path} is beyond ±(2^53−1) and has lost precision; pass a bigint or XmlRpcI8`,
      );
    }
    return new I8Value(String(value));
  }
  return new DoubleValue(formatDouble(value));
}

function i8(value: bigint, path: string): I8Value {
  if (value < INT64_MIN || value > INT64_MAX) {
    throw new TypeError(`XML-RPC <i8> at ${path} is outside the signed 64-bit range`);
  }
  return new I8Value(value.toString());
}

/** Shortest round-trip decimal, without the exponent form JS uses below 1e-6. */
function formatDouble(value: number): string {
  const text = String(value);
  const exponential = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (exponential === null) {
    return text;
  }
  const [, sign, lead, fraction = '', exponentText] = exponential;
  const exponent = Number(exponentText);
  const digits = lead + fraction;
  if (exponent < 0) {
    return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  }
  // Only integral values (≥ 1e21) print with a positive exponent; they are handled as integers
  // before we get here, but keep the conversion total.
  return `${sign}${digits}${'0'.repeat(Math.max(0, exponent - fraction.length))}`;
}

/** `YYYYMMDDThh:mm:ss` in UTC, no zone suffix (what Sippy expects), milliseconds truncated. */
function formatDateTime(date: Date, path: string): string {
  const time = date.getTime();
  if (Number.isNaN(time)) {
    throw new TypeError(`XML-RPC cannot encode an invalid Date at ${path}`);
  }
  const year = date.getUTCFullYear();
  if (year < 0 || year > 9999) {
    throw new TypeError(`XML-RPC dateTime.iso8601 needs a 4-digit year (0000-9999) at ${path}`);
  }
  return (
    String(year).padStart(4, '0') +
    pad2(date.getUTCMonth() + 1) +
    pad2(date.getUTCDate()) +
    'T' +
    pad2(date.getUTCHours()) +
    ':' +
    pad2(date.getUTCMinutes()) +
    ':' +
    pad2(date.getUTCSeconds())
  );
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function checkXmlText(text: string, path: string): void {
  if (NON_XML_CHAR.test(text)) {
    throw new TypeError(
      `XML-RPC string at ${path} contains a character XML 1.0 cannot carry (control character or lone surrogate); send it as a Buffer (base64)`,
    );
  }
}

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  // null-prototype objects, or objects whose prototype is some realm's Object.prototype
  return proto === null || (typeof proto === 'object' && Object.getPrototypeOf(proto) === null);
}

function describeObject(value: object): string {
  const ctor: unknown = (value as { constructor?: unknown }).constructor;
  return typeof ctor === 'function' && ctor.name ? ctor.name : 'non-plain object';
}
