import { randomBytes } from 'node:crypto';
import type { CookieOptions, Response } from 'express';
import type { SessionTokens } from './auth.service.js';

export const ACCESS_COOKIE = 'sandi_at';
export const REFRESH_COOKIE = 'sandi_rt';
export const CSRF_COOKIE = 'sandi_csrf';
export const CSRF_HEADER = 'x-csrf-token';
const REFRESH_PATH = '/api/v1/auth';

/** Sets the web session: httpOnly access + refresh cookies, and a readable CSRF double-submit cookie. */
export function setSessionCookies(res: Response, tokens: SessionTokens, secure: boolean): void {
  const base: CookieOptions = { httpOnly: true, sameSite: 'strict', secure };
  res.cookie(ACCESS_COOKIE, tokens.accessToken, { ...base, path: '/', maxAge: tokens.expiresIn * 1000 });
  res.cookie(REFRESH_COOKIE, tokens.refreshToken, { ...base, path: REFRESH_PATH, maxAge: tokens.refreshExpiresIn * 1000 });
  res.cookie(CSRF_COOKIE, randomBytes(24).toString('base64url'), {
    httpOnly: false,
    sameSite: 'strict',
    secure,
    path: '/',
    maxAge: tokens.refreshExpiresIn * 1000,
  });
}

export function clearSessionCookies(res: Response, secure: boolean): void {
  const base: CookieOptions = { httpOnly: true, sameSite: 'strict', secure };
  res.clearCookie(ACCESS_COOKIE, { ...base, path: '/' });
  res.clearCookie(REFRESH_COOKIE, { ...base, path: REFRESH_PATH });
  res.clearCookie(CSRF_COOKIE, { sameSite: 'strict', secure, path: '/' });
}
