// A contract shared by the API and the web app (@velora/contracts): plain TypeScript, no imports.
//
// Connection settings of the external systems, saved from the Integrations page (GET/PUT/DELETE
// /api/<integration>/settings, POST /api/<integration>/settings/test). Precedence per setting: environment variable >
// saved in the database > default. Secrets are never sent back: only whether one is set and its last 2 characters.

/** The integrations whose connection can be saved from the web app. */
export const CONFIGURABLE_INTEGRATIONS = ['sippy', 'issabel', 'elevenlabs'] as const;
export type ConfigurableIntegration = (typeof CONFIGURABLE_INTEGRATIONS)[number];

/** Where the value in force comes from. */
export const SETTING_SOURCES = ['env', 'saved', 'default'] as const;
export type SettingSource = (typeof SETTING_SOURCES)[number];

/** How the API reaches the system: configured, the built-in demo fake (never in production), or not at all. */
export type IntegrationConnectionMode = 'live' | 'simulator' | 'unconfigured';

/** Sippy's CDR `type` filter (the API checks this list against the client library's). */
export const SIPPY_CDR_TYPE_NAMES = ['all', 'non_zero_and_errors', 'non_zero', 'complete', 'incomplete', 'errors'] as const;
export type SippyCdrTypeName = (typeof SIPPY_CDR_TYPE_NAMES)[number];

/** One setting as it is in force. */
export interface SettingFieldView<T> {
  readonly value: T;
  readonly source: SettingSource;
  /** Set by the environment (or tied to settings that are): the web app shows it read-only, a save cannot change it. */
  readonly locked: boolean;
  /** The environment variable that sets it. */
  readonly env: string;
}

/** A secret as it is in force: never its value. */
export interface SecretFieldView {
  readonly set: boolean;
  /** The last 2 characters, to recognise which secret it is; null when unset or shorter than 8 characters. */
  readonly last2: string | null;
  readonly source: SettingSource;
  readonly locked: boolean;
  readonly env: string;
}

/** What every integration's settings view carries. */
export interface IntegrationSettingsMeta {
  readonly integration: ConfigurableIntegration;
  /** How the API reaches the system now. */
  readonly mode: IntegrationConnectionMode;
  /** The connection is set by environment variables: nothing of it can be saved from the web app. */
  readonly read_only: boolean;
  /** The last save (null: nothing saved, or the saved settings were cleared). */
  readonly saved: { readonly version: number; readonly updated_at: string; readonly updated_by: string | null } | null;
  /** Why saved settings are not in force although they exist (e.g. encrypted with another key); null when fine. */
  readonly saved_error: string | null;
}

/** The trusted CA of the Sippy client: a PEM saved from the web app or a file named by SIPPY_CA_FILE. */
export interface CaCertificateView {
  readonly source: SettingSource;
  readonly locked: boolean;
  readonly env: string;
  /** The saved PEM (a certificate is public; null when none is saved). */
  readonly pem: string | null;
  /** SIPPY_CA_FILE, when the environment names a file. */
  readonly file: string | null;
  readonly subject: string | null;
  readonly valid_to: string | null;
  readonly fingerprint256: string | null;
}

export interface SippySettingsView extends IntegrationSettingsMeta {
  readonly integration: 'sippy';
  readonly url: SettingFieldView<string | null>;
  readonly username: SettingFieldView<string | null>;
  readonly password: SecretFieldView;
  readonly tls_verify: SettingFieldView<boolean>;
  readonly ca_certificate: CaCertificateView;
  readonly cdr_type: SettingFieldView<SippyCdrTypeName>;
}

export interface IssabelSettingsView extends IntegrationSettingsMeta {
  readonly integration: 'issabel';
  readonly host: SettingFieldView<string | null>;
  readonly port: SettingFieldView<number>;
  readonly username: SettingFieldView<string | null>;
  readonly secret: SecretFieldView;
  readonly tls: SettingFieldView<boolean>;
  readonly tls_verify: SettingFieldView<boolean>;
}

export interface ElevenLabsSettingsView extends IntegrationSettingsMeta {
  readonly integration: 'elevenlabs';
  readonly api_key: SecretFieldView;
  /** Set by ELEVENLABS_BASE_URL only (never saved from the web app). */
  readonly base_url: SettingFieldView<string>;
}

export interface IntegrationSettingsViews {
  readonly sippy: SippySettingsView;
  readonly issabel: IssabelSettingsView;
  readonly elevenlabs: ElevenLabsSettingsView;
}

/**
 * PUT /api/sippy/settings and POST /api/sippy/settings/test. `password` omitted: keep the saved one (only while the
 * URL and the user stay the same: a saved password is never sent to another switch).
 */
export interface SippySettingsInput {
  readonly url: string;
  readonly username: string;
  readonly password?: string;
  readonly tls_verify: boolean;
  /** PEM of the CA (or self-signed switch certificate) to trust; null or omitted: none. */
  readonly ca_pem?: string | null;
  readonly cdr_type: SippyCdrTypeName;
}

/** PUT /api/issabel/settings and POST /api/issabel/settings/test. `secret` omitted: keep the saved one (same host and user only). */
export interface IssabelSettingsInput {
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly secret?: string;
  readonly tls: boolean;
  readonly tls_verify: boolean;
}

/** PUT /api/elevenlabs/settings and POST /api/elevenlabs/settings/test. */
export interface ElevenLabsSettingsInput {
  readonly api_key: string;
}

/** The outcome of a connection test (ok=false is an answer, not an error). */
export interface IntegrationTestResult {
  readonly ok: boolean;
  /** For the operator: what worked, or what to check. Never contains a secret. */
  readonly message: string;
  readonly details: {
    /** Where the test connected (no credentials). */
    readonly endpoint: string;
    readonly latency_ms: number | null;
    /** Why it failed: auth, tls, timeout, unreachable, refused, http, fault, protocol, quota… */
    readonly cause?: string;
    readonly tls_verify?: boolean;
    /** Sippy: system.listMethods, when the switch offers it. */
    readonly methods?: readonly string[] | null;
    /** Issabel: the Asterisk version. */
    readonly asterisk_version?: string | null;
    /** ElevenLabs: the subscription tier. */
    readonly tier?: string | null;
  };
}

/** 200 of PUT /api/<integration>/settings: tested, saved and in force. */
export interface IntegrationSettingsSaved<V> {
  readonly settings: V;
  readonly test: IntegrationTestResult;
}

/** 422 of PUT /api/<integration>/settings: the test failed, nothing was saved. */
export interface IntegrationSettingsRejected {
  readonly statusCode: 422;
  readonly message: string;
  readonly test: IntegrationTestResult;
}
