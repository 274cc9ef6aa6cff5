import type { AmiTlsOptions } from './ami.connection';

/** Everything the Issabel (Asterisk AMI) client needs. The library never reads process.env. */
export interface IssabelClientOptions {
  host: string;
  /** Default 5038 (5039 is the usual AMI-over-TLS port). */
  port?: number;
  /** manager.conf user; needs read/write `system,call,reporting` for everything (Ping alone needs nothing). */
  username: string;
  secret: string;
  /** Hard budget for one whole check (connect, Login, actions, Logoff), ms. Default 5000. */
  timeoutMs?: number;
  /** AMI over TLS; absent or `enabled: false` = plain TCP. */
  tls?: AmiTlsOptions & { enabled?: boolean };
  /** Most channels/peers returned by status() (counts stay exact). Default 500. */
  maxListItems?: number;
}
