import { Readable } from 'node:stream';
import xmlrpc from 'xmlrpc';

/**
 * The simulator's XML-RPC wire layer, on the `xmlrpc` package's serializer and Deserializer
 * (sippy-xmlrpc.md §1; integrations.md §4.2). `xmlrpc/lib/*` ship no types, so they are loaded
 * with a typed require instead of an ambient `declare module`.
 */

interface XmlRpcLibSerializer {
  serializeMethodResponse(value: unknown): string;
  serializeFault(fault: unknown): string;
}

type MethodCallCallback = (error: Error | null | undefined, methodName?: string, params?: unknown[]) => void;

interface XmlRpcLibDeserializer {
  deserializeMethodCall(stream: Readable, callback: MethodCallCallback): void;
}

type XmlRpcLibDeserializerClass = new (encoding?: string) => XmlRpcLibDeserializer;

// eslint-disable-next-line @typescript-eslint/no-require-imports
const serializer = require('xmlrpc/lib/serializer') as XmlRpcLibSerializer;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Deserializer = require('xmlrpc/lib/deserializer') as XmlRpcLibDeserializerClass;

/** A number that must go out as `<double>` even when it is integral (xmlrpc would write `<int>`). */
export class WireDouble extends xmlrpc.CustomType {
  override tagName = 'double';
  readonly value: number;

  constructor(value: number) {
    if (!Number.isFinite(value)) {
      throw new RangeError(`not a finite double: ${value}`);
    }
    super(formatDouble(value));
    this.value = value;
  }
}

/** An integer outside the i4 range: `<i8>` (xmlrpc would write an invalid `<int>`). */
export class WireI8 extends xmlrpc.CustomType {
  override tagName = 'i8';
  readonly value: number;

  constructor(value: number) {
    if (!Number.isSafeInteger(value)) {
      throw new RangeError(`not a safe integer: ${value}`);
    }
    super(String(value));
    this.value = value;
  }
}

export type WireValue = string | number | boolean | null | WireDouble | WireI8 | WireValue[] | WireStruct;
export interface WireStruct {
  [member: string]: WireValue;
}

const I4_MIN = -2147483648;
const I4_MAX = 2147483647;

/** An integer value: `<int>` inside the i4 range, `<i8>` outside it. */
export function wireInt(value: number): number | WireI8 {
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`not an integer: ${value}`);
  }
  return value < I4_MIN || value > I4_MAX ? new WireI8(value) : value;
}

export function wireDouble(value: number): WireDouble {
  return new WireDouble(value);
}

/** Decimal text without exponent, as XML-RPC `<double>` requires. */
export function formatDouble(value: number): string {
  const text = String(value);
  if (!/e/i.test(text)) return text;
  return value.toFixed(20).replace(/0+$/, '').replace(/\.$/, '');
}

/**
 * The plain JS value a client decoder produces for a wire value (doubles and i8 become numbers,
 * `<nil/>` null). Used for the simulator's ground truth, so it matches the wire by construction.
 */
export function unwrapWire(value: WireValue): unknown {
  if (value instanceof WireDouble || value instanceof WireI8) return value.value;
  if (Array.isArray(value)) return value.map(unwrapWire);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, member] of Object.entries(value)) out[key] = unwrapWire(member);
    return out;
  }
  return value;
}

/**
 * A methodResponse. Produced by a string builder that writes exactly the bytes xmlrpc's
 * serializer (xmlbuilder) writes — pinned by xml-rpc-wire.spec.ts — because xmlbuilder needs
 * seconds for a page of thousands of CDRs, which would swamp client benchmarks. Anything the fast
 * path does not handle goes through xmlrpc's serializer itself.
 */
export function serializeResponse(value: WireValue): string {
  try {
    return fastSerializeMethodResponse(value);
  } catch (error) {
    if (error instanceof FastPathUnsupported) return serializer.serializeMethodResponse(value);
    throw error;
  }
}

/** xmlrpc's own serializer (reference for the fast path). */
export function serializeResponseWithXmlrpc(value: WireValue): string {
  return serializer.serializeMethodResponse(value);
}

class FastPathUnsupported extends Error {}

const XML_DECLARATION = '<?xml version="1.0"?>';
// xmlbuilder rejects these characters (surrogates are allowed: xmlrpc sets allowSurrogateChars).
// eslint-disable-next-line no-control-regex -- matching control characters is the point of this pattern
const ILLEGAL_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

/** xmlbuilder's element-text escaping. */
function escapeText(text: string): string {
  if (ILLEGAL_XML_CHAR.test(text)) throw new FastPathUnsupported();
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#xD;');
}

export function fastSerializeMethodResponse(value: WireValue): string {
  const out: string[] = [XML_DECLARATION, '<methodResponse><params><param>'];
  writeValue(value, out);
  out.push('</param></params></methodResponse>');
  return out.join('');
}

function writeValue(value: WireValue, out: string[]): void {
  if (value === null) {
    out.push('<value><nil/></value>');
  } else if (typeof value === 'string') {
    if (value.length === 0) {
      out.push('<value><string/></value>');
    } else if (!/[<&]/.test(value) && !value.includes(']]>')) {
      out.push('<value><string>', escapeText(value), '</string></value>');
    } else {
      if (ILLEGAL_XML_CHAR.test(value)) throw new FastPathUnsupported();
      out.push('<value><string><![CDATA[', value.replace(']]>', ']]]]><![CDATA[>'), ']]></string></value>');
    }
  } else if (typeof value === 'number') {
    out.push(value % 1 === 0 ? '<value><int>' : '<value><double>', String(value), value % 1 === 0 ? '</int></value>' : '</double></value>');
  } else if (typeof value === 'boolean') {
    out.push(value ? '<value><boolean>1</boolean></value>' : '<value><boolean>0</boolean></value>');
  } else if (value instanceof WireDouble || value instanceof WireI8) {
    if (value.raw === '') throw new FastPathUnsupported();
    out.push('<value><', value.tagName, '>', escapeText(value.raw), '</', value.tagName, '></value>');
  } else if (Array.isArray(value)) {
    if (value.length === 0) {
      out.push('<value><array><data/></array></value>');
      return;
    }
    out.push('<value><array><data>');
    for (const item of value) writeValue(item, out);
    out.push('</data></array></value>');
  } else if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const keys = Object.keys(value);
    if (keys.length === 0) {
      out.push('<value><struct/></value>');
      return;
    }
    out.push('<value><struct>');
    for (const key of keys) {
      if (key === '') throw new FastPathUnsupported();
      out.push('<member><name>', escapeText(key), '</name>');
      writeValue(value[key], out);
      out.push('</member>');
    }
    out.push('</struct></value>');
  } else {
    throw new FastPathUnsupported();
  }
}

export function serializeFaultResponse(faultCode: number, faultString: string): string {
  return serializer.serializeFault({ faultCode, faultString });
}

export interface ParsedMethodCall {
  methodName: string;
  params: unknown[];
}

/** Parses a `<methodCall>` with xmlrpc's Deserializer; rejects with the parser's message. */
export function parseMethodCall(xml: string): Promise<ParsedMethodCall> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const deserializer = new Deserializer('utf8');
    deserializer.deserializeMethodCall(Readable.from([xml]), (error, methodName, params) => {
      if (settled) return;
      settled = true;
      if (error) {
        reject(error);
      } else if (typeof methodName !== 'string' || methodName.trim() === '') {
        reject(new Error('Method call did not contain a method name'));
      } else {
        resolve({ methodName: methodName.trim(), params: Array.isArray(params) ? params : [] });
      }
    });
  });
}
