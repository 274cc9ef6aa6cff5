import type { BrowserContext, Response } from 'playwright-core';

/** At most this much of each response body is searched (synthesized audio can be large). */
const MAX_BODY_BYTES = 1 << 20;

export interface NamedSecret {
  /** Shown in failures instead of the value. */
  readonly name: string;
  readonly value: string;
}

/**
 * Every response the browser receives in any context made by `newContext` (pages, XHR, assets), kept as text
 * so that the stack can search the whole browser run for secrets when it stops.
 */
const seen: Array<Promise<{ what: string; text: string }>> = [];

async function read(response: Response): Promise<{ what: string; text: string }> {
  const what = `${response.request().method()} ${new URL(response.url()).pathname} (${response.status()})`;
  const headers = await response.allHeaders().catch(() => ({}));
  // bodies of redirects and aborted requests cannot be read; their headers still are
  const body = await response.body().then(
    (buffer) => buffer.subarray(0, MAX_BODY_BYTES).toString('utf8'),
    () => '',
  );
  return { what, text: `${JSON.stringify(headers)}\n${body}` };
}

export function recordResponses(context: BrowserContext): void {
  context.on('response', (response) => {
    seen.push(read(response));
  });
}

/** Where a secret appears: in a browser response or in the API's output (logs), named without the value. */
export async function findLeaks(secrets: readonly NamedSecret[], apiOutput: string): Promise<{ leaks: string[]; responses: number }> {
  const responses = await Promise.all(seen);
  const leaks: string[] = [];
  for (const secret of secrets) {
    const forms = [...new Set([secret.value, JSON.stringify(secret.value).slice(1, -1), encodeURIComponent(secret.value)])];
    for (const { what, text } of responses) {
      if (forms.some((form) => text.includes(form))) leaks.push(`${secret.name} in the response to ${what}`);
    }
    if (forms.some((form) => apiOutput.includes(form))) leaks.push(`${secret.name} in the API's log output`);
  }
  for (const { what, text } of responses) {
    if (/\$argon2id?\$/.test(text)) leaks.push(`a password hash in the response to ${what}`);
  }
  if (/\$argon2id?\$/.test(apiOutput)) leaks.push("a password hash in the API's log output");
  return { leaks, responses: responses.length };
}
