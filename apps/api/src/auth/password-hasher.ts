import { type Algorithm, hash, verify } from '@node-rs/argon2';
import { randomBytes } from 'node:crypto';

/**
 * The password hash of users created by SSO: not a PHC string, so no password ever verifies against it
 * (verifyPassword returns false). An admin can set a password later (PATCH /api/users/{id}).
 */
export const SSO_ONLY_PASSWORD_HASH = '!sso-only';

/**
 * argon2id (RFC 9106) through @node-rs/argon2 (prebuilt napi binaries, no install script). Parameters follow
 * OWASP's second recommendation (19 MiB, t=2, p=1); they are stored in each hash, so raising them later keeps
 * old hashes verifiable (and needsRehash() tells when to re-hash at login).
 */
// Algorithm is an ambient const enum (not importable under isolatedModules): 2 = Argon2id.
// eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment -- the enum has no runtime value to take it from
const ARGON2ID = 2 as Algorithm.Argon2id;
export const ARGON2_OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

/** False for a wrong password or a malformed hash; never throws. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A hash of a random password: verified against when the email is unknown, so timing does not reveal accounts. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(24).toString('base64url'));
  return dummyHash;
}
