import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { ConfigService } from '../config/config.service.js';
import { requestContext, type ContextUser } from '../context/request-context.js';
import { NotifyService } from '../notify/notify.service.js';
import { AuthErrorCode, AuthException } from './auth.exception.js';
import { dummyHash, hashPassword, needsRehash, verifyPassword } from './password.hasher.js';
import { checkPassword } from './password.policy.js';
import type { Role } from './role.js';
import { SessionEntity } from './session.entity.js';
import { hashToken, TokenService } from './token.service.js';
import { UserEntity } from './user.entity.js';

export interface SessionTokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  refreshExpiresIn: number;
  sessionId: string;
}

export interface AuthenticatedUser extends ContextUser {
  mustChangePassword: boolean;
  roles: Role[];
}

export interface ClientMeta {
  client: 'web' | 'api';
  ip?: string;
  userAgent?: string;
}

const INVALID = () =>
  new AuthException(AuthErrorCode.InvalidCredentials, 'Nama pengguna atau kata sandi salah (wrong username or password)');

@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly tokens: TokenService,
    private readonly config: ConfigService,
    private readonly audit: AuditService,
    private readonly notify: NotifyService,
  ) {}

  async login(username: string, password: string, meta: ClientMeta): Promise<{ user: UserEntity; tokens: SessionTokens }> {
    const user = await this.dataSource
      .getRepository(UserEntity)
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('lower(u.username) = lower(:username)', { username })
      .getOne();
    const now = new Date();

    if (!user || !user.active) {
      await verifyPassword(await dummyHash(), password);
      await this.dataSource.transaction((em) =>
        this.audit.record(em, {
          action: 'auth.login_failed',
          entityType: 'user',
          entityId: user?.id ?? null,
          detail: { attempted: maskAttempt(username), reason: user ? 'inactive' : 'unknown_user' },
        }),
      );
      throw INVALID();
    }
    if (user.lockedUntil && user.lockedUntil > now) {
      await this.dataSource.transaction((em) =>
        this.audit.record(em, { action: 'auth.login_refused_locked', entityType: 'user', entityId: user.id }),
      );
      throw lockedError(user.lockedUntil);
    }

    if (!(await verifyPassword(user.passwordHash, password))) {
      const lockedUntil = await this.recordFailure(user);
      if (lockedUntil) throw lockedError(lockedUntil);
      throw INVALID();
    }

    const rehash = needsRehash(user.passwordHash) ? await hashPassword(password) : undefined;
    // From here on the person signing in is the actor of what is recorded.
    requestContext.setUser({ id: user.id, username: user.username, fullName: user.fullName, roles: user.roles });
    const tokens = await this.dataSource.transaction(async (em) => {
      await em.update(UserEntity, user.id, {
        failedLogins: 0,
        lockedUntil: null,
        lastLoginAt: now,
        ...(rehash ? { passwordHash: rehash } : {}),
      });
      const t = await this.openSession(em, user, randomUUID(), meta);
      await this.audit.record(em, {
        action: 'auth.login',
        entityType: 'user',
        entityId: user.id,
        detail: { client: meta.client, sessionId: t.sessionId },
      });
      return t;
    });
    return { user, tokens };
  }

  /** Counts a failed attempt; locks the account at the limit and tells its owner. */
  private async recordFailure(user: UserEntity, action = 'auth.login_failed'): Promise<Date | null> {
    const max = this.config.get('AUTH_MAX_FAILED_LOGINS');
    return this.dataSource.transaction(async (em) => {
      const result: unknown[] = await em.query(
        `UPDATE users SET failed_logins = failed_logins + 1, updated_at = now() WHERE id = $1 RETURNING failed_logins`,
        [user.id],
      );
      // node-postgres answers UPDATE ... RETURNING with [rows, rowCount] through TypeORM.
      const rows = (Array.isArray(result[0]) ? result[0] : result) as { failed_logins: number }[];
      const failed = Number(rows[0]?.failed_logins ?? 0);
      await this.audit.record(em, {
        action,
        entityType: 'user',
        entityId: user.id,
        detail: { reason: 'wrong_password', failedLogins: failed },
      });
      if (failed < max) return null;
      const until = new Date(Date.now() + this.config.get('AUTH_LOCKOUT_SECONDS') * 1000);
      await em.update(UserEntity, user.id, { lockedUntil: until, failedLogins: 0 });
      await this.audit.record(em, {
        action: 'auth.account_locked',
        entityType: 'user',
        entityId: user.id,
        after: { lockedUntil: until.toISOString() },
      });
      await this.notify.enqueue(em, {
        to: user.email,
        template: 'auth.account_locked',
        locale: user.locale,
        vars: { name: user.fullName, until: until.toISOString() },
      });
      this.logger.warn(`Account ${user.username} locked after ${failed} failed logins`);
      return until;
    });
  }

  private async openSession(em: EntityManager, user: UserEntity, familyId: string, meta: ClientMeta): Promise<SessionTokens> {
    const refresh = this.tokens.newRefreshToken();
    const session = await em.save(
      em.create(SessionEntity, {
        userId: user.id,
        familyId,
        refreshHash: refresh.hash,
        client: meta.client,
        ip: meta.ip?.slice(0, 64) ?? null,
        userAgent: meta.userAgent?.slice(0, 300) ?? null,
        expiresAt: new Date(Date.now() + this.tokens.refreshTtl * 1000),
        revokedAt: null,
        revokedReason: null,
      }),
    );
    return {
      accessToken: await this.tokens.signAccess({ sub: user.id, sid: session.id }),
      refreshToken: refresh.token,
      expiresIn: this.tokens.accessTtl,
      refreshExpiresIn: this.tokens.refreshTtl,
      sessionId: session.id,
    };
  }

  /**
   * Rotates a refresh token. A token that was already rotated or revoked means it was copied: the
   * whole session family is revoked and the holder must sign in again.
   */
  async refresh(refreshToken: string, meta: ClientMeta): Promise<{ user: UserEntity; tokens: SessionTokens }> {
    if (!refreshToken || refreshToken.length > 200) throw unauthenticated();
    const hash = hashToken(refreshToken);
    return this.dataSource
      .transaction(async (em) => {
        const session = await em
          .getRepository(SessionEntity)
          .createQueryBuilder('s')
          .setLock('pessimistic_write')
          .where('s.refreshHash = :hash', { hash })
          .getOne();
        if (!session) throw unauthenticated();
        if (session.revokedAt) {
          if (session.revokedReason === 'rotated') {
            await this.revokeFamily(em, session.familyId, 'reuse');
            await this.audit.record(em, {
              action: 'auth.refresh_reuse_detected',
              entityType: 'session',
              entityId: session.familyId,
              detail: { userId: session.userId },
            });
            // The revocation must persist even though the caller gets an error: commit first.
            return null;
          }
          throw unauthenticated();
        }
        if (session.expiresAt <= new Date())
          throw new AuthException(AuthErrorCode.SessionExpired, 'Sesi berakhir, silakan masuk lagi (session expired)');
        const user = await em.findOne(UserEntity, { where: { id: session.userId } });
        if (!user || !user.active) throw unauthenticated();
        await em.update(SessionEntity, session.id, { revokedAt: new Date(), revokedReason: 'rotated' });
        const tokens = await this.openSession(em, user, session.familyId, { ...meta, client: session.client });
        await this.audit.record(em, {
          action: 'auth.refresh',
          entityType: 'session',
          entityId: session.familyId,
          detail: { from: session.id, to: tokens.sessionId },
        });
        return { user, tokens };
      })
      .then((r) => {
        if (!r)
          throw new AuthException(
            AuthErrorCode.RefreshReuse,
            'Token penyegaran sudah dipakai; semua sesi terkait dicabut (refresh token reuse: sessions revoked)',
          );
        return r;
      });
  }

  async logout(sessionId: string): Promise<void> {
    await this.dataSource.transaction(async (em) => {
      const session = await em.findOne(SessionEntity, { where: { id: sessionId } });
      if (!session) return;
      await this.revokeFamily(em, session.familyId, 'logout');
      await this.audit.record(em, { action: 'auth.logout', entityType: 'session', entityId: session.familyId });
    });
  }

  private async revokeFamily(em: EntityManager, familyId: string, reason: string): Promise<void> {
    await em.query(`UPDATE auth_sessions SET revoked_at = now(), revoked_reason = $2 WHERE family_id = $1 AND revoked_at IS NULL`, [
      familyId,
      reason,
    ]);
  }

  /** Resolves an access token to its user, or null if the token, session or account is not valid now. */
  async authenticate(accessToken: string): Promise<AuthenticatedUser | null> {
    const claims = await this.tokens.verifyAccess(accessToken);
    if (!claims) return null;
    const rows: Array<{ id: string; username: string; full_name: string; roles: Role[]; must_change_password: boolean }> =
      await this.dataSource.query(
        `SELECT u.id, u.username, u.full_name, u.roles, u.must_change_password
           FROM auth_sessions s JOIN users u ON u.id = s.user_id
          WHERE s.id = $1 AND s.user_id = $2 AND s.revoked_at IS NULL AND s.expires_at > now() AND u.active`,
        [claims.sid, claims.sub],
      );
    const u = rows[0];
    if (!u) return null;
    return {
      id: u.id,
      username: u.username,
      fullName: u.full_name,
      roles: u.roles,
      mustChangePassword: u.must_change_password,
      sessionId: claims.sid,
    };
  }

  async changePassword(userId: string, currentPassword: string, newPassword: string, currentSessionId?: string): Promise<void> {
    const user = await this.dataSource
      .getRepository(UserEntity)
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.id = :id', { id: userId })
      .getOne();
    if (!user) throw unauthenticated();
    if (!(await verifyPassword(user.passwordHash, currentPassword))) {
      // A wrong current password counts like a failed login: a stolen session cannot guess forever.
      const lockedUntil = await this.recordFailure(user, 'auth.password_change_failed');
      if (lockedUntil) {
        await this.dataSource.query(
          `UPDATE auth_sessions SET revoked_at = now(), revoked_reason = 'locked' WHERE user_id = $1 AND revoked_at IS NULL`,
          [user.id],
        );
        throw lockedError(lockedUntil);
      }
      throw new AuthException(AuthErrorCode.WrongCurrentPassword, 'Kata sandi saat ini salah (current password is wrong)', {
        errors: [{ field: 'currentPassword', message: 'Kata sandi saat ini salah (current password is wrong)' }],
      });
    }
    assertPasswordPolicy(newPassword, user.username, 'newPassword');
    if (currentPassword === newPassword) {
      throw new AuthException(AuthErrorCode.PasswordPolicy, 'Kata sandi baru harus berbeda (new password must differ)', {
        errors: [{ field: 'newPassword', message: 'Kata sandi baru harus berbeda (must differ from the current one)' }],
      });
    }
    const hash = await hashPassword(newPassword);
    await this.dataSource.transaction(async (em) => {
      await em.update(UserEntity, user.id, { passwordHash: hash, mustChangePassword: false, passwordChangedAt: new Date() });
      // Every other session ends: a changed password must lock out whoever else held it.
      const current = currentSessionId ? await em.findOne(SessionEntity, { where: { id: currentSessionId } }) : null;
      await em.query(
        `UPDATE auth_sessions SET revoked_at = now(), revoked_reason = 'password_changed'
          WHERE user_id = $1 AND revoked_at IS NULL AND ($2::uuid IS NULL OR family_id <> $2::uuid)`,
        [user.id, current?.familyId ?? null],
      );
      await this.audit.record(em, { action: 'auth.password_changed', entityType: 'user', entityId: user.id });
    });
  }
}

export function assertPasswordPolicy(password: string, username: string, field = 'password'): void {
  const violations = checkPassword(password, username);
  if (violations.length) {
    throw new AuthException(AuthErrorCode.PasswordPolicy, 'Kata sandi tidak memenuhi kebijakan (password policy not met)', {
      errors: violations.map((v) => ({ field, message: v.message })),
    });
  }
}

/**
 * What the audit keeps of a username that matched no account: enough to see a guessing pattern, not
 * enough to leak a password someone typed into the username field.
 */
function maskAttempt(typed: string): string {
  const t = typed.slice(0, 64);
  return t.length <= 2 ? '*'.repeat(t.length) : `${t.slice(0, 2)}${'*'.repeat(Math.min(t.length - 2, 20))} (${t.length})`;
}

function lockedError(until: Date) {
  return new AuthException(
    AuthErrorCode.AccountLocked,
    `Akun terkunci sampai ${until.toISOString()} karena terlalu banyak percobaan gagal (account locked until then)`,
    { lockedUntil: until.toISOString() },
  );
}

function unauthenticated() {
  return new AuthException(AuthErrorCode.Unauthenticated, 'Silakan masuk terlebih dahulu (authentication required)');
}
