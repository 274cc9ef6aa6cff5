import { createHash, randomBytes } from 'node:crypto';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import Deserializer from 'xmlrpc/lib/deserializer';
import { serializeMethodCall } from 'xmlrpc/lib/serializer';


/**
 * A deliberately small XML-RPC + Digest (MD5, qop=auth) client for the simulator's own tests,
 * written independently of the production transport so each can catch the other's mistakes.
 * Not for production use: one request at a time, no retries beyond one challenge.
 */

export interface TestClientOptions {
  url: string;
  username?: string;
  password?: string;
  /** PEM to trust (HTTPS). */
  ca?: string;
  timeoutMs?: number;
}

export interface RawHttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export class TestClientError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly faultCode?: number,
    readonly faultString?: string,
  ) {
    super(message);
    this.name = 'TestClientError';
  }
}


interface Challenge {
  realm: string;
  nonce: string;
  opaque?: string;
  qop?: string;
  algorithm?: string;
  stale?: string;
}

export class SimTestClient {
  private readonly url: URL;
  private challenge: Challenge | undefined;
  private nc = 0;

  constructor(private readonly options: TestClientOptions) {
    this.url = new URL(options.url);
  }

  /** One HTTP request, no authentication logic. */
  raw(body: string, init: { method?: string; path?: string; headers?: Record<string, string> } = {}): Promise<RawHttpResponse> {
    const isHttps = this.url.protocol === 'https:';
    const send = isHttps ? httpsRequest : httpRequest;
    const payload = Buffer.from(body, 'utf8');
    return new Promise((resolve, reject) => {
      const req = send(
        {
          host: this.url.hostname,
          port: this.url.port,
          method: init.method ?? 'POST',
          path: init.path ?? this.url.pathname,
          headers: { 'Content-Type': 'text/xml', 'Content-Length': String(payload.length), ...init.headers },
          agent: false,
          ...(isHttps ? { ca: this.options.ca } : {}),
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => { resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }); });
          res.on('error', reject);
          res.on('aborted', () => { reject(new TestClientError('response aborted')); });
        },
      );
      req.setTimeout(this.options.timeoutMs ?? 5000, () => req.destroy(new TestClientError('timeout')));
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** POSTs an XML-RPC call, answering a Digest challenge once; returns the final raw response. */
  post(method: string, params: unknown[]): Promise<RawHttpResponse> {
    return this.postXml(serializeMethodCall(method, params));
  }

  /** POSTs any body, answering a Digest challenge once. */
  async postXml(xml: string): Promise<RawHttpResponse> {
    if (this.challenge) {
      const first = await this.raw(xml, { headers: { Authorization: this.authorization() } });
      if (first.status !== 401) return first;
      this.challenge = parseChallenge(first.headers['www-authenticate']);
      if (!this.challenge) return first;
    } else {
      const bare = await this.raw(xml);
      if (bare.status !== 401) return bare;
      this.challenge = parseChallenge(bare.headers['www-authenticate']);
      if (!this.challenge) return bare;
    }
    this.nc = 0;
    return this.raw(xml, { headers: { Authorization: this.authorization() } });
  }

  /** Full call: Digest + decode; rejects with TestClientError on HTTP errors and faults. */
  async call(method: string, params: unknown[] = []): Promise<unknown> {
    const res = await this.post(method, params);
    if (res.status !== 200) throw new TestClientError(`HTTP ${res.status}`, res.status);
    return decodeResponse(res.body);
  }

  private authorization(): string {
    const c = this.challenge;
    if (!c) throw new TestClientError('no challenge yet');
    const username = this.options.username ?? '';
    const password = this.options.password ?? '';
    const uri = this.url.pathname;
    const nc = (++this.nc).toString(16).padStart(8, '0');
    const cnonce = randomBytes(8).toString('hex');
    const md5 = (s: string): string => createHash('md5').update(s, 'utf8').digest('hex');
    const ha1 = md5(`${username}:${c.realm}:${password}`);
    const ha2 = md5(`POST:${uri}`);
    const response = md5(`${ha1}:${c.nonce}:${nc}:${cnonce}:auth:${ha2}`);
    const parts = [
      `username="${username}"`,
      `realm="${c.realm}"`,
      `nonce="${c.nonce}"`,
      `uri="${uri}"`,
      'qop=auth',
      `nc=${nc}`,
      `cnonce="${cnonce}"`,
      `response="${response}"`,
      'algorithm=MD5',
    ];
    if (c.opaque !== undefined) parts.push(`opaque="${c.opaque}"`);
    return `Digest ${parts.join(', ')}`;
  }
}

/** Parses the first Digest challenge of a WWW-Authenticate header (test-grade parser). */
export function parseChallenge(header: string | string[] | undefined): Challenge | undefined {
  const text = Array.isArray(header) ? header.find((h) => /^\s*Digest\s/i.test(h)) : header;
  if (!text || !/^\s*Digest\s/i.test(text)) return undefined;
  const params: Partial<Record<string, string>> = {};
  for (const m of text.replace(/^\s*Digest\s+/i, '').matchAll(/([a-zA-Z-]+)=(?:"((?:[^"\\]|\\.)*)"|([^,\s]+))/g)) {
    const quoted = m.at(2); // undefined when the value is a bare token
    params[m[1].toLowerCase()] = quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : m[3];
  }
  if (params['realm'] === undefined || params['nonce'] === undefined) return undefined;
  return {
    realm: params['realm'],
    nonce: params['nonce'],
    opaque: params['opaque'],
    qop: params['qop'],
    algorithm: params['algorithm'],
    stale: params['stale'],
  };
}

/** Decodes a methodResponse body with xmlrpc's Deserializer; faults reject with TestClientError. */
export function decodeResponse(body: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let done = false;
    new Deserializer('utf8').deserializeMethodResponse(Readable.from([body]), (error, value) => {
      if (done) return;
      done = true;
      if (error) {
        // xmlrpc's deserializer copies the fault struct's members: an <int> and a <string> from the simulator.
        const faultCode = error.faultCode === undefined ? undefined : Number(error.faultCode);
        const faultString = typeof error.faultString === 'string' ? error.faultString : undefined;
        reject(
          faultCode !== undefined
            ? new TestClientError(`fault ${faultCode}: ${String(faultString)}`, 200, faultCode, faultString)
            : new TestClientError(`malformed response: ${error.message}`, 200),
        );
      } else {
        resolve(value);
      }
    });
  });
}
