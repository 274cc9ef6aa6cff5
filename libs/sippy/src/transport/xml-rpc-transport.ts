import type { XmlRpcValue } from '../codec/xml-rpc.types';

export interface XmlRpcCallOptions {
  /** Overrides the transport's default timeout for this call. */
  timeoutMs?: number;
  /** Caller cancellation (e.g. application shutdown). */
  signal?: AbortSignal;
}

/**
 * The port through which SippyClient talks XML-RPC. The production implementation is
 * DigestXmlRpcTransport (HTTP(S) POST + RFC 7616 Digest); tests inject FakeXmlRpcTransport.
 *
 * call() resolves with the decoded `<params><param>` value, or rejects with a SippyError
 * (kind 'fault' for an XML-RPC fault, see SippyErrorKind for the rest).
 */
export abstract class XmlRpcTransport {
  /** The endpoint without credentials or query string, safe to log. */
  abstract readonly endpoint: string;
  abstract call(method: string, params: XmlRpcValue[], options?: XmlRpcCallOptions): Promise<XmlRpcValue>;
  /** Releases sockets (connection pool); the transport cannot be used afterwards. */
  abstract close(): Promise<void>;
}

export interface TlsOptions {
  /** Verify the server certificate (default true). false only for this client, never process-wide. */
  verify?: boolean;
  /** PEM CA bundle or self-signed certificate to trust (contents, not a path). */
  ca?: string | Buffer;
}

export interface DigestXmlRpcTransportOptions {
  /** e.g. https://switch.example.net/xmlapi/xmlapi */
  url: string;
  /** Digest user (Sippy web login). Omit both username and password for trusted mode (no auth). */
  username?: string;
  /** Digest password (Sippy API password). Never logged, never in errors. */
  password?: string;
  tls?: TlsOptions;
  /** Default per-call timeout, whole exchange including the Digest round trip. Default 30000. */
  timeoutMs?: number;
  /** Abort and fail with kind 'too_large' past this many response bytes. Default 256 MiB. */
  maxResponseBytes?: number;
  /** User-Agent header. */
  userAgent?: string;
}
