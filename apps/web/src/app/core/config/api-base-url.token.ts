import { InjectionToken } from '@angular/core';
import { readRuntimeConfig } from './runtime-config';

/**
 * Origin of the Velora API without the `/api` suffix. The default '' means "same origin", which is
 * how the API serves the built app. Override at runtime with `window.__VELORA_CONFIG__.apiBaseUrl`
 * or in `app.config.ts` / tests with `{ provide: API_BASE_URL, useValue: '...' }`.
 */
export const API_BASE_URL = new InjectionToken<string>('API_BASE_URL', {
  providedIn: 'root',
  factory: () => readRuntimeConfig().apiBaseUrl,
});
