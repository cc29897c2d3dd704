import { CanActivate, ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { requestContext } from '../context/request-context.js';
import { ACCESS_KEY, PUBLIC_KEY } from './access.decorator.js';
import { isAllowed, type Permission } from './access.policy.js';
import { AuthErrorCode, AuthException } from './auth.exception.js';
import { AuthService, type AuthenticatedUser } from './auth.service.js';
import { ACCESS_COOKIE, CSRF_COOKIE, CSRF_HEADER } from './cookies.js';

export interface AuthedRequest extends Request {
  user?: AuthenticatedUser;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The global guard. Fails closed: a route that declares neither @Public() nor @Access() is refused.
 * Bearer tokens serve API clients; the web UI's httpOnly cookie needs the CSRF double-submit header
 * on every state-changing request.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger(AuthGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets) === true;
    const permission = this.reflector.getAllAndOverride<Permission | undefined>(ACCESS_KEY, targets);
    const req = context.switchToHttp().getRequest<AuthedRequest>();

    if (!isPublic && !permission) {
      this.logger.error(`Route ${req.method} ${req.route?.path ?? req.path} declares no access rule; refused`);
      throw new AuthException(AuthErrorCode.Forbidden, 'Akses ditolak (access denied)');
    }

    const { token, viaCookie } = extractToken(req);
    const user = token ? await this.auth.authenticate(token) : null;
    if (user) {
      req.user = user;
      requestContext.setUser(user);
    }
    if (isPublic) return true;
    if (!user) throw new AuthException(AuthErrorCode.Unauthenticated, 'Silakan masuk terlebih dahulu (authentication required)');

    if (viaCookie && !SAFE_METHODS.has(req.method)) {
      const header = req.header(CSRF_HEADER);
      const cookie = (req.cookies as Record<string, string> | undefined)?.[CSRF_COOKIE];
      if (!header || !cookie || header !== cookie) {
        throw new AuthException(AuthErrorCode.CsrfMismatch, 'Token CSRF tidak cocok; muat ulang halaman (CSRF token mismatch)');
      }
    }
    if (!isAllowed(permission!, user.roles)) {
      throw new AuthException(AuthErrorCode.Forbidden, 'Peran Anda tidak berhak atas tindakan ini (your roles do not allow this)');
    }
    if (user.mustChangePassword && permission !== 'self') {
      throw new AuthException(
        AuthErrorCode.PasswordChangeRequired,
        'Ganti kata sandi sementara Anda terlebih dahulu (change your temporary password first)',
      );
    }
    return true;
  }
}

export function extractToken(req: Request): { token?: string; viaCookie: boolean } {
  const header = req.header('authorization');
  if (header) {
    const m = /^Bearer\s+([A-Za-z0-9._~+/-]+=*)$/i.exec(header.trim());
    return { token: m?.[1], viaCookie: false };
  }
  const cookie = (req.cookies as Record<string, string> | undefined)?.[ACCESS_COOKIE];
  return { token: cookie, viaCookie: Boolean(cookie) };
}
