import type { XmlRpcValue } from '../src/codec/xml-rpc.types';
import { SippyError } from '../src/errors/sippy.error';
import { XmlRpcTransport, type XmlRpcCallOptions } from '../src/transport/xml-rpc-transport';

export type FakeXmlRpcHandler = (params: XmlRpcValue[]) => XmlRpcValue | Promise<XmlRpcValue>;

export interface RecordedXmlRpcCall {
  method: string;
  params: XmlRpcValue[];
}

/**
 * In-process XmlRpcTransport double: answers with per-method handlers and records every call.
 * An unknown method answers like Sippy does: an XML-RPC fault.
 */
export class FakeXmlRpcTransport extends XmlRpcTransport {
  readonly endpoint = 'fake://sippy/xmlapi/xmlapi';
  readonly calls: RecordedXmlRpcCall[] = [];
  closed = false;
  private readonly handlers = new Map<string, FakeXmlRpcHandler>();

  constructor(handlers: Record<string, FakeXmlRpcHandler> = {}) {
    super();
    for (const [method, handler] of Object.entries(handlers)) {
      this.handlers.set(method, handler);
    }
  }

  on(method: string, handler: FakeXmlRpcHandler): this {
    this.handlers.set(method, handler);
    return this;
  }

  /** Makes every call of `method` fail with the given error. */
  failWith(method: string, error: SippyError): this {
    return this.on(method, () => {
      throw error;
    });
  }

  async call(method: string, params: XmlRpcValue[], options?: XmlRpcCallOptions): Promise<XmlRpcValue> {
    if (this.closed) {
      throw new SippyError('config', 'transport is closed');
    }
    options?.signal?.throwIfAborted();
    this.calls.push({ method, params });
    const handler = this.handlers.get(method);
    if (!handler) {
      throw new SippyError('fault', `XML-RPC fault 404: Method "${method}" not found`, {
        faultCode: 404,
        faultString: `Method "${method}" not found`,
      });
    }
    return handler(params);
  }

  callsOf(method: string): RecordedXmlRpcCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}
