import type { LlmConfig } from '../../config/app-config';
import { LlmError, OpenAiCompatibleLlmClient } from './llm.client';

const CONFIG: LlmConfig = {
  baseUrl: 'https://llm.example.com/v1/',
  apiKey: 'sk-live-0123456789abcdef',
  model: 'gpt-4o-mini',
  timeoutMs: 5000,
  maxTokens: 700,
};

interface Call {
  url: string;
  init: RequestInit;
}

function fakeFetch(respond: (call: Call) => Response | Promise<Response>): { fetch: typeof fetch; calls: Call[] } {
  const calls: Call[] = [];
  const fn: typeof fetch = async (input, init) => {
    const call = { url: input instanceof Request ? input.url : input.toString(), init: init ?? {} };
    calls.push(call);
    return respond(call);
  };
  return { fetch: fn, calls };
}

const completion = (content: unknown, model = 'gpt-4o-mini-2024'): Response =>
  new Response(JSON.stringify({ model, choices: [{ message: { role: 'assistant', content } }] }), { status: 200 });

async function failure(client: OpenAiCompatibleLlmClient): Promise<LlmError> {
  try {
    await client.complete([{ role: 'user', content: 'x' }]);
  } catch (error) {
    if (error instanceof LlmError) return error;
    throw error;
  }
  throw new Error('expected an LlmError');
}

describe('OpenAiCompatibleLlmClient', () => {
  it('posts the chat completion with the key as a Bearer token and returns the answer', async () => {
    const { fetch, calls } = fakeFetch(() => completion('  A summary.  '));
    const client = new OpenAiCompatibleLlmClient(CONFIG, fetch);
    expect(client.target).toEqual({ model: 'gpt-4o-mini', upstream: 'llm.example.com' });
    expect(await client.complete([{ role: 'system', content: 'be brief' }])).toEqual({ text: 'A summary.', model: 'gpt-4o-mini-2024' });
    expect(calls[0].url).toBe('https://llm.example.com/v1/chat/completions');
    expect(calls[0].init.method).toBe('POST');
    expect((calls[0].init.headers as Record<string, string>)['authorization']).toBe(`Bearer ${CONFIG.apiKey}`);
    expect(JSON.parse(calls[0].init.body as string)).toEqual({
      model: 'gpt-4o-mini',
      messages: [{ role: 'system', content: 'be brief' }],
      temperature: 0.2,
      max_tokens: 700,
      stream: false,
    });
  });

  it('sends no Authorization header without a key (a local model)', async () => {
    const { fetch, calls } = fakeFetch(() => completion('ok'));
    await new OpenAiCompatibleLlmClient({ ...CONFIG, apiKey: undefined, baseUrl: 'http://127.0.0.1:11434/v1' }, fetch).complete([]);
    expect(calls[0].url).toBe('http://127.0.0.1:11434/v1/chat/completions');
    expect(calls[0].init.headers).not.toHaveProperty('authorization');
  });

  it('maps HTTP failures to error kinds, naming the host and never the key', async () => {
    const status = (code: number, body: unknown): OpenAiCompatibleLlmClient =>
      new OpenAiCompatibleLlmClient(CONFIG, fakeFetch(() => new Response(JSON.stringify(body), { status: code })).fetch);
    const auth = await failure(status(401, { error: { message: `Incorrect API key provided: ${CONFIG.apiKey}` } }));
    expect(auth).toMatchObject({ kind: 'auth', upstream: 'llm.example.com', status: 401 });
    expect(auth.message).not.toContain(CONFIG.apiKey);
    const limited = await failure(status(429, { error: { message: `quota of key ${CONFIG.apiKey} exceeded` } }));
    expect(limited).toMatchObject({ kind: 'rate_limited', status: 429 });
    expect(limited.message).toContain('[REDACTED]');
    expect(limited.message).not.toContain(CONFIG.apiKey);
    expect(await failure(status(404, { error: { message: 'The model `gpt-5` does not exist' } }))).toMatchObject({
      kind: 'http',
      status: 404,
      message: 'the language model at llm.example.com answered HTTP 404: The model `gpt-5` does not exist',
    });
  });

  it('reports answers it cannot use as malformed', async () => {
    const answer = (response: () => Response): OpenAiCompatibleLlmClient =>
      new OpenAiCompatibleLlmClient(CONFIG, fakeFetch(response).fetch);
    expect(await failure(answer(() => new Response('<html>proxy</html>', { status: 200 })))).toMatchObject({ kind: 'malformed' });
    expect(await failure(answer(() => completion('')))).toMatchObject({ kind: 'malformed' });
    expect(await failure(answer(() => completion(42)))).toMatchObject({ kind: 'malformed' });
    expect(await failure(answer(() => new Response('x'.repeat(1024 * 1024 + 1), { status: 200 })))).toMatchObject({ kind: 'malformed' });
  });

  it('tells a timeout from an unreachable host', async () => {
    const timeout = new OpenAiCompatibleLlmClient(
      CONFIG,
      fakeFetch(() => Promise.reject(new DOMException('The operation was aborted due to timeout', 'TimeoutError'))).fetch,
    );
    expect(await failure(timeout)).toMatchObject({
      kind: 'timeout',
      message: 'the language model at llm.example.com did not answer within 5000 ms',
    });
    const refused = new OpenAiCompatibleLlmClient(
      CONFIG,
      fakeFetch(() =>
        Promise.reject(new TypeError('fetch failed', { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) })),
      ).fetch,
    );
    expect(await failure(refused)).toMatchObject({
      kind: 'unreachable',
      message: 'the language model at llm.example.com is unreachable (ECONNREFUSED)',
    });
  });

  it('is not configured without LLM_BASE_URL', async () => {
    const client = new OpenAiCompatibleLlmClient(undefined);
    expect(client.configured).toBe(false);
    expect(client.target).toBeNull();
    await expect(client.complete([])).rejects.toBeInstanceOf(LlmError);
  });
});
