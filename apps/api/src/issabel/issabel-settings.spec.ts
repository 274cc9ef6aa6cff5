import { AppConfig } from '../config/app-config';
import { parseIssabelSaved, resolveIssabelSettings, type IssabelSavedSettings } from './issabel-settings';

const saved: IssabelSavedSettings = {
  host: 'pbx.example.net',
  port: 5039,
  username: 'velora',
  secret: 'ami-Secret-42',
  tls: true,
  tls_verify: false,
};

describe('Issabel settings precedence (env > saved > default)', () => {
  it('environment: ISSABEL_AMI_HOST takes the whole AMI connection', () => {
    const config = AppConfig.fromEnv({ ISSABEL_AMI_HOST: '10.0.0.5', ISSABEL_AMI_USER: 'env', ISSABEL_AMI_SECRET: 'env-Secret-1' });
    expect(resolveIssabelSettings(config, saved)).toMatchObject({
      source: 'env',
      mode: 'live',
      host: '10.0.0.5',
      port: 5038,
      username: 'env',
      secret: 'env-Secret-1',
      tls: false,
    });
  });

  it('saved, then the fake server outside production, then not configured', () => {
    expect(resolveIssabelSettings(AppConfig.fromEnv({ ISSABEL_SIMULATOR: 'off' }), saved)).toMatchObject({
      source: 'saved',
      mode: 'live',
      host: 'pbx.example.net',
      port: 5039,
      tls: true,
      tlsVerify: false,
    });
    expect(resolveIssabelSettings(AppConfig.fromEnv({ NODE_ENV: 'development' }), null)).toMatchObject({
      source: 'default',
      mode: 'simulator',
    });
    expect(resolveIssabelSettings(AppConfig.fromEnv({ ISSABEL_SIMULATOR: 'off' }), null)).toMatchObject({
      source: 'default',
      mode: 'unconfigured',
      host: null,
    });
  });

  it('a new secret rebuilds the client (the fingerprint changes) without showing it', () => {
    const config = AppConfig.fromEnv({ ISSABEL_SIMULATOR: 'off' });
    const a = resolveIssabelSettings(config, saved).fingerprint;
    expect(resolveIssabelSettings(config, { ...saved, secret: 'new-Secret-43' }).fingerprint).not.toBe(a);
    expect(a).not.toContain('ami-Secret-42');
  });

  it('reads back only well-formed saved values', () => {
    expect(parseIssabelSaved({ ...saved })).toEqual(saved);
    expect(parseIssabelSaved({ ...saved, port: 70_000 })).toBeNull();
    expect(parseIssabelSaved({ ...saved, secret: 42 })).toBeNull();
  });
});
