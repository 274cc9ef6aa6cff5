import type { SecretFieldView, SettingFieldView, SettingSource } from '@velora/contracts';

/** Secrets shorter than this show no characters at all (two of six would give too much away). */
const MIN_LENGTH_FOR_HINT = 8;

/** "Set" / "not set" and the last 2 characters: all the web app ever learns about a secret. */
export function secretView(value: string | null | undefined, source: SettingSource, locked: boolean, env: string): SecretFieldView {
  const set = typeof value === 'string' && value.length > 0;
  return {
    set,
    last2: set && value.length >= MIN_LENGTH_FOR_HINT ? value.slice(-2) : null,
    source,
    locked,
    env,
  };
}

export function fieldView<T>(value: T, source: SettingSource, locked: boolean, env: string): SettingFieldView<T> {
  return { value, source, locked, env };
}
