import type {
  ElevenLabsSettingsView,
  IssabelSettingsView,
  SecretFieldView,
  SettingFieldView,
  SettingSource,
  SippySettingsView,
} from '@velora/contracts';

function field<T>(value: T, source: SettingSource, env: string, locked = source === 'env'): SettingFieldView<T> {
  return { value, source, locked, env };
}

function secret(set: boolean, last2: string | null, source: SettingSource, env: string, locked = source === 'env'): SecretFieldView {
  return { set, last2, source, locked, env };
}

/** Nothing saved, no environment: the API's default answer. */
export function defaultSippyView(overrides: Partial<SippySettingsView> = {}): SippySettingsView {
  return {
    integration: 'sippy',
    mode: 'unconfigured',
    read_only: false,
    saved: null,
    saved_error: null,
    url: field(null, 'default', 'SIPPY_RPC_URL'),
    username: field(null, 'default', 'SIPPY_RPC_USER'),
    password: secret(false, null, 'default', 'SIPPY_RPC_PASS'),
    tls_verify: field(true, 'default', 'SIPPY_DISABLE_TLS_VERIFY'),
    ca_certificate: {
      source: 'default',
      locked: false,
      env: 'SIPPY_CA_FILE',
      pem: null,
      file: null,
      subject: null,
      valid_to: null,
      fingerprint256: null,
    },
    cdr_type: field('all', 'default', 'SIPPY_CDR_TYPE'),
    ...overrides,
  };
}

/** Saved from the web app. */
export function savedSippyView(url = 'https://sw.example.net/xmlapi/xmlapi', username = 'ops'): SippySettingsView {
  return defaultSippyView({
    mode: 'live',
    saved: { version: 2, updated_at: '2026-12-01T09:30:00.000Z', updated_by: 'admin@example.com' },
    url: field(url, 'saved', 'SIPPY_RPC_URL'),
    username: field(username, 'saved', 'SIPPY_RPC_USER'),
    password: secret(true, 'x9', 'saved', 'SIPPY_RPC_PASS'),
    tls_verify: field(true, 'saved', 'SIPPY_DISABLE_TLS_VERIFY'),
    cdr_type: field('complete', 'saved', 'SIPPY_CDR_TYPE'),
  });
}

/** Set by environment variables: read-only here. */
export function envSippyView(): SippySettingsView {
  return defaultSippyView({
    mode: 'live',
    read_only: true,
    url: field('https://env.example.net/xmlapi/xmlapi', 'env', 'SIPPY_RPC_URL'),
    username: field('env-user', 'env', 'SIPPY_RPC_USER'),
    password: secret(true, 'z7', 'env', 'SIPPY_RPC_PASS'),
    tls_verify: field(true, 'default', 'SIPPY_DISABLE_TLS_VERIFY', true),
    cdr_type: field('all', 'default', 'SIPPY_CDR_TYPE', true),
  });
}

export function defaultIssabelView(overrides: Partial<IssabelSettingsView> = {}): IssabelSettingsView {
  return {
    integration: 'issabel',
    mode: 'unconfigured',
    read_only: false,
    saved: null,
    saved_error: null,
    host: field(null, 'default', 'ISSABEL_AMI_HOST'),
    port: field(5038, 'default', 'ISSABEL_AMI_PORT'),
    username: field(null, 'default', 'ISSABEL_AMI_USER'),
    secret: secret(false, null, 'default', 'ISSABEL_AMI_SECRET'),
    tls: field(false, 'default', 'ISSABEL_AMI_TLS'),
    tls_verify: field(true, 'default', 'ISSABEL_AMI_DISABLE_TLS_VERIFY'),
    ...overrides,
  };
}

export function defaultElevenLabsView(overrides: Partial<ElevenLabsSettingsView> = {}): ElevenLabsSettingsView {
  return {
    integration: 'elevenlabs',
    mode: 'unconfigured',
    read_only: false,
    saved: null,
    saved_error: null,
    api_key: secret(false, null, 'default', 'ELEVENLABS_API_KEY'),
    base_url: field('https://api.elevenlabs.io', 'default', 'ELEVENLABS_BASE_URL', true),
    ...overrides,
  };
}
