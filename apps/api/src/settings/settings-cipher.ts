import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/** How one secret is stored: AES-256-GCM, a fresh 96-bit IV per value, the tag, and which key encrypted it. */
export interface EncryptedSecret {
  v: 1;
  alg: 'A256GCM';
  /** Key id: tells "encrypted with another key" apart from "tampered with". Reveals nothing about the key. */
  kid: string;
  iv: string;
  tag: string;
  data: string;
}

/** A saved secret cannot be decrypted (another key, or the row was altered). The message never holds the value. */
export class SettingsDecryptionError extends Error {
  constructor(
    message: string,
    readonly reason: 'other_key' | 'tampered' | 'malformed',
  ) {
    super(message);
    this.name = 'SettingsDecryptionError';
  }
}

const HKDF_SALT = 'velora-settings-v1';
const HKDF_INFO = 'aes-256-gcm integration secrets';

/**
 * Encrypts saved integration secrets at rest. The 256-bit key is derived (HKDF-SHA-256) from the key material:
 * SETTINGS_ENCRYPTION_KEY, or random bytes generated once and kept in app_settings. The additional authenticated
 * data binds each ciphertext to its place (`integration.field`), so a value copied to another field does not decrypt.
 */
export class SettingsCipher {
  private readonly key: Buffer;
  readonly keyId: string;

  constructor(material: string) {
    if (material.length < 32) throw new Error('settings encryption key material must be at least 32 characters');
    this.key = Buffer.from(hkdfSync('sha256', material, HKDF_SALT, HKDF_INFO, 32));
    this.keyId = createHmac('sha256', this.key).update('velora-settings-key-id').digest('hex').slice(0, 16);
  }

  encrypt(plaintext: string, place: string): EncryptedSecret {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(place, 'utf8'));
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return {
      v: 1,
      alg: 'A256GCM',
      kid: this.keyId,
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      data: data.toString('base64'),
    };
  }

  decrypt(value: unknown, place: string): string {
    if (!isEncryptedSecret(value)) {
      throw new SettingsDecryptionError(`saved secret ${place} is not an encrypted value`, 'malformed');
    }
    if (value.kid !== this.keyId) {
      throw new SettingsDecryptionError(
        `saved secret ${place} was encrypted with another key (SETTINGS_ENCRYPTION_KEY changed?): save the settings again or restore the key`,
        'other_key',
      );
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(value.iv, 'base64'));
      decipher.setAAD(Buffer.from(place, 'utf8'));
      decipher.setAuthTag(Buffer.from(value.tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(value.data, 'base64')), decipher.final()]).toString('utf8');
    } catch {
      throw new SettingsDecryptionError(`saved secret ${place} failed its integrity check: save the settings again`, 'tampered');
    }
  }
}

function isEncryptedSecret(value: unknown): value is EncryptedSecret {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    v['v'] === 1 &&
    v['alg'] === 'A256GCM' &&
    typeof v['kid'] === 'string' &&
    typeof v['iv'] === 'string' &&
    typeof v['tag'] === 'string' &&
    typeof v['data'] === 'string' &&
    Buffer.from(v['iv'], 'base64').length === 12 &&
    Buffer.from(v['tag'], 'base64').length === 16
  );
}
