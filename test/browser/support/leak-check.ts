import type { BrowserContext, Response } from 'playwright-core';
import { scanForLeaks, type Secret } from '../../support/leak-recorder';

/** At most this much of each response body is searched (synthesized audio can be large). */
const MAX_BODY_BYTES = 1 << 20;

/** A secret the check looks for: `name` is shown in failures instead of the value. */
export type NamedSecret = Secret;

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
  const leaks = scanForLeaks(secrets, [
    ...responses.map(({ what, text }) => ({ where: `the response to ${what}`, text })),
    { where: "the API's log output", text: apiOutput },
  ]);
  return { leaks, responses: responses.length };
}
