/**
 * Why a conversation with the Asterisk Manager Interface failed. The API names each kind in health
 * details and maps it to an HTTP answer (timeout → 504, the rest → 502, config → 503).
 */
export type AmiErrorKind =
  | 'auth' // Login answered "Authentication failed" (wrong user/secret, or the IP is not in permit=)
  | 'refused' // TCP connection refused: nothing listens on the port (AMI disabled, wrong port)
  | 'unreachable' // DNS failure, host/network unreachable, connection reset or closed before the answer
  | 'timeout' // no answer within the time budget (also: a firewall that drops packets silently)
  | 'tls' // TLS handshake or certificate verification failed
  | 'permission' // the AMI user may not run this action ("Permission denied")
  | 'protocol' // the peer does not speak AMI, or sent a packet we cannot use
  | 'config'; // invalid client options or action fields

export interface AmiErrorDetails {
  cause?: unknown;
  /** The AMI action that failed, when there was one. */
  action?: string;
  /** The `Message:` of an AMI `Response: Error`. Never contains the secret. */
  amiMessage?: string;
}

/** The one error type the AMI client throws. Messages never contain the secret. */
export class AmiError extends Error {
  readonly kind: AmiErrorKind;
  readonly action?: string;
  readonly amiMessage?: string;

  constructor(kind: AmiErrorKind, message: string, details: AmiErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'AmiError';
    this.kind = kind;
    this.action = details.action;
    this.amiMessage = details.amiMessage;
  }
}
