import { request as httpRequest, type IncomingMessage, type ClientRequest } from 'node:http';

/** One message of a text/event-stream. */
export interface SseMessage {
  event: string;
  data: string;
  id?: string;
  retry?: number;
  /** When it arrived (Date.now()). */
  receivedAt: number;
}

export interface SseOpenOptions {
  headers?: Record<string, string>;
  /** Abort the connection attempt after this long. Default 5000. */
  timeoutMs?: number;
}

/**
 * A minimal Server-Sent Events client over node:http for the tests and the benchmark: parses the stream as the
 * EventSource spec does (fields, comments, multi-line data), keeps every message, and waits for the ones asked for.
 */
export class SseClient {
  readonly messages: SseMessage[] = [];
  /** Everything received, as text. */
  raw = '';
  private waiters: Array<{ match: (m: SseMessage) => boolean; resolve: (m: SseMessage) => void }> = [];
  private ended = false;
  private endWaiters: Array<() => void> = [];

  private constructor(
    readonly response: IncomingMessage,
    private readonly request: ClientRequest,
  ) {
    let buffer = '';
    let current: { event?: string; data: string[]; id?: string; retry?: number } = { data: [] };
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      this.raw += chunk;
      buffer += chunk;
      let newline: number;
      while ((newline = buffer.search(/\r\n|\r|\n/)) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
        if (line === '') {
          if (current.data.length > 0 || current.event !== undefined) {
            this.push({
              event: current.event ?? 'message',
              data: current.data.join('\n'),
              id: current.id,
              retry: current.retry,
              receivedAt: Date.now(),
            });
          } else if (current.retry !== undefined) {
            this.push({ event: 'retry', data: '', retry: current.retry, receivedAt: Date.now() });
          }
          current = { data: [] };
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') current.event = value;
        else if (field === 'data') current.data.push(value);
        else if (field === 'id') current.id = value;
        else if (field === 'retry') current.retry = Number(value);
      }
    });
    const end = (): void => {
      this.ended = true;
      for (const waiter of this.endWaiters) waiter();
      this.endWaiters = [];
    };
    response.on('end', end);
    response.on('close', end);
    response.on('error', end);
  }

  /** Opens `url` and resolves when the response headers arrive (any status: check `status`). */
  static open(url: string, options: SseOpenOptions = {}): Promise<SseClient> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(url, { headers: { Accept: 'text/event-stream', ...options.headers } }, (res) => {
        clearTimeout(timer);
        resolve(new SseClient(res, req));
      });
      const timer = setTimeout(() => {
        req.destroy(new Error(`no response from ${url} within ${String(options.timeoutMs ?? 5000)} ms`));
      }, options.timeoutMs ?? 5000);
      req.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      req.end();
    });
  }

  get status(): number {
    return this.response.statusCode ?? 0;
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** Messages of these types (e.g. stored events only, without heartbeats). */
  of(...events: string[]): SseMessage[] {
    return this.messages.filter((m) => events.includes(m.event));
  }

  /** The first message (already received or future) that matches. */
  next(match: (m: SseMessage) => boolean, timeoutMs = 10_000, what = 'a matching message'): Promise<SseMessage> {
    const seen = this.messages.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.resolve !== done);
        reject(
          new Error(`timed out after ${String(timeoutMs)} ms waiting for ${what}; got: ${this.messages.map((m) => m.event).join(', ')}`),
        );
      }, timeoutMs);
      const done = (m: SseMessage): void => {
        clearTimeout(timer);
        resolve(m);
      };
      this.waiters.push({ match, resolve: done });
    });
  }

  /** The first message of this type. */
  nextOf(event: string, timeoutMs = 10_000): Promise<SseMessage> {
    return this.next((m) => m.event === event, timeoutMs, `event ${event}`);
  }

  /** Resolves when the server ends the stream. */
  closed(timeoutMs = 10_000): Promise<void> {
    if (this.ended) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`the stream was not closed within ${String(timeoutMs)} ms`));
      }, timeoutMs);
      this.endWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Reads the whole body (for non-stream answers such as a 401). */
  async text(): Promise<string> {
    await this.closed();
    return this.raw;
  }

  close(): void {
    this.request.destroy();
    this.response.destroy();
  }

  private push(message: SseMessage): void {
    this.messages.push(message);
    const ready = this.waiters.filter((w) => w.match(message));
    this.waiters = this.waiters.filter((w) => !w.match(message));
    for (const waiter of ready) waiter.resolve(message);
  }
}
