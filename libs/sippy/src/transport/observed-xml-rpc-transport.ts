import type { XmlRpcValue } from '../codec/xml-rpc.types';
import { SippyError, type SippyErrorKind } from '../errors/sippy.error';
import { type XmlRpcCallOptions, XmlRpcTransport } from './xml-rpc-transport';

/** One finished XML-RPC call: the method, how long it took, and `ok` or the failure kind. */
export interface XmlRpcCallEvent {
  method: string;
  durationSeconds: number;
  outcome: 'ok' | SippyErrorKind;
}

/**
 * Told about every call of a transport (metrics). Called synchronously after each call settles; it must not
 * throw (an exception is swallowed so that observing can never break a call).
 */
export interface XmlRpcCallObserver {
  onCall(event: XmlRpcCallEvent): void;
}

/** Wraps a transport and reports each call's latency and outcome to an observer; behaves exactly like `inner`. */
export class ObservedXmlRpcTransport extends XmlRpcTransport {
  constructor(
    private readonly inner: XmlRpcTransport,
    private readonly observer: XmlRpcCallObserver,
  ) {
    super();
  }

  get endpoint(): string {
    return this.inner.endpoint;
  }

  async call(method: string, params: XmlRpcValue[], options?: XmlRpcCallOptions): Promise<XmlRpcValue> {
    const started = performance.now();
    try {
      const value = await this.inner.call(method, params, options);
      this.report(method, started, 'ok');
      return value;
    } catch (error: unknown) {
      this.report(method, started, error instanceof SippyError ? error.kind : 'unreachable');
      throw error;
    }
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private report(method: string, started: number, outcome: XmlRpcCallEvent['outcome']): void {
    try {
      this.observer.onCall({ method, durationSeconds: (performance.now() - started) / 1000, outcome });
    } catch {
      // an observer must never turn a call into a failure
    }
  }
}
