import type { LlmConfig } from '../../config/app-config';

export interface ChatMessage {
  role: 'system' | 'user';
  content: string;
}

export interface ChatCompletion {
  text: string;
  /** The model that answered (the response's `model`, else the configured one). */
  model: string;
}

export type LlmErrorKind = 'timeout' | 'unreachable' | 'auth' | 'rate_limited' | 'http' | 'malformed';

/** A failure of the language model API; the message names its host, never the key. */
export class LlmError extends Error {
  constructor(
    readonly kind: LlmErrorKind,
    /** Host (and port) of LLM_BASE_URL. */
    readonly upstream: string,
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'LlmError';
  }
}

/**
 * The port to a chat-completions language model (an abstract class is its own DI token). Production uses
 * `OpenAiCompatibleLlmClient`; the API e2e tests point it at a local fake server.
 */
export abstract class LlmClient {
  /** Whether a model is configured (LLM_BASE_URL + LLM_MODEL). */
  abstract readonly configured: boolean;
  /** The configured model and host, for notes and errors; null when not configured. */
  abstract readonly target: { model: string; upstream: string } | null;
  /** @throws LlmError */
  abstract complete(messages: readonly ChatMessage[]): Promise<ChatCompletion>;
}

/** Answers bigger than this are refused (a summary is a few hundred bytes). */
const MAX_RESPONSE_BYTES = 1024 * 1024;

/**
 * `POST <LLM_BASE_URL>/chat/completions` (the OpenAI API shape, also spoken by Azure OpenAI-compatible gateways,
 * Ollama, vLLM, LM Studio, llama.cpp server…) with `Authorization: Bearer <LLM_API_KEY>` when a key is set. One
 * attempt per call, bounded by LLM_TIMEOUT_MS (connect, model time and body); no retries (the caller falls back to
 * the built-in summary).
 */
export class OpenAiCompatibleLlmClient extends LlmClient {
  readonly configured: boolean;
  readonly target: { model: string; upstream: string } | null;

  constructor(
    private readonly config: LlmConfig | undefined,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {
    super();
    this.configured = config !== undefined;
    this.target = config === undefined ? null : { model: config.model, upstream: new URL(config.baseUrl).host };
  }

  async complete(messages: readonly ChatMessage[]): Promise<ChatCompletion> {
    const config = this.config;
    if (config === undefined || this.target === null) {
      throw new LlmError('unreachable', 'llm', 'no language model is configured (LLM_BASE_URL)');
    }
    const upstream = this.target.upstream;
    const url = `${config.baseUrl.replace(/\/+$/, '')}/chat/completions`;
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (config.apiKey !== undefined) headers['authorization'] = `Bearer ${config.apiKey}`;
    const body = JSON.stringify({ model: config.model, messages, temperature: 0.2, max_tokens: config.maxTokens, stream: false });
    const signal = AbortSignal.timeout(config.timeoutMs);
    let text: string;
    let status: number;
    try {
      const response = await this.fetchImpl(url, { method: 'POST', headers, body, signal, redirect: 'error' });
      status = response.status;
      text = await readLimited(response, MAX_RESPONSE_BYTES, upstream);
    } catch (error) {
      throw this.#transportError(error, upstream, config.timeoutMs);
    }
    if (status < 200 || status > 299) {
      throw httpError(status, text, upstream, config.apiKey);
    }
    return parseCompletion(text, upstream, config.model);
  }

  #transportError(error: unknown, upstream: string, timeoutMs: number): LlmError {
    if (error instanceof LlmError) return error;
    // duck-typed: fetch's DOMException may come from another realm (not `instanceof Error` there)
    const name = errorField(error, 'name');
    if (name === 'TimeoutError' || name === 'AbortError') {
      return new LlmError(
        'timeout',
        upstream,
        `the language model at ${upstream} did not answer within ${String(timeoutMs)} ms`,
        undefined,
        {
          cause: error,
        },
      );
    }
    const code = causeCode(error);
    return new LlmError('unreachable', upstream, `the language model at ${upstream} is unreachable${code ? ` (${code})` : ''}`, undefined, {
      cause: error,
    });
  }
}

function errorField(error: unknown, field: 'name' | 'code'): string {
  if (typeof error !== 'object' || error === null) return '';
  const value = (error as Record<string, unknown>)[field];
  return typeof value === 'string' ? value : '';
}

function causeCode(error: unknown): string | undefined {
  const cause = typeof error === 'object' && error !== null ? (error as { cause?: unknown }).cause : undefined;
  return errorField(cause, 'code') || undefined;
}

async function readLimited(response: Response, max: number, upstream: string): Promise<string> {
  if (response.body === null) return '';
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      throw new LlmError('malformed', upstream, `the language model's answer is larger than ${String(max)} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function httpError(status: number, body: string, upstream: string, apiKey: string | undefined): LlmError {
  let detail = '';
  try {
    const parsed = JSON.parse(body) as { error?: { message?: unknown } | string };
    const message = typeof parsed.error === 'string' ? parsed.error : parsed.error?.message;
    if (typeof message === 'string') detail = message;
  } catch {
    detail = '';
  }
  // providers sometimes quote (part of) the key they refused: never pass it on
  if (apiKey !== undefined && apiKey.length > 0) detail = detail.split(apiKey).join('[REDACTED]');
  detail = detail.replace(/\b(sk|key|token)[-_][A-Za-z0-9*_-]{6,}/gi, '[REDACTED]').slice(0, 200);
  const suffix = detail ? `: ${detail}` : '';
  if (status === 401 || status === 403) {
    return new LlmError(
      'auth',
      upstream,
      `the language model at ${upstream} refused the credentials (HTTP ${String(status)}; check LLM_API_KEY)`,
      status,
    );
  }
  if (status === 429) {
    return new LlmError(
      'rate_limited',
      upstream,
      `the language model at ${upstream} is rate limiting or out of quota (HTTP 429)${suffix}`,
      status,
    );
  }
  return new LlmError('http', upstream, `the language model at ${upstream} answered HTTP ${String(status)}${suffix}`, status);
}

function parseCompletion(body: string, upstream: string, configuredModel: string): ChatCompletion {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    throw new LlmError('malformed', upstream, `the language model at ${upstream} did not answer JSON`, undefined, { cause: error });
  }
  const answer = parsed as { model?: unknown; choices?: Array<{ message?: { content?: unknown } }> };
  const content = Array.isArray(answer.choices) ? answer.choices[0]?.message?.content : undefined;
  if (typeof content !== 'string' || content.trim() === '') {
    throw new LlmError('malformed', upstream, `the language model at ${upstream} answered without choices[0].message.content`);
  }
  return {
    text: content.trim(),
    model: typeof answer.model === 'string' && answer.model !== '' ? answer.model.slice(0, 128) : configuredModel,
  };
}
