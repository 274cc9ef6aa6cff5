import { createHash } from 'node:crypto';
import type { AppConfig } from '../config/app-config';
import type { ResolvedSettings } from '../settings/integration-settings.service';

/** What is stored for Issabel (the secret encrypted). A type, not an interface: it is a Record. */
export type IssabelSavedSettings = {
  host: string;
  port: number;
  username: string;
  secret: string;
  tls: boolean;
  tls_verify: boolean;
};

export const ISSABEL_SECRET_FIELDS = ['secret'] as const;

/** The Issabel AMI connection in force. */
export interface IssabelResolvedSettings extends ResolvedSettings {
  host: string | null;
  port: number;
  username: string | null;
  secret: string | null;
  tls: boolean;
  tlsVerify: boolean;
}

/**
 * env > saved > default. The AMI connection is one unit: when ISSABEL_AMI_HOST is set it all comes from the
 * environment (host, port, user, secret, TLS) and saved values are ignored.
 */
export function resolveIssabelSettings(config: AppConfig, saved: IssabelSavedSettings | null): IssabelResolvedSettings {
  const env = config.issabel;
  let resolved: Omit<IssabelResolvedSettings, 'fingerprint'>;
  if (env.host !== undefined) {
    resolved = {
      source: 'env',
      mode: 'live',
      host: env.host,
      port: env.port,
      username: env.username ?? null,
      secret: env.secret ?? null,
      tls: env.tls,
      tlsVerify: env.tlsVerify,
    };
  } else if (saved !== null) {
    resolved = {
      source: 'saved',
      mode: 'live',
      host: saved.host,
      port: saved.port,
      username: saved.username,
      secret: saved.secret,
      tls: saved.tls,
      tlsVerify: saved.tls_verify,
    };
  } else {
    resolved = {
      source: 'default',
      mode: env.mode,
      host: null,
      port: env.port,
      username: null,
      secret: null,
      tls: env.tls,
      tlsVerify: env.tlsVerify,
    };
  }
  const fingerprint = resolved.mode === 'simulator' ? 'simulator' : createHash('sha256').update(JSON.stringify(resolved)).digest('hex');
  return { ...resolved, fingerprint };
}

export function parseIssabelSaved(values: Record<string, unknown>): IssabelSavedSettings | null {
  const { host, port, username, secret, tls, tls_verify: tlsVerify } = values;
  if (typeof host !== 'string' || typeof username !== 'string' || typeof secret !== 'string') return null;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) return null;
  if (typeof tls !== 'boolean' || typeof tlsVerify !== 'boolean') return null;
  return { host, port, username, secret, tls, tls_verify: tlsVerify };
}
