import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { SIPPY_CDR_TYPE_NAMES, type CaCertificateView, type SettingSource, type SippyCdrTypeName } from '@velora/contracts';
import type { SippyCdrType } from '@velora/sippy';
import type { AppConfig } from '../config/app-config';
import type { ResolvedSettings } from '../settings/integration-settings.service';

/** One list of CDR types: the contract the web app reads must be the client library's. */
const _CDR_TYPES_MATCH: [Exclude<SippyCdrType, SippyCdrTypeName>, Exclude<SippyCdrTypeName, SippyCdrType>] extends [never, never]
  ? true
  : never = true;

/** What is stored for SippySoft (the password encrypted). A type, not an interface: it is a Record. */
export type SippySavedSettings = {
  url: string;
  username: string;
  password: string;
  tls_verify: boolean;
  /** PEM of the CA or self-signed switch certificate to trust. */
  ca_pem: string | null;
  cdr_type: SippyCdrType;
};

export const SIPPY_SECRET_FIELDS = ['password'] as const;

/** The SippySoft connection in force. */
export interface SippyResolvedSettings extends ResolvedSettings {
  url: string | null;
  username: string | null;
  password: string | null;
  tlsVerify: boolean;
  caPem: string | null;
  /** SIPPY_CA_FILE (environment only). */
  caFile: string | null;
  cdrType: SippyCdrType;
  cdrTypeSource: SettingSource;
}

/**
 * env > saved > default. The connection (URL, user, password, TLS, CA) is one unit: when SIPPY_RPC_URL is set it all
 * comes from the environment and saved values are ignored — a saved URL never receives the environment's password.
 * SIPPY_CDR_TYPE, when set, wins over the saved CDR type on its own.
 */
export function resolveSippySettings(config: AppConfig, saved: SippySavedSettings | null): SippyResolvedSettings {
  const env = config.sippy.connection;
  const cdrTypeFromEnv = config.isSetInEnv('SIPPY_CDR_TYPE');
  if (env.url !== undefined) {
    const resolved = {
      source: 'env' as const,
      mode: 'live' as const,
      url: env.url,
      username: env.username ?? null,
      password: env.password ?? null,
      tlsVerify: env.tlsVerify,
      caPem: null,
      caFile: env.caFile ?? null,
      cdrType: config.sippy.cdrType,
      cdrTypeSource: cdrTypeFromEnv ? ('env' as const) : ('default' as const),
    };
    return { ...resolved, fingerprint: fingerprint(resolved) };
  }
  if (saved !== null) {
    const resolved = {
      source: 'saved' as const,
      mode: 'live' as const,
      url: saved.url,
      username: saved.username,
      password: saved.password,
      tlsVerify: saved.tls_verify,
      caPem: saved.ca_pem,
      caFile: null,
      cdrType: cdrTypeFromEnv ? config.sippy.cdrType : saved.cdr_type,
      cdrTypeSource: cdrTypeFromEnv ? ('env' as const) : ('saved' as const),
    };
    return { ...resolved, fingerprint: fingerprint(resolved) };
  }
  const resolved = {
    source: 'default' as const,
    mode: config.sippy.mode,
    url: null,
    username: null,
    password: null,
    tlsVerify: true,
    caPem: null,
    caFile: null,
    cdrType: config.sippy.cdrType,
    cdrTypeSource: cdrTypeFromEnv ? ('env' as const) : ('default' as const),
  };
  return { ...resolved, fingerprint: fingerprint(resolved) };
}

/** Saved values as read back from the database, or null when they are not in this shape. */
export function parseSippySaved(values: Record<string, unknown>): SippySavedSettings | null {
  const { url, username, password, tls_verify: tlsVerify, ca_pem: caPem, cdr_type: cdrType } = values;
  if (typeof url !== 'string' || typeof username !== 'string' || typeof password !== 'string' || typeof tlsVerify !== 'boolean')
    return null;
  if (caPem !== null && caPem !== undefined && typeof caPem !== 'string') return null;
  if (typeof cdrType !== 'string' || !(SIPPY_CDR_TYPE_NAMES as readonly string[]).includes(cdrType)) return null;
  return { url, username, password, tls_verify: tlsVerify, ca_pem: caPem ?? null, cdr_type: cdrType as SippyCdrType };
}

/**
 * Identity of the CDR source (switch, user, scope; no secret): the sync starts a fresh cursor when it changes, so a
 * new switch is read from SIPPY_SYNC_INITIAL_LOOKBACK_HOURS back instead of from where the old one stopped.
 */
export function sippySourceKey(resolved: SippyResolvedSettings, config: AppConfig): string {
  if (resolved.mode !== 'live') return resolved.mode;
  const s = config.sippy;
  const identity = [
    resolved.url,
    resolved.username ?? '',
    s.cdrSource,
    s.iAccount ?? '',
    s.iCustomer ?? '',
    s.trustedCustomerId ?? '',
  ].join('\n');
  return createHash('sha256').update(identity).digest('hex').slice(0, 16);
}

/** Subject, expiry and fingerprint of the trusted CA, for the settings view (a certificate is public). */
export function caCertificateView(resolved: SippyResolvedSettings, locked: boolean): CaCertificateView {
  let pem = resolved.caPem;
  if (pem === null && resolved.caFile !== null) {
    try {
      pem = readFileSync(resolved.caFile, 'utf8');
    } catch {
      pem = null;
    }
  }
  const certificate = pem === null ? null : parseCertificate(pem);
  return {
    source: resolved.caFile !== null ? 'env' : resolved.caPem !== null ? 'saved' : 'default',
    locked,
    env: 'SIPPY_CA_FILE',
    pem: resolved.caPem,
    file: resolved.caFile,
    subject: certificate?.subject.replaceAll('\n', ', ') ?? null,
    valid_to: certificate ? new Date(certificate.validTo).toISOString() : null,
    fingerprint256: certificate?.fingerprint256 ?? null,
  };
}

/** The first certificate of a PEM bundle, or null when there is none that parses. */
export function parseCertificate(pem: string): X509Certificate | null {
  const first = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem);
  if (first === null) return null;
  try {
    return new X509Certificate(first[0]);
  } catch {
    return null;
  }
}

/** Everything that makes the client different (secrets included), hashed: compared in memory, never shown. */
function fingerprint(resolved: Omit<SippyResolvedSettings, 'fingerprint'>): string {
  if (resolved.mode === 'simulator') return `simulator:${resolved.cdrType}`;
  return createHash('sha256').update(JSON.stringify(resolved)).digest('hex');
}
