import { InjectionToken } from '@angular/core';
import { readRuntimeConfig } from './runtime-config';

/**
 * Auto-refresh cadence of the live CDR view and the health cards (default 30 000 ms).
 * Override at runtime with `window.__VELORA_CONFIG__.cdrRefreshIntervalMs`.
 */
export const CDR_REFRESH_INTERVAL_MS = new InjectionToken<number>('CDR_REFRESH_INTERVAL_MS', {
  providedIn: 'root',
  factory: () => readRuntimeConfig().cdrRefreshIntervalMs,
});
