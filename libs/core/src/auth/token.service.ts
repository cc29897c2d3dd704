import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { SignJWT, jwtVerify } from 'jose';
import { ConfigService } from '../config/config.service.js';

export interface AccessClaims {
  sub: string;
  sid: string;
}

const ISSUER = 'sandi';
const AUDIENCE = 'sandi-api';

/** Short-lived signed access tokens bound to a session, and opaque refresh tokens stored hashed. */
@Injectable()
export class TokenService {
  private readonly key: Uint8Array;

  constructor(private readonly config: ConfigService) {
    this.key = new TextEncoder().encode(config.get('AUTH_JWT_SECRET'));
  }

  get accessTtl(): number {
    return this.config.get('AUTH_ACCESS_TTL');
  }

  get refreshTtl(): number {
    return this.config.get('AUTH_REFRESH_TTL');
  }

  async signAccess(claims: AccessClaims): Promise<string> {
    return new SignJWT({ sid: claims.sid })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(claims.sub)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${this.accessTtl}s`)
      .sign(this.key);
  }

  /** Returns the claims, or null for any malformed, forged or expired token. */
  async verifyAccess(token: string): Promise<AccessClaims | null> {
    if (token.length > 2048) return null;
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'] });
      if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string') return null;
      return { sub: payload.sub, sid: payload.sid };
    } catch {
      return null;
    }
  }

  newRefreshToken(): { token: string; hash: string } {
    const token = randomBytes(32).toString('base64url');
    return { token, hash: hashToken(token) };
  }
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
