import type { ApiToken, Session, User } from '../app/core/auth/auth.models';

let sequence = 0;

export function makeUser(overrides: Partial<User> = {}): User {
  sequence += 1;
  return {
    id: `00000000-0000-4000-8000-${String(sequence).padStart(12, '0')}`,
    email: `user${sequence}@example.com`,
    role: 'agent',
    display_name: null,
    disabled: false,
    must_change_password: false,
    created_at: '2026-11-20T08:00:00.000Z',
    updated_at: '2026-11-20T08:00:00.000Z',
    last_login_at: null,
    sso: null,
    password_login: true,
    ...overrides,
  };
}

export function makeSession(user: User, csrf = 'csrf-from-login'): Session {
  return { user, csrf_token: csrf, expires_at: '2026-11-26T08:00:00.000Z' };
}

export function makeToken(overrides: Partial<ApiToken> = {}): ApiToken {
  sequence += 1;
  return {
    id: `10000000-0000-4000-8000-${String(sequence).padStart(12, '0')}`,
    user_id: '00000000-0000-4000-8000-000000000001',
    name: `token-${sequence}`,
    prefix: 'vlr_AbC12x',
    created_at: '2026-11-20T08:00:00.000Z',
    last_used_at: null,
    expires_at: null,
    revoked_at: null,
    ...overrides,
  };
}
