import type { XmlRpcValue } from './xml-rpc.types';

export interface DecodeOptions {
  /** Fail with SippyError kind 'too_large' past this many bytes (default: unlimited). */
  maxBytes?: number;
}

export type XmlSource = string | Uint8Array | AsyncIterable<Uint8Array | string>;

/**
 * CONTRACT (implementation owned by the codec work): streaming saxes decoder for a
 * methodResponse. Resolves with the single param value; rejects with SippyError kind 'fault'
 * (faultCode/faultString set) for a <fault>, 'malformed' for anything that is not a valid
 * methodResponse, 'too_large' past maxBytes.
 */
export function decodeMethodResponse(source: XmlSource, options: DecodeOptions = {}): Promise<XmlRpcValue> {
  void source;
  void options;
  return Promise.reject(new Error('not implemented yet'));
}
