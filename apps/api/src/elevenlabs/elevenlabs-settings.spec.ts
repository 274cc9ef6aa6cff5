import { AppConfig } from '../config/app-config';
import { parseElevenLabsSaved, resolveElevenLabsSettings } from './elevenlabs-settings';

describe('ElevenLabs settings precedence (env > saved > default)', () => {
  it('ELEVENLABS_API_KEY wins; the saved key applies without it; the base URL is always the environment one', () => {
    const saved = { api_key: 'sk_saved_0123456789' };
    expect(resolveElevenLabsSettings(AppConfig.fromEnv({ ELEVENLABS_API_KEY: 'sk_env_0123456789' }), saved)).toMatchObject({
      source: 'env',
      apiKey: 'sk_env_0123456789',
    });
    expect(resolveElevenLabsSettings(AppConfig.fromEnv({ ELEVENLABS_BASE_URL: 'http://127.0.0.1:9/' }), saved)).toMatchObject({
      source: 'saved',
      mode: 'live',
      apiKey: 'sk_saved_0123456789',
      baseUrl: 'http://127.0.0.1:9/',
    });
    expect(resolveElevenLabsSettings(AppConfig.fromEnv({ NODE_ENV: 'development' }), null)).toMatchObject({
      source: 'default',
      mode: 'simulator',
      apiKey: null,
    });
    expect(resolveElevenLabsSettings(AppConfig.fromEnv({ ELEVENLABS_SIMULATOR: 'off' }), null)).toMatchObject({
      source: 'default',
      mode: 'unconfigured',
    });
  });

  it('reads back only a non-empty key', () => {
    expect(parseElevenLabsSaved({ api_key: 'sk_1' })).toEqual({ api_key: 'sk_1' });
    expect(parseElevenLabsSaved({ api_key: '' })).toBeNull();
    expect(parseElevenLabsSaved({})).toBeNull();
  });
});
