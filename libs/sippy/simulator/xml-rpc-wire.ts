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

export function serializeResponse(value: WireValue): string {
  return serializer.serializeMethodResponse(value);
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
