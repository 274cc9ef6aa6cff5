import type * as ElevenLabsSdkModule from '@elevenlabs/elevenlabs-js';

/** The official SDK's module (`@elevenlabs/elevenlabs-js`). */
export type ElevenLabsSdk = typeof ElevenLabsSdkModule;

let loaded: ElevenLabsSdk | undefined;
let loading: Promise<ElevenLabsSdk> | undefined;

/**
 * Loads the SDK on first use. It is the largest dependency of the API (~30 MB of heap, ~75 MB of RSS
 * once required, every API resource it knows): an install that never calls ElevenLabs never pays for it
 * (docs/benchmarks.md, "Memory").
 */
export function loadElevenLabsSdk(): Promise<ElevenLabsSdk> {
  loading ??= import('@elevenlabs/elevenlabs-js').then((sdk) => (loaded = sdk));
  return loading;
}

/** The SDK if something loaded it already (an SDK error can only come from a loaded SDK). */
export function loadedElevenLabsSdk(): ElevenLabsSdk | undefined {
  return loaded;
}
