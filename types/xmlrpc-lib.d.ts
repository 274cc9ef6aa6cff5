// Local typings for the parts of the `xmlrpc` package (1.3.x) that @types/xmlrpc does not cover.
// Used by the XML-RPC codec (serializer) and by the codec's oracle tests / benchmark (deserializer).

declare module 'xmlrpc/lib/customtype' {
  /** Minimal view of the xmlbuilder element the serializer hands to CustomType#serialize. */
  interface XmlBuilderElement {
    ele(name: string): XmlBuilderElement;
    txt(text: string): XmlBuilderElement;
  }

  /** Values of a CustomType subclass serialize as `<tagName>raw</tagName>`. */
  class CustomType {
    constructor(raw: string);
    raw: string;
    tagName: string;
    serialize(xml: XmlBuilderElement): XmlBuilderElement;
  }
  export = CustomType;
}

declare module 'xmlrpc/lib/serializer' {
  /** Returns the whole document, including the `<?xml version="1.0"?>` declaration. */
  export function serializeMethodCall(method: string, params?: readonly unknown[], encoding?: string): string;
  export function serializeMethodResponse(value: unknown): string;
  export function serializeFault(fault: unknown): string;
}

declare module 'xmlrpc/lib/deserializer' {
  import type { Readable } from 'node:stream';

  /** Error passed to the callback for a `<fault>`. */
  interface XmlRpcFaultError extends Error {
    code?: unknown;
    faultCode?: unknown;
    faultString?: unknown;
  }

  /** Keeps state: use one instance per message. */
  class Deserializer {
    constructor(encoding?: string);
    deserializeMethodResponse(
      stream: Readable,
      callback: (error: XmlRpcFaultError | null | undefined, value?: unknown) => void,
    ): void;
    deserializeMethodCall(
      stream: Readable,
      callback: (error: Error | null | undefined, methodName?: string, params?: unknown[]) => void,
    ): void;
  }
  export = Deserializer;
}
