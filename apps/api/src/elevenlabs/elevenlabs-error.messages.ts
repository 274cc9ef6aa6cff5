import type { ElevenLabsApiError } from '@velora/integrations';

/** A sentence an operator can act on. Includes the provider's reason; never the API key. */
export function explainElevenLabsError(error: ElevenLabsApiError): string {
  const reason = error.providerMessage ?? error.providerStatus;
  const why = reason ? `: ${reason}` : '';
  switch (error.kind) {
    case 'auth':
      return `ElevenLabs rejected the API key (${error.providerStatus ?? `HTTP ${error.httpStatus ?? '?'}`})${why ? why : ''}. Check the API key (Integrations page or ELEVENLABS_API_KEY) and its permissions`;
    case 'quota':
      return `ElevenLabs character quota is used up${why}`;
    case 'rate_limited':
      return `ElevenLabs is busy or the plan's concurrency limit is reached${why}. Try again shortly`;
    case 'validation':
      return `ElevenLabs refused the request${why}`;
    case 'not_found':
      return `ElevenLabs does not know this voice or model${why}`;
    case 'timeout':
      return 'ElevenLabs did not answer in time';
    case 'unreachable':
      return `Cannot reach ElevenLabs (${error.message})`;
    case 'http':
      return `ElevenLabs answered HTTP ${error.httpStatus ?? '?'}${why}`;
    case 'protocol':
      return `ElevenLabs answered with an unexpected shape (${error.message})`;
    case 'config':
      return error.message;
  }
}
