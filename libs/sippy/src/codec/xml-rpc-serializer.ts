import type { XmlRpcValue } from './xml-rpc.types';

/**
 * CONTRACT (implementation owned by the codec work): serialize a methodCall with the `xmlrpc`
 * package's serializer. XmlRpcI8 → <i8>, bigint → <i8>, Date → zone-less UTC
 * `YYYYMMDDThh:mm:ss`, undefined struct members dropped, undefined/bigint never become an empty value.
 */
export function serializeMethodCall(method: string, params: XmlRpcValue[]): string {
  void method;
  void params;
  throw new Error('not implemented yet');
}
