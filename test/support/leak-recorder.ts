import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/** At most this much of each response body is kept (streamed audio can be large). */
const MAX_BODY_BYTES = 1 << 20;

export interface RecordedResponse {
  request: string;
  status: number;
  text: string;
}

export interface Secret {
  /** Where the value comes from (an env variable or a test user), never the value itself. */
  name: string;
  value: string;
}

const PASSWORD_HASH = /\$argon2id?\$/;

/** Env variables whose values are secrets: passwords, keys, tokens, client secrets. */
const SECRET_ENV = /(PASS|PASSWORD|SECRET|API_KEY|TOKEN|ENCRYPTION_KEY)$/;

/** The secrets of an app's environment, plus the password inside DATABASE_URL. */
export function secretsOfEnv(env: Readonly<Record<string, string | undefined>>): Secret[] {
  const secrets: Secret[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && value.length >= 6 && SECRET_ENV.test(name)) secrets.push({ name, value });
  }
  const url = env['DATABASE_URL'];
  if (url !== undefined && /^postgres/.test(url)) {
    const password = decodeURIComponent(new URL(url).password);
    if (password.length >= 6) secrets.push({ name: 'DATABASE_URL password', value: password });
  }
  return secrets;
}

/**
 * Records every response an app's HTTP server sends (status line, headers, body) — whoever made the request:
 * supertest, fetch, the SDKs under test — so that the whole e2e run can be searched for secrets.
 */
export class LeakRecorder {
  readonly responses: RecordedResponse[] = [];

  attach(server: Server): void {
    server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
      this.track(req, res);
    });
  }

  private track(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    let size = 0;
    const keep = (chunk: unknown, encoding?: unknown): void => {
      // Body data is a string, Buffer or Uint8Array (Node rejects anything else); end(callback) passes a function.
      if (size >= MAX_BODY_BYTES) return;
      let buffer: Buffer;
      if (Buffer.isBuffer(chunk)) buffer = chunk;
      else if (chunk instanceof Uint8Array) buffer = Buffer.from(chunk);
      else if (typeof chunk === 'string') buffer = Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
      else return;
      chunks.push(buffer.subarray(0, MAX_BODY_BYTES - size));
      size += buffer.length;
    };
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    res.write = ((...args: unknown[]) => {
      keep(args[0], args[1]);
      return write(...args);
    }) as ServerResponse['write'];
    res.end = ((...args: unknown[]) => {
      keep(args[0], args[1]);
      return end(...args);
    }) as ServerResponse['end'];
    res.once('finish', () => {
      this.responses.push({
        request: `${req.method ?? ''} ${req.url ?? ''}`,
        status: res.statusCode,
        text: `${res.statusCode} ${res.statusMessage}\n${JSON.stringify(res.getHeaders())}\n${Buffer.concat(chunks).toString('utf8')}`,
      });
    });
  }

  /** Where each secret (and any argon2 password hash) appears in a response or log line, named without the value. */
  findLeaks(secrets: readonly Secret[], logLines: readonly string[]): string[] {
    return scanForLeaks(secrets, [
      ...this.responses.map((r) => ({ where: `the response to ${r.request} (${r.status})`, text: r.text })),
      ...logLines.map((line, index) => ({ where: `log line ${index + 1}`, text: line, excerpt: true })),
    ]);
  }
}

export interface ScannedText {
  /** Named in the finding: "the response to GET /x (200)", "log line 3". */
  where: string;
  text: string;
  /** Add the text around the finding, the secret masked (log lines). */
  excerpt?: boolean;
}

/**
 * Where each secret (raw, JSON-escaped or URL-encoded) and any argon2 password hash appears in `sources`: one
 * finding per place, naming the secret, never showing its value. Used by the API e2e apps and the browser runs.
 */
export function scanForLeaks(secrets: readonly Secret[], sources: readonly ScannedText[]): string[] {
  const found: string[] = [];
  for (const source of sources) {
    if (PASSWORD_HASH.test(source.text)) found.push(`a password hash in ${source.where}`);
  }
  for (const secret of secrets) {
    const forms = [...new Set([secret.value, JSON.stringify(secret.value).slice(1, -1), encodeURIComponent(secret.value)])];
    for (const source of sources) {
      if (!forms.some((form) => source.text.includes(form))) continue;
      const excerpt =
        source.excerpt === true ? `: ${forms.reduce((text, form) => text.split(form).join('<secret>'), source.text).slice(0, 200)}` : '';
      found.push(`${secret.name} in ${source.where}${excerpt}`);
    }
  }
  return found;
}
