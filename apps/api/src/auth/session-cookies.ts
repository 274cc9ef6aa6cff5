import type { CookieOptions, Request, Response } from 'express';
import type { IssuedSession } from './auth.service';
import { CSRF_COOKIE, SESSION_COOKIE } from './auth.types';
import type { SessionDto } from './dto/auth.dto';

/** Options of the session and CSRF cookies (SameSite=strict; Secure when the request came over https). */
export function sessionCookieOptions(req: Request, maxAgeMs: number, httpOnly: boolean): CookieOptions {
  return { httpOnly, sameSite: 'strict', secure: req.secure, path: '/', maxAge: maxAgeMs };
}

/** Sets velora_session (httpOnly) and velora_csrf; used by password sign-in, password change and SSO. */
export function setSessionCookies(req: Request, res: Response, session: IssuedSession, lifetimeMs: number): SessionDto {
  res.cookie(SESSION_COOKIE, session.sessionToken, sessionCookieOptions(req, lifetimeMs, true));
  res.cookie(CSRF_COOKIE, session.csrfToken, sessionCookieOptions(req, lifetimeMs, false));
  return { user: session.user, csrf_token: session.csrfToken, expires_at: session.expiresAt.toISOString() };
}

export function clearSessionCookies(req: Request, res: Response): void {
  res.clearCookie(SESSION_COOKIE, { path: '/', sameSite: 'strict', secure: req.secure, httpOnly: true });
  res.clearCookie(CSRF_COOKIE, { path: '/', sameSite: 'strict', secure: req.secure });
}
