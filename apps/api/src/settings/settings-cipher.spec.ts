import { SettingsCipher, SettingsDecryptionError, type EncryptedSecret } from './settings-cipher';

/** Why `run` failed to decrypt (the test fails when it did not). */
function decryptionFailure(run: () => unknown): SettingsDecryptionError['reason'] {
  try {
    run();
  } catch (error) {
    if (error instanceof SettingsDecryptionError) return error.reason;
    throw error;
  }
  throw new Error('decrypted although it should not have');
}

const KEY = 'a-settings-encryption-key-of-40-characters';

describe('SettingsCipher (AES-256-GCM)', () => {
  const cipher = new SettingsCipher(KEY);

  it('round-trips a secret and never stores it in the clear', () => {
    const sealed = cipher.encrypt('Sw1tch-Passw0rd', 'sippy.password');
    expect(sealed).toMatchObject({ v: 1, alg: 'A256GCM', kid: cipher.keyId });
    expect(JSON.stringify(sealed)).not.toContain('Sw1tch-Passw0rd');
    expect(Buffer.from(sealed.iv, 'base64')).toHaveLength(12);
    expect(Buffer.from(sealed.tag, 'base64')).toHaveLength(16);
    expect(cipher.decrypt(sealed, 'sippy.password')).toBe('Sw1tch-Passw0rd');
  });

  it('uses a fresh IV for every value (the same secret encrypts differently)', () => {
    const a = cipher.encrypt('same', 'sippy.password');
    const b = cipher.encrypt('same', 'sippy.password');
    expect(a.iv).not.toBe(b.iv);
    expect(a.data).not.toBe(b.data);
  });

  it('round-trips unicode and long values', () => {
    const value = `şifre-${'ğ'.repeat(2000)}-🔑`;
    expect(cipher.decrypt(cipher.encrypt(value, 'issabel.secret'), 'issabel.secret')).toBe(value);
  });

  it('binds a value to its place: copied to another field it does not decrypt', () => {
    const sealed = cipher.encrypt('secret', 'sippy.password');
    expect(decryptionFailure(() => cipher.decrypt(sealed, 'issabel.secret'))).toBe('tampered');
  });

  it('detects tampering with the data, the tag or the IV', () => {
    const sealed = cipher.encrypt('secret-value', 'sippy.password');
    const flip = (b64: string): string => {
      const bytes = Buffer.from(b64, 'base64');
      bytes[0] ^= 1;
      return bytes.toString('base64');
    };
    for (const field of ['data', 'tag', 'iv'] as const) {
      const altered: EncryptedSecret = { ...sealed, [field]: flip(sealed[field]) };
      expect(() => cipher.decrypt(altered, 'sippy.password')).toThrow(SettingsDecryptionError);
    }
  });

  it('tells a value encrypted with another key apart, without revealing either key', () => {
    const other = new SettingsCipher('another-key-of-at-least-thirty-two-chars');
    expect(other.keyId).not.toBe(cipher.keyId);
    expect(other.keyId).toMatch(/^[0-9a-f]{16}$/);
    const sealed = other.encrypt('secret', 'sippy.password');
    let error: unknown;
    try {
      cipher.decrypt(sealed, 'sippy.password');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SettingsDecryptionError);
    expect((error as SettingsDecryptionError).reason).toBe('other_key');
    expect((error as Error).message).toContain('SETTINGS_ENCRYPTION_KEY');
    expect((error as Error).message).not.toContain(KEY);
  });

  it('refuses values that are not envelopes', () => {
    for (const value of [null, 'plain-text', { v: 2 }, { v: 1, alg: 'A256GCM', kid: 'x', iv: 'AAAA', tag: 'AAAA', data: '' }]) {
      expect(decryptionFailure(() => cipher.decrypt(value, 'sippy.password'))).toBe('malformed');
    }
  });

  it('derives the same key from the same material (restarts and replicas agree)', () => {
    const again = new SettingsCipher(KEY);
    expect(again.keyId).toBe(cipher.keyId);
    expect(again.decrypt(cipher.encrypt('x-y-z', 'elevenlabs.api_key'), 'elevenlabs.api_key')).toBe('x-y-z');
  });

  it('refuses short key material', () => {
    expect(() => new SettingsCipher('too-short')).toThrow(/at least 32/);
  });
});
