import { Agent, type Dispatcher } from 'undici';

import { decodeMethodResponse } from '../codec/xml-rpc-decoder';
import { serializeMethodCall } from '../codec/xml-rpc-serializer';
import type { XmlRpcValue } from '../codec/xml-rpc.types';
import { SippyError } from '../errors/sippy.error';
import { AuthHeaderParseError, DigestSession } from './digest-auth';
import { PromiseMutex } from './promise-mutex';
import { classifyTransportError, timeoutError, toSippyError } from './transport-errors';
import { XmlRpcTransport, type DigestXmlRpcTransportOptions, type XmlRpcCallOptions } from './xml-rpc-transport';

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024 * 1024;
const DEFAULT_USER_AGENT = 'velora-sippy';

type ResponseData = Dispatcher.ResponseData;

/**
 * XML-RPC over HTTP(S) POST with RFC 7616 Digest authentication, on undici 7.
 *
 * - The first call goes without credentials (Basic is never sent); the 401 challenge is parsed
 *   (strongest of SHA-256 / MD5, -sess variants, qop=auth) and the call is repeated with Digest.
 *   The nonce is cached: later calls authenticate pre-emptively with nc + 1.
 * - A 401 with stale=true or a different nonce re-authenticates once; a 401/403 right after
 *   answering a fresh challenge is SippyError 'auth'.
 * - Calls on one instance are serialized (FIFO mutex) so nc reaches the server in order; the
 *   timeout of a queued call includes its wait.
 * - TLS verification is on by default; tls.verify=false / tls.ca affect this instance's Agent only.
 * - No username/password = trusted mode (IP-based on the switch): no Authorization at all.
 */
export class DigestXmlRpcTransport extends XmlRpcTransport {
  readonly endpoint: string;
  private readonly origin: string;
  private readonly requestPath: string;
  private readonly timeoutMs: number;
  private readonly maxResponseBytes: number;
  private readonly userAgent: string;
  private readonly session: DigestSession | undefined;
  private readonly agent: Agent;
  private readonly mutex = new PromiseMutex();
  private closed = false;

  constructor(options: DigestXmlRpcTransportOptions) {
    super();
    let url: URL;
    try {
      url = new URL(options.url);
    } catch {
      throw new SippyError('config', 'Sippy API URL is not a valid URL');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new SippyError('config', `Sippy API URL must be http or https, got "${url.protocol}"`);
    }
    if (url.username || url.password) {
      throw new SippyError('config', 'Sippy API URL must not contain credentials; use the username/password options');
    }
    const hasUser = options.username !== undefined && options.username !== '';
    const hasPassword = options.password !== undefined && options.password !== '';
    if (hasUser !== hasPassword) {
      throw new SippyError(
        'config',
        'set both username and password for Digest authentication, or neither for trusted mode',
      );
    }
    if (options.username !== undefined && /[\r\n]/.test(options.username)) {
      throw new SippyError('config', 'the Sippy username must not contain line breaks');
    }
    this.timeoutMs = positive(options.timeoutMs, DEFAULT_TIMEOUT_MS, 'timeoutMs');
    this.maxResponseBytes = positive(options.maxResponseBytes, DEFAULT_MAX_RESPONSE_BYTES, 'maxResponseBytes');
    this.userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
    this.origin = url.origin;
    this.requestPath = `${url.pathname}${url.search}`;
    this.endpoint = `${url.protocol}//${url.host}${url.pathname}`;
    this.session =
      hasUser && hasPassword
        ? new DigestSession({ username: options.username as string, password: options.password as string })
        : undefined;
    this.agent = new Agent({
      connect: {
        rejectUnauthorized: options.tls?.verify ?? true,
        ...(options.tls?.ca !== undefined ? { ca: options.tls.ca } : {}),
        timeout: this.timeoutMs,
      },
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
    });
  }

  async call(method: string, params: XmlRpcValue[], options: XmlRpcCallOptions = {}): Promise<XmlRpcValue> {
    if (this.closed) throw new SippyError('config', `transport for ${this.endpoint} is closed`);
    const timeoutMs = positive(options.timeoutMs, this.timeoutMs, 'timeoutMs');
    const body = serializeMethodCall(method, params);
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
    const fail = (error: unknown): SippyError => {
      if (error instanceof SippyError) return error;
      if (timeout.aborted) return timeoutError(this.endpoint, timeoutMs, error);
      if (options.signal?.aborted) {
        return new SippyError('timeout', `call to ${this.endpoint} was cancelled`, { cause: options.signal.reason });
      }
      return toSippyError(error, this.endpoint, timeoutMs);
    };

    let release: () => void;
    try {
      release = await this.mutex.acquire(signal);
    } catch (error) {
      throw fail(error);
    }
    try {
      return await this.exchange(body, signal, timeoutMs);
    } catch (error) {
      throw fail(error);
    } finally {
      release();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.agent.close();
  }

  /** One XML-RPC exchange, including at most two Digest round trips. Runs under the mutex. */
  private async exchange(body: string, signal: AbortSignal, timeoutMs: number): Promise<XmlRpcValue> {
    const session = this.session;
    let authorization = session?.authorize('POST', this.requestPath);
    let response = await this.post(body, authorization, signal, timeoutMs);
    // 0: bare or pre-emptive attempt; each pass below answers one fresh challenge.
    for (let answered = 0; session && (response.statusCode === 401 || response.statusCode === 403); answered++) {
      const status = response.statusCode;
      const header = response.headers['www-authenticate'];
      await discard(response);
      if (status === 403 || answered >= 1) throw this.authFailed(status);
      const previousNonce = authorization === undefined ? undefined : session.challenge?.nonce;
      let challenge;
      try {
        challenge = header === undefined ? undefined : session.acceptChallenge(header);
      } catch (error) {
        if (!(error instanceof AuthHeaderParseError)) throw error;
        session.reset();
        throw new SippyError('auth', `${this.endpoint} sent a malformed WWW-Authenticate header (HTTP 401)`, {
          cause: error,
          httpStatus: 401,
        });
      }
      if (!challenge) {
        throw new SippyError(
          'auth',
          `${this.endpoint} answered HTTP 401 without a supported Digest challenge (MD5 or SHA-256, qop=auth)`,
          { httpStatus: 401 },
        );
      }
      // Pre-emptive credentials refused with the same nonce and no stale flag: the password is wrong.
      if (previousNonce !== undefined && challenge.nonce === previousNonce && !challenge.stale) {
        throw this.authFailed(401);
      }
      authorization = session.authorize('POST', this.requestPath);
      response = await this.post(body, authorization, signal, timeoutMs);
    }

    if (response.statusCode === 401 || response.statusCode === 403) {
      await discard(response);
      throw new SippyError(
        'auth',
        `${this.endpoint} refused the call (HTTP ${response.statusCode}) and no credentials are configured ` +
          '(trusted mode): configure the API user and password, or trust this host on the switch',
        { httpStatus: response.statusCode },
      );
    }
    if (response.statusCode !== 200) {
      await discard(response);
      throw new SippyError('http', `${this.endpoint} answered HTTP ${response.statusCode}`, {
        httpStatus: response.statusCode,
      });
    }
    return this.decode(response, signal, timeoutMs);
  }

  private async decode(response: ResponseData, signal: AbortSignal, timeoutMs: number): Promise<XmlRpcValue> {
    const declared = Number(singleHeader(response.headers['content-length']));
    if (Number.isFinite(declared) && declared > this.maxResponseBytes) {
      destroyBody(response.body);
      throw new SippyError(
        'too_large',
        `response from ${this.endpoint} is ${declared} bytes, above the limit of ${this.maxResponseBytes}`,
      );
    }
    // Remember a failure of the socket itself, so that it wins over whatever the decoder makes of it.
    let streamError: unknown;
    const body = response.body;
    async function* chunks(): AsyncGenerator<Uint8Array> {
      try {
        for await (const chunk of body) yield chunk as Uint8Array;
      } catch (error) {
        streamError = error;
        throw error;
      }
    }
    try {
      return await decodeMethodResponse(chunks(), { maxBytes: this.maxResponseBytes });
    } catch (error) {
      // Deadline or caller abort while reading: report that, not what the decoder made of the cut stream.
      if (signal.aborted) throw signal.reason ?? error; // mapped to timeout/cancelled by call()
      if (streamError !== undefined) {
        throw toSippyError(streamError, this.endpoint, timeoutMs);
      }
      if (error instanceof SippyError) throw error;
      if (classifyTransportError(error) !== undefined) throw toSippyError(error, this.endpoint, timeoutMs);
      throw new SippyError('malformed', `invalid XML-RPC response from ${this.endpoint}`, { cause: error });
    } finally {
      if (!body.readableEnded) destroyBody(body);
    }
  }

  private post(
    body: string,
    authorization: string | undefined,
    signal: AbortSignal,
    timeoutMs: number,
  ): Promise<ResponseData> {
    const headers: Record<string, string> = {
      'content-type': 'text/xml; charset=utf-8',
      accept: 'text/xml',
      'user-agent': this.userAgent,
    };
    if (authorization !== undefined) headers.authorization = authorization;
    return this.agent.request({
      origin: this.origin,
      path: this.requestPath,
      method: 'POST',
      headers,
      body,
      signal,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
  }

  private authFailed(status: number): SippyError {
    // Start the next call with a bare request instead of replaying refused credentials.
    this.session?.reset();
    return new SippyError(
      'auth',
      `authentication failed (HTTP ${status}) for user "${this.session?.username ?? ''}"`,
      { httpStatus: status },
    );
  }
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) {
    throw new SippyError('config', `${name} must be a positive number, got ${String(value)}`);
  }
  return value;
}

function singleHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Reads and drops a small error body so the connection can be reused; destroys it otherwise. */
async function discard(response: ResponseData): Promise<void> {
  try {
    await response.body.dump({ limit: 64 * 1024 });
  } catch {
    destroyBody(response.body);
  }
}

/** Drops a response body; undici emits RequestAbortedError on destroy, which nobody needs here. */
function destroyBody(body: ResponseData['body']): void {
  body.on('error', () => undefined);
  body.destroy();
}
