import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { FakeServer } from '@velora/simulator-kit';

/** One request the fake received: the raw body exactly as it arrived, parsed, and the Authorization header. */
export interface FakeLlmRequest {
  path: string;
  rawBody: string;
  body: { model?: string; messages?: Array<{ role: string; content: string }> } | null;
  authorization: string | undefined;
}

export type FakeLlmMode =
  /** 200 with a chat completion whose content is `reply` (or made from the request). */
  | 'ok'
  /** Never answers (the client's timeout fires). */
  | 'hang'
  /** 500 with an OpenAI-style error body. */
  | 'error'
  /** 401: the key is refused. */
  | 'unauthorized'
  /** 200 with a body that is not a chat completion. */
  | 'malformed';

/**
 * A local stand-in for an OpenAI-compatible chat-completions API on 127.0.0.1 (port 0): `POST /v1/chat/completions`
 * with the OpenAI request and response shapes. It records every request body verbatim (the privacy test searches
 * them), checks the Bearer key when `apiKey` is set, and can hang, fail or answer garbage.
 */
export class FakeLlmServer extends FakeServer<Server> {
  readonly requests: FakeLlmRequest[] = [];
  mode: FakeLlmMode = 'ok';
  /** The answer's content; default: a sentence that quotes the language asked for. */
  reply: ((request: FakeLlmRequest) => string) | undefined;

  constructor(private readonly options: { apiKey?: string; model?: string } = {}) {
    super('FakeLlmServer');
  }

  /** LLM_BASE_URL for the API under test. */
  get baseUrl(): string {
    return `${this.lifecycle.origin()}/v1`;
  }

  protected override createServer(): Server {
    return createServer((req, res) => {
      void this.handle(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    let body: FakeLlmRequest['body'];
    try {
      body = JSON.parse(rawBody) as FakeLlmRequest['body'];
    } catch {
      body = null;
    }
    const request: FakeLlmRequest = { path: req.url ?? '', rawBody, body, authorization: req.headers.authorization };
    this.requests.push(request);

    const json = (status: number, value: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      json(404, { error: { message: `no route ${req.method ?? ''} ${req.url ?? ''}`, type: 'invalid_request_error' } });
      return;
    }
    if (this.options.apiKey !== undefined && req.headers.authorization !== `Bearer ${this.options.apiKey}`) {
      json(401, { error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } });
      return;
    }
    if (body === null || typeof body.model !== 'string' || !Array.isArray(body.messages)) {
      json(400, { error: { message: 'model and messages are required', type: 'invalid_request_error' } });
      return;
    }
    switch (this.mode) {
      case 'hang':
        return; // the socket stays open until the client gives up or stop() closes it
      case 'error':
        json(500, { error: { message: 'The server had an error while processing your request.', type: 'server_error' } });
        return;
      case 'unauthorized':
        json(401, { error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } });
        return;
      case 'malformed':
        json(200, { id: 'chatcmpl-fake', object: 'chat.completion', choices: [] });
        return;
      case 'ok':
        break;
    }
    const content =
      this.reply?.(request) ??
      `Fake summary (${body.messages.find((m) => m.role === 'system')?.content.includes('Turkish') === true ? 'tr' : 'en'}).`;
    json(200, {
      id: `chatcmpl-fake-${String(this.requests.length)}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: this.options.model ?? body.model,
      choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 100, completion_tokens: 50, total_tokens: 150 },
    });
  }
}
