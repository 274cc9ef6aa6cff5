import { SippyError } from '../errors/sippy.error';
import type { XmlRpcStruct, XmlRpcValue } from './xml-rpc.types';

/*
 * The errors of the XML-RPC decoder. Messages are short and never echo the body: names are clipped
 * to printable ASCII (safeName) and a fault string is clipped in the message (kept whole on the error).
 */

const MAX_FAULT_STRING_IN_MESSAGE = 300;
const INTEGER = /^[+-]?\d+$/;

export function malformed(detail: string): SippyError {
  return new SippyError('malformed', `Malformed XML-RPC response: ${detail}`);
}

/** A well-formedness error (what an XML parser would refuse), e.g. `notWellFormed('undefined entity')`. */
export function notWellFormed(reason: string): SippyError {
  return malformed(`not well-formed XML (${reason})`);
}

export function tooLarge(maxBytes: number): SippyError {
  return new SippyError('too_large', `XML-RPC response exceeds ${maxBytes} bytes`);
}

/** An element/label name fit for an error message: printable ASCII, at most 40 characters. */
export function safeName(name: string): string {
  const clipped = name.length > 40 ? `${name.slice(0, 40)}…` : name;
  return clipped.replace(/[^\x21-\x7e…]/g, '?');
}

/** The SippyError for a decoded `<fault>` value: kind 'fault' with code and string, or 'malformed' when ill-shaped. */
export function faultError(fault: XmlRpcValue): SippyError {
  if (typeof fault !== 'object' || fault === null || Array.isArray(fault) || fault instanceof Date || Buffer.isBuffer(fault)) {
    return malformed('<fault> value is not a struct');
  }
  const struct = fault as XmlRpcStruct;
  const rawCode = struct['faultCode'];
  let faultCode: number;
  if (typeof rawCode === 'number') {
    faultCode = rawCode;
  } else if (typeof rawCode === 'string' && INTEGER.test(rawCode.trim())) {
    faultCode = Number(rawCode.trim());
  } else {
    return malformed('<fault> struct has no integer faultCode');
  }
  const rawString = struct['faultString'];
  if (rawString !== undefined && rawString !== null && typeof rawString !== 'string') {
    return malformed('<fault> struct has a non-string faultString');
  }
  const faultString = rawString ?? '';
  const shown = faultString.length > MAX_FAULT_STRING_IN_MESSAGE ? `${faultString.slice(0, MAX_FAULT_STRING_IN_MESSAGE)}…` : faultString;
  return new SippyError('fault', `XML-RPC fault ${faultCode}: ${shown}`, { faultCode, faultString });
}
