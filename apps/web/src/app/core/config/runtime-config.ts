/**
 * Runtime configuration of the web app.
 *
 * The built app reads `window.__VELORA_CONFIG__`, which `config.js` (served next to `index.html`,
 * see `apps/web/public/config.js`) may set before the bundle runs. Operators can edit that file in
 * `dist/apps/web/browser/config.js` without rebuilding. Unknown keys and invalid values are ignored
 * (with a console warning) so a typo never breaks the page; the defaults then apply.
 */
export interface VeloraRuntimeConfig {
  /** Origin (and optional path prefix) of the API, without the trailing `/api`. '' = same origin. */
  readonly apiBaseUrl?: string;
  /** Auto-refresh cadence of the live views in milliseconds (minimum 1000). */
  readonly cdrRefreshIntervalMs?: number;
}

export const DEFAULT_API_BASE_URL = '';
export const DEFAULT_CDR_REFRESH_INTERVAL_MS = 30_000;
export const MIN_REFRESH_INTERVAL_MS = 1_000;

declare global {
  interface Window {
    __VELORA_CONFIG__?: unknown;
  }
}

export interface ResolvedRuntimeConfig {
  readonly apiBaseUrl: string;
  readonly cdrRefreshIntervalMs: number;
  /** Human-readable reasons why a supplied value was ignored. */
  readonly warnings: readonly string[];
}

/** Validates an untrusted config object (pure; unit-tested). */
export function resolveRuntimeConfig(raw: unknown): ResolvedRuntimeConfig {
  const warnings: string[] = [];
  let apiBaseUrl = DEFAULT_API_BASE_URL;
  let cdrRefreshIntervalMs = DEFAULT_CDR_REFRESH_INTERVAL_MS;
  if (raw === undefined || raw === null) {
    return { apiBaseUrl, cdrRefreshIntervalMs, warnings };
  }
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    return { apiBaseUrl, cdrRefreshIntervalMs, warnings: ['__VELORA_CONFIG__ must be an object'] };
  }
  const record = raw as Record<string, unknown>;
  const base = record['apiBaseUrl'];
  if (base !== undefined) {
    if (typeof base === 'string' && (base === '' || isHttpUrlOrPath(base))) {
      apiBaseUrl = base.replace(/\/+$/, '').replace(/\/api$/, '');
    } else {
      warnings.push('apiBaseUrl must be an http(s) URL, an absolute path or an empty string');
    }
  }
  const interval = record['cdrRefreshIntervalMs'];
  if (interval !== undefined) {
    if (typeof interval === 'number' && Number.isFinite(interval) && interval >= MIN_REFRESH_INTERVAL_MS) {
      cdrRefreshIntervalMs = Math.round(interval);
    } else {
      warnings.push(`cdrRefreshIntervalMs must be a number >= ${MIN_REFRESH_INTERVAL_MS}`);
    }
  }
  for (const key of Object.keys(record)) {
    if (key !== 'apiBaseUrl' && key !== 'cdrRefreshIntervalMs') {
      warnings.push(`unknown key ${key}`);
    }
  }
  return { apiBaseUrl, cdrRefreshIntervalMs, warnings };
}

function isHttpUrlOrPath(value: string): boolean {
  if (value.startsWith('/') && !value.startsWith('//')) {
    return true;
  }
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

let cached: ResolvedRuntimeConfig | undefined;

/** Reads and validates `window.__VELORA_CONFIG__` once. */
export function readRuntimeConfig(): ResolvedRuntimeConfig {
  if (!cached) {
    const raw = typeof window === 'undefined' ? undefined : window.__VELORA_CONFIG__;
    cached = resolveRuntimeConfig(raw);
    for (const warning of cached.warnings) {
      console.warn(`[velora] ignoring runtime config: ${warning}`);
    }
  }
  return cached;
}
