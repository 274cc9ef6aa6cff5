import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Server as NetServer } from 'node:net';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { FakeServer } from '@velora/simulator-kit';

/** A request the fake HTTP receivers got. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  at: number;
}

/** What the next answers of a fake look like: a status (and body), a hang (never answers) or the default. */
export type ScriptedAnswer = { status: number; body?: unknown; headers?: Record<string, string> } | 'hang';

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function answer(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body ?? {});
  res.writeHead(status, { 'Content-Type': typeof body === 'string' ? 'text/plain' : 'application/json', ...headers });
  res.end(text);
}

/** Shared by the two HTTP fakes: a log of requests and a script of the next answers. */
abstract class ScriptedHttpFake extends FakeServer<Server> {
  readonly received: ReceivedRequest[] = [];
  private readonly script: ScriptedAnswer[] = [];
  private waiters: Array<{ count: number; resolve: () => void }> = [];

  /** The next `times` requests get this answer (then the default again). */
  respondNext(scripted: ScriptedAnswer, times = 1): void {
    for (let i = 0; i < times; i += 1) this.script.push(scripted);
  }

  /** Resolves when at least `count` requests were received. */
  waitFor(count: number, timeoutMs = 10_000): Promise<void> {
    if (this.received.length >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(
          new Error(`${this.constructor.name}: ${String(this.received.length)} of ${String(count)} requests after ${String(timeoutMs)} ms`),
        );
      }, timeoutMs);
      this.waiters.push({
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  get url(): string {
    return this.lifecycle.origin();
  }

  protected override createServer(): Server {
    return createServer((req, res) => {
      void this.serve(req, res).catch(() => res.destroy());
    });
  }

  /** The default answer. */
  protected abstract handle(request: ReceivedRequest, res: ServerResponse): void;

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const request: ReceivedRequest = {
      method: req.method ?? '',
      path: req.url ?? '',
      headers: req.headers,
      body: await readBody(req),
      at: Date.now(),
    };
    this.received.push(request);
    const ready = this.waiters.filter((w) => this.received.length >= w.count);
    this.waiters = this.waiters.filter((w) => this.received.length < w.count);
    for (const waiter of ready) waiter.resolve();
    const scripted = this.script.shift();
    if (scripted === 'hang') return; // never answers (stop()/down() cut it)
    if (scripted !== undefined) {
      answer(res, scripted.status, scripted.body, scripted.headers);
      return;
    }
    this.handle(request, res);
  }
}

/** A webhook receiver: answers 204 by default; `verify()` checks Velora's signature like a real receiver would. */
export class FakeWebhookReceiver extends ScriptedHttpFake {
  constructor() {
    super('FakeWebhookReceiver');
  }

  /** The documented check: HMAC-SHA256 of `<X-Velora-Timestamp>.<raw body>`, compared in constant time. */
  static verify(request: ReceivedRequest, secret: string): boolean {
    const timestamp = request.headers['x-velora-timestamp'];
    const signature = request.headers['x-velora-signature'];
    if (typeof timestamp !== 'string' || typeof signature !== 'string') return false;
    const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(`${timestamp}.${request.body}`).digest('hex')}`);
    const got = Buffer.from(signature);
    return expected.length === got.length && timingSafeEqual(expected, got);
  }

  protected handle(_request: ReceivedRequest, res: ServerResponse): void {
    res.writeHead(204).end();
  }
}

/** Telegram's Bot API, sendMessage only: checks the token and the chat like Telegram does. */
export class FakeTelegramApi extends ScriptedHttpFake {
  readonly messages: Array<{ chat_id: string; text: string }> = [];

  constructor(private readonly options: { token: string; chats: string[] }) {
    super('FakeTelegramApi');
  }

  protected handle(request: ReceivedRequest, res: ServerResponse): void {
    const match = /^\/bot([^/]+)\/sendMessage$/.exec(request.path);
    if (request.method !== 'POST' || match === null) {
      answer(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      return;
    }
    if (match[1] !== this.options.token) {
      answer(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
      return;
    }
    let body: { chat_id?: unknown; text?: unknown };
    try {
      body = JSON.parse(request.body) as { chat_id?: unknown; text?: unknown };
    } catch {
      answer(res, 400, { ok: false, error_code: 400, description: "Bad Request: can't parse JSON" });
      return;
    }
    const chat = String(body.chat_id);
    if (!this.options.chats.includes(chat)) {
      answer(res, 400, { ok: false, error_code: 400, description: 'Bad Request: chat not found' });
      return;
    }
    if (typeof body.text !== 'string' || body.text === '') {
      answer(res, 400, { ok: false, error_code: 400, description: 'Bad Request: message text is empty' });
      return;
    }
    this.messages.push({ chat_id: chat, text: body.text });
    answer(res, 200, {
      ok: true,
      result: { message_id: this.messages.length, chat: { id: chat }, date: Math.floor(Date.now() / 1000), text: body.text },
    });
  }
}

/** A mail the SMTP sink accepted, decoded enough for assertions. */
export interface ReceivedMail {
  from: string;
  to: string[];
  /** The authenticated user, or null. */
  user: string | null;
  subject: string;
  text: string;
  headers: Record<string, string>;
  raw: string;
}

/** A local SMTP server (smtp-server): accepts mail, optionally requires a login, can refuse the next messages. */
export class FakeSmtpSink extends FakeServer {
  readonly mails: ReceivedMail[] = [];
  private readonly refusals: Array<{ code: number; message: string }> = [];
  private waiters: Array<{ count: number; resolve: () => void }> = [];

  constructor(private readonly options: { user?: string; pass?: string } = {}) {
    super('FakeSmtpSink');
  }

  /** The next message gets this SMTP reply after DATA (e.g. 451 try later, 550 rejected). */
  refuseNext(code: number, message: string): void {
    this.refusals.push({ code, message });
  }

  waitFor(count: number, timeoutMs = 10_000): Promise<void> {
    if (this.mails.length >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`FakeSmtpSink: ${String(this.mails.length)} of ${String(count)} mails after ${String(timeoutMs)} ms`));
      }, timeoutMs);
      this.waiters.push({
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  protected override createServer(): NetServer {
    const needsAuth = this.options.user !== undefined;
    const smtp = new SMTPServer({
      secure: false,
      disabledCommands: needsAuth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
      authOptional: !needsAuth,
      allowInsecureAuth: true,
      logger: false,
      onAuth: (auth, _session, callback) => {
        if (auth.username === this.options.user && auth.password === this.options.pass) callback(null, { user: auth.username });
        else callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
      },
      onData: (stream: SMTPServerDataStream, session: SMTPServerSession, callback: (error?: Error | null) => void) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const refusal = this.refusals.shift();
          if (refusal !== undefined) {
            callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
            return;
          }
          this.accept(Buffer.concat(chunks).toString('utf8'), session);
          callback(null);
        });
      },
    });
    return smtp.server;
  }

  private accept(raw: string, session: SMTPServerSession): void {
    const split = raw.indexOf('\r\n\r\n');
    const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
    const headers: Record<string, string> = {};
    for (const line of head.split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
    }
    let body = raw.slice(split + 4);
    if (/quoted-printable/i.test(headers['content-transfer-encoding'] ?? '')) body = decodeQuotedPrintable(body);
    else if (/base64/i.test(headers['content-transfer-encoding'] ?? ''))
      body = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    const mailFrom = session.envelope.mailFrom;
    this.mails.push({
      from: mailFrom === false ? '' : mailFrom.address,
      to: session.envelope.rcptTo.map((r) => r.address),
      user: typeof session.user === 'string' ? session.user : null,
      subject: decodeMimeWords(headers['subject'] ?? ''),
      text: body.replace(/\r\n/g, '\n').replace(/\n$/, ''),
      headers,
      raw,
    });
    const ready = this.waiters.filter((w) => this.mails.length >= w.count);
    this.waiters = this.waiters.filter((w) => this.mails.length < w.count);
    for (const waiter of ready) waiter.resolve();
  }
}

function decodeQuotedPrintable(text: string): string {
  const joined = text.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i += 1) {
    const hex = joined.slice(i + 1, i + 3);
    if (joined[i] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(joined[i] ?? '', 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** RFC 2047 encoded words (=?UTF-8?Q?…?= / =?UTF-8?B?…?=). */
function decodeMimeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([QB])\?([^?]*)\?=/gi, (_m, _charset: string, encoding: string, text: string) =>
      encoding.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : decodeQuotedPrintable(text.replace(/_/g, ' ')),
    );
}
