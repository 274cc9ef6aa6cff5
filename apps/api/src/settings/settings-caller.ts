import type { AuthContext } from '../auth/auth.types';

/** Who saves or tests settings: the audit log names them. */
export interface SettingsCaller {
  actor: AuthContext | null;
  ip: string | null;
}
