import { SippySimulator } from '@velora/sippy/simulator';
import { AppConfig } from '../config/app-config';
import { caCertificateView, parseSippySaved, resolveSippySettings, sippySourceKey, type SippySavedSettings } from './sippy-settings';

const saved: SippySavedSettings = {
  url: 'https://saved.example.net/xmlapi/xmlapi',
  username: 'saved-user',
  password: 'saved-Passw0rd',
  tls_verify: false,
  ca_pem: null,
  cdr_type: 'complete',
};
const envSwitch = { SIPPY_RPC_URL: 'https://env.example.net/xmlapi/xmlapi', SIPPY_RPC_USER: 'env-user', SIPPY_RPC_PASS: 'env-Passw0rd' };

describe('SippySoft settings precedence (env > saved > default)', () => {
  it('environment: the whole connection comes from it and saved values are ignored', () => {
    const r = resolveSippySettings(AppConfig.fromEnv(envSwitch), saved);
    expect(r).toMatchObject({
      source: 'env',
      mode: 'live',
      url: envSwitch.SIPPY_RPC_URL,
      username: 'env-user',
      password: 'env-Passw0rd',
      tlsVerify: true,
    });
    // the saved CDR type is not mixed into an environment connection either
    expect(r).toMatchObject({ cdrType: 'all', cdrTypeSource: 'default' });
  });

  it('saved: used when SIPPY_RPC_URL is unset; SIPPY_CDR_TYPE alone still wins', () => {
    expect(resolveSippySettings(AppConfig.fromEnv({ SIPPY_SIMULATOR: 'off' }), saved)).toMatchObject({
      source: 'saved',
      mode: 'live',
      url: saved.url,
      username: 'saved-user',
      password: 'saved-Passw0rd',
      tlsVerify: false,
      cdrType: 'complete',
      cdrTypeSource: 'saved',
    });
    expect(resolveSippySettings(AppConfig.fromEnv({ SIPPY_CDR_TYPE: 'errors' }), saved)).toMatchObject({
      source: 'saved',
      cdrType: 'errors',
      cdrTypeSource: 'env',
    });
  });

  it('default: the simulator outside production, else not configured', () => {
    expect(resolveSippySettings(AppConfig.fromEnv({ NODE_ENV: 'development' }), null)).toMatchObject({
      source: 'default',
      mode: 'simulator',
      url: null,
    });
    expect(resolveSippySettings(AppConfig.fromEnv({ NODE_ENV: 'production', AUTH_JWT_SECRET: 'x'.repeat(32) }), null)).toMatchObject({
      source: 'default',
      mode: 'unconfigured',
    });
  });

  it('a new password or CDR type rebuilds the client; the simulator keeps one fingerprint', () => {
    const config = AppConfig.fromEnv({ SIPPY_SIMULATOR: 'off' });
    const base = resolveSippySettings(config, saved).fingerprint;
    expect(resolveSippySettings(config, { ...saved, password: 'other-Passw0rd' }).fingerprint).not.toBe(base);
    expect(resolveSippySettings(config, { ...saved, cdr_type: 'all' }).fingerprint).not.toBe(base);
    expect(resolveSippySettings(config, { ...saved }).fingerprint).toBe(base);
    expect(base).not.toContain('saved-Passw0rd');
    const dev = AppConfig.fromEnv({ NODE_ENV: 'development' });
    expect(resolveSippySettings(dev, null).fingerprint).toBe(resolveSippySettings(dev, null).fingerprint);
  });

  it('the sync source key follows the switch and the user, not the password', () => {
    const config = AppConfig.fromEnv({ SIPPY_SIMULATOR: 'off' });
    const key = sippySourceKey(resolveSippySettings(config, saved), config);
    expect(key).toMatch(/^[0-9a-f]{16}$/);
    expect(sippySourceKey(resolveSippySettings(config, { ...saved, password: 'rotated-Passw0rd' }), config)).toBe(key);
    expect(sippySourceKey(resolveSippySettings(config, { ...saved, url: 'https://other.example.net/xmlapi/xmlapi' }), config)).not.toBe(
      key,
    );
    expect(sippySourceKey(resolveSippySettings(config, { ...saved, username: 'someone-else' }), config)).not.toBe(key);
    expect(sippySourceKey(resolveSippySettings(AppConfig.fromEnv({ NODE_ENV: 'development' }), null), config)).toBe('simulator');
  });

  it('reads back only well-formed saved values', () => {
    expect(parseSippySaved({ ...saved })).toEqual(saved);
    expect(parseSippySaved({ ...saved, ca_pem: undefined })).toEqual({ ...saved, ca_pem: null });
    expect(parseSippySaved({ ...saved, cdr_type: 'constructor' })).toBeNull();
    expect(parseSippySaved({ ...saved, tls_verify: 'yes' })).toBeNull();
    expect(parseSippySaved({ url: saved.url })).toBeNull();
  });

  it('describes the trusted CA (subject, expiry, fingerprint) from the saved PEM', async () => {
    const sim = new SippySimulator({ tls: true });
    await sim.start();
    try {
      const pem = sim.certificatePem ?? '';
      const config = AppConfig.fromEnv({ SIPPY_SIMULATOR: 'off' });
      const view = caCertificateView(resolveSippySettings(config, { ...saved, ca_pem: pem }), false);
      expect(view).toMatchObject({ source: 'saved', pem, file: null, locked: false });
      expect(view.subject).toMatch(/CN=/);
      expect(view.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
      expect(Date.parse(view.valid_to ?? '')).toBeGreaterThan(Date.now());
      expect(caCertificateView(resolveSippySettings(config, saved), false)).toMatchObject({ source: 'default', pem: null, subject: null });
    } finally {
      await sim.stop();
    }
  });
});
