import { DEFAULT_CDR_REFRESH_INTERVAL_MS, resolveRuntimeConfig } from './runtime-config';

describe('resolveRuntimeConfig', () => {
  it('defaults to same origin and 30 s', () => {
    expect(resolveRuntimeConfig(undefined)).toEqual({
      apiBaseUrl: '',
      cdrRefreshIntervalMs: 30_000,
      warnings: [],
    });
    expect(DEFAULT_CDR_REFRESH_INTERVAL_MS).toBe(30_000);
  });

  it('accepts an http(s) origin or a path prefix and strips a trailing slash or /api', () => {
    expect(resolveRuntimeConfig({ apiBaseUrl: 'https://api.example.com/' }).apiBaseUrl).toBe(
      'https://api.example.com',
    );
    expect(resolveRuntimeConfig({ apiBaseUrl: 'http://10.0.0.5:3000/api' }).apiBaseUrl).toBe('http://10.0.0.5:3000');
    expect(resolveRuntimeConfig({ apiBaseUrl: '/velora' }).apiBaseUrl).toBe('/velora');
  });

  it('accepts an interval of at least one second', () => {
    expect(resolveRuntimeConfig({ cdrRefreshIntervalMs: 5000 }).cdrRefreshIntervalMs).toBe(5000);
  });

  it('ignores invalid values with a warning and keeps the defaults', () => {
    const resolved = resolveRuntimeConfig({
      apiBaseUrl: 'javascript:alert(1)',
      cdrRefreshIntervalMs: 10,
      typo: true,
    });
    expect(resolved.apiBaseUrl).toBe('');
    expect(resolved.cdrRefreshIntervalMs).toBe(30_000);
    expect(resolved.warnings).toEqual([
      expect.stringContaining('apiBaseUrl'),
      expect.stringContaining('cdrRefreshIntervalMs'),
      'unknown key typo',
    ]);
    expect(resolveRuntimeConfig({ apiBaseUrl: '//evil.example' }).apiBaseUrl).toBe('');
    expect(resolveRuntimeConfig('nope').warnings).toEqual(['__VELORA_CONFIG__ must be an object']);
  });
});
