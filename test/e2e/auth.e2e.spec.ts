import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import type { Response } from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoreMaintenanceService, DEMO_PASSWORD, UsersService, type Role } from '@sandi/core';
import { createTestApp, type TestApp } from '../support/app.js';
import { usingPostgres } from '../support/database.js';

const API = '/api/v1';
/** A random password that always meets the policy: four character classes, never a character four times in a row. */
const strong = (label: string) => `${label}#7q-${randomBytes(5).toString('hex').match(/../g)!.join('-')}`;
const MAX_FAILED = 3;
const LOCKOUT_SECONDS = 600;

interface TokenBody {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  tokenType: string;
  user: { id: string; username: string; roles: string[]; mustChangePassword: boolean; email: string };
}

interface Cookie {
  value: string;
  attrs: string[];
}

/** Set-Cookie headers by cookie name, attributes lower-cased for matching. */
function cookiesOf(res: Response): Map<string, Cookie> {
  const raw = res.headers['set-cookie'] as unknown as string[] | undefined;
  const out = new Map<string, Cookie>();
  for (const line of raw ?? []) {
    const [pair, ...attrs] = line.split(';').map((s) => s.trim());
    const eq = pair!.indexOf('=');
    out.set(pair!.slice(0, eq), { value: decodeURIComponent(pair!.slice(eq + 1)), attrs: attrs.map((a) => a.toLowerCase()) });
  }
  return out;
}

function expectProblem(res: Response, status: number, code?: string): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  expect(res.body.status).toBe(status);
  if (code) expect(res.body.code).toBe(code);
}

describe(`auth over HTTP (${usingPostgres() ? 'PostgreSQL' : 'PGlite'})`, () => {
  let t: TestApp;
  let adminToken: string;
  let seq = 0;

  beforeAll(async () => {
    t = await createTestApp({ env: { AUTH_MAX_FAILED_LOGINS: String(MAX_FAILED), AUTH_LOCKOUT_SECONDS: String(LOCKOUT_SECONDS) } });
    adminToken = await t.tokenFor('admin');
  });
  afterAll(async () => t?.close());

  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const token = (username: string, password: string) => t.http().post(`${API}/auth/token`).send({ username, password });
  const me = (accessToken: string) => t.http().get(`${API}/auth/me`).set(bearer(accessToken));

  /** A fresh active user of its own, so no test depends on what another did to a shared account. */
  async function freshUser(roles: Role[] = ['helpdesk']) {
    seq += 1;
    const username = `auth.user${seq}.${randomBytes(3).toString('hex')}`;
    const password = strong(`Kunci${seq}`);
    const user = await t.app
      .get(UsersService)
      .create(
        { username, fullName: `Pengguna Uji ${seq}`, email: `${username}@uji.example.go.id`, roles, password },
        { mustChangePassword: false },
      );
    return { ...user, password };
  }

  async function signIn(username: string, password: string): Promise<TokenBody> {
    const res = await token(username, password);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as TokenBody;
  }

  async function auditActions(entityId: string): Promise<string[]> {
    const res = await t.http().get(`${API}/audit/events`).query({ entityId, pageSize: 200 }).set(bearer(adminToken));
    expect(res.status).toBe(200);
    return (res.body.items as { action: string }[]).map((e) => e.action);
  }

  async function outbox(to: string): Promise<{ template: string; subject: string; text_body: string }[]> {
    return t.db.dataSource.query(`SELECT template, subject, text_body FROM outbox_messages WHERE to_address = $1 ORDER BY created_at`, [
      to,
    ]);
  }

  describe('password login', () => {
    it('issues bearer + refresh tokens and the profile with roles for the right password', async () => {
      const u = await freshUser(['incident_analyst', 'auditor']);
      const res = await token(u.username.toUpperCase(), u.password);
      expect(res.status).toBe(200);
      const body = res.body as TokenBody;
      expect(body.tokenType).toBe('Bearer');
      expect(body.accessToken.split('.')).toHaveLength(3);
      expect(body.refreshToken.length).toBeGreaterThanOrEqual(32);
      expect(body.expiresIn).toBe(t.config.AUTH_ACCESS_TTL);
      expect(body.user).toMatchObject({ id: u.id, username: u.username, mustChangePassword: false });
      expect([...body.user.roles].sort()).toEqual(['auditor', 'incident_analyst']);
      expect(JSON.stringify(body)).not.toContain(u.password);
      expect(JSON.stringify(body)).not.toMatch(/argon2/);

      const profile = await me(body.accessToken);
      expect(profile.status).toBe(200);
      expect(profile.body).toMatchObject({ id: u.id, username: u.username });
      expect(await auditActions(u.id)).toContain('auth.login');
    });

    it('answers a wrong password and an unknown user with the same 401 problem', async () => {
      const u = await freshUser();
      const wrong = await token(u.username, `${u.password}-nope`);
      const unknown = await token(`nobody.${randomBytes(4).toString('hex')}`, u.password);
      expectProblem(wrong, 401, 'auth.invalid_credentials');
      expectProblem(unknown, 401, 'auth.invalid_credentials');
      // Nothing tells the two apart: same title, same detail, no extra fields.
      const strip = (b: Record<string, unknown>) => ({ ...b, requestId: undefined, instance: undefined });
      expect(strip(wrong.body)).toEqual(strip(unknown.body));
      expect(JSON.stringify(wrong.body)).not.toContain(u.password);
    });

    it('rejects empty and missing credentials with 400 field errors, not 500', async () => {
      const res = await t.http().post(`${API}/auth/token`).send({ username: '' });
      expectProblem(res, 400, 'common.validation');
      const fields = (res.body.errors as { field: string }[]).map((e) => e.field);
      expect(fields).toEqual(expect.arrayContaining(['username', 'password']));
    });
  });

  describe('lockout', () => {
    it(`locks after ${MAX_FAILED} failures (423 with lockedUntil), refuses even the right password, mails and audits it; admin unlock lets them in`, async () => {
      const u = await freshUser();
      for (let i = 1; i < MAX_FAILED; i++) expectProblem(await token(u.username, `Salah#${i}-password`), 401, 'auth.invalid_credentials');

      const before = Date.now();
      const locked = await token(u.username, 'Salah#last-password');
      expectProblem(locked, 423, 'auth.account_locked');
      const until = Date.parse(locked.body.lockedUntil as string);
      expect(until).toBeGreaterThan(before + (LOCKOUT_SECONDS - 30) * 1000);
      expect(until).toBeLessThan(Date.now() + (LOCKOUT_SECONDS + 30) * 1000);

      // While locked the right password does not help, and no session is opened.
      const right = await token(u.username, u.password);
      expectProblem(right, 423, 'auth.account_locked');
      expect(right.body.accessToken).toBeUndefined();
      const [{ n }] = await t.db.dataSource.query(`SELECT count(*)::int AS n FROM auth_sessions WHERE user_id = $1`, [u.id]);
      expect(n).toBe(0);

      const mails = await outbox(u.email);
      expect(mails.map((m) => m.template)).toEqual(['auth.account_locked']);
      const actions = await auditActions(u.id);
      expect(actions.filter((a) => a === 'auth.account_locked')).toHaveLength(1);
      expect(actions.filter((a) => a === 'auth.login_failed')).toHaveLength(MAX_FAILED);
      expect(actions).toContain('auth.login_refused_locked');

      const admin = await t.http().get(`${API}/users/${u.id}`).set(bearer(adminToken));
      expect(admin.body.lockedUntil).toBe(new Date(until).toISOString());

      const unlock = await t.http().post(`${API}/users/${u.id}/unlock`).set(bearer(adminToken));
      expect(unlock.status).toBe(200);
      expect(unlock.body.lockedUntil).toBeNull();
      const session = await signIn(u.username, u.password);
      expect((await me(session.accessToken)).status).toBe(200);
      expect(await auditActions(u.id)).toContain('user.unlocked');
    });

    it('does not lock or count against an account for unknown usernames', async () => {
      const u = await freshUser();
      for (let i = 0; i < MAX_FAILED + 1; i++) expectProblem(await token(`${u.username}.x`, u.password), 401, 'auth.invalid_credentials');
      await signIn(u.username, u.password);
    });
  });

  describe('refresh rotation', () => {
    it('rotates: new tokens, and the old access token dies with its session', async () => {
      const u = await freshUser();
      const first = await signIn(u.username, u.password);
      const res = await t.http().post(`${API}/auth/refresh`).send({ refreshToken: first.refreshToken });
      expect(res.status).toBe(200);
      const second = res.body as TokenBody;
      expect(second.accessToken).not.toBe(first.accessToken);
      expect(second.refreshToken).not.toBe(first.refreshToken);
      expect(second.user.id).toBe(u.id);
      expect((await me(second.accessToken)).status).toBe(200);
      expectProblem(await me(first.accessToken), 401, 'auth.unauthenticated');
    });

    it('treats a replayed rotated refresh token as theft: 401 auth.refresh_reuse and the whole family dies', async () => {
      const u = await freshUser();
      const other = await signIn(u.username, u.password); // another device: a separate family
      const first = await signIn(u.username, u.password);
      const second = (await t.http().post(`${API}/auth/refresh`).send({ refreshToken: first.refreshToken })).body as TokenBody;
      const third = (await t.http().post(`${API}/auth/refresh`).send({ refreshToken: second.refreshToken })).body as TokenBody;
      expect((await me(third.accessToken)).status).toBe(200);

      const replay = await t.http().post(`${API}/auth/refresh`).send({ refreshToken: first.refreshToken });
      expectProblem(replay, 401, 'auth.refresh_reuse');
      expect(replay.body.accessToken).toBeUndefined();

      // The newest pair of the family is dead too, both its access and its refresh token.
      expectProblem(await me(third.accessToken), 401);
      const newest = await t.http().post(`${API}/auth/refresh`).send({ refreshToken: third.refreshToken });
      expectProblem(newest, 401);
      expect(newest.body.accessToken).toBeUndefined();
      // Another family of the same user is not touched.
      expect((await me(other.accessToken)).status).toBe(200);

      const rows: { revoked_reason: string | null }[] = await t.db.dataSource.query(
        `SELECT revoked_reason FROM auth_sessions WHERE user_id = $1 AND id <> $2`,
        [u.id, JSON.parse(Buffer.from(other.accessToken.split('.')[1]!, 'base64url').toString()).sid],
      );
      expect(rows.map((r) => r.revoked_reason).sort()).toEqual(['reuse', 'rotated', 'rotated']);
      const events = await t.http().get(`${API}/audit/events`).query({ action: 'auth.refresh_reuse_detected' }).set(bearer(adminToken));
      expect((events.body.items as { summary: { detail: { userId: string } } }[]).some((e) => e.summary.detail.userId === u.id)).toBe(true);
    });

    it('answers unknown, oversize and missing refresh tokens with 4xx, never 500', async () => {
      expectProblem(
        await t
          .http()
          .post(`${API}/auth/refresh`)
          .send({ refreshToken: randomBytes(32).toString('base64url') }),
        401,
        'auth.unauthenticated',
      );
      expectProblem(await t.http().post(`${API}/auth/refresh`).send({}), 401, 'auth.unauthenticated');
      expectProblem(
        await t
          .http()
          .post(`${API}/auth/refresh`)
          .send({ refreshToken: 'x'.repeat(5000) }),
        400,
      );
      expectProblem(await t.http().post(`${API}/auth/refresh`).send({ refreshToken: 42 }), 400);
    });
  });

  describe('logout', () => {
    it('revokes the session: access and refresh token stop working', async () => {
      const u = await freshUser();
      const s = await signIn(u.username, u.password);
      const out = await t.http().post(`${API}/auth/logout`).set(bearer(s.accessToken));
      expect(out.status).toBe(204);
      expectProblem(await me(s.accessToken), 401, 'auth.unauthenticated');
      expectProblem(await t.http().post(`${API}/auth/refresh`).send({ refreshToken: s.refreshToken }), 401, 'auth.unauthenticated');
    });
  });

  describe('web sign-in with cookies', () => {
    it('sets httpOnly SameSite=Strict session cookies and a readable CSRF cookie, and returns the profile only', async () => {
      const u = await freshUser();
      const res = await t.http().post(`${API}/auth/login`).send({ username: u.username, password: u.password });
      expect(res.status).toBe(200);
      expect(res.body.user).toMatchObject({ id: u.id, username: u.username });
      expect(res.body.accessToken).toBeUndefined();
      expect(res.body.refreshToken).toBeUndefined();

      const jar = cookiesOf(res);
      const at = jar.get('sandi_at')!;
      const rt = jar.get('sandi_rt')!;
      const csrf = jar.get('sandi_csrf')!;
      expect(at && rt && csrf).toBeTruthy();
      for (const c of [at, rt]) {
        expect(c.attrs).toContain('httponly');
        expect(c.attrs).toContain('samesite=strict');
      }
      expect(at.attrs).toContain('path=/');
      expect(rt.attrs).toContain('path=/api/v1/auth');
      expect(csrf.attrs).not.toContain('httponly');
      expect(csrf.attrs).toContain('samesite=strict');
      expect(csrf.value.length).toBeGreaterThanOrEqual(24);
    });

    it('authenticates GET by cookie, and demands the X-CSRF-Token double submit on POST', async () => {
      const u = await freshUser();
      const jar = cookiesOf(await t.http().post(`${API}/auth/login`).send({ username: u.username, password: u.password }));
      const cookie = `sandi_at=${jar.get('sandi_at')!.value}; sandi_csrf=${jar.get('sandi_csrf')!.value}`;

      const profile = await t.http().get(`${API}/auth/me`).set('Cookie', cookie);
      expect(profile.status).toBe(200);
      expect(profile.body.id).toBe(u.id);

      const change = { currentPassword: u.password, newPassword: `Baru#${u.password}` };
      expectProblem(await t.http().post(`${API}/auth/password`).set('Cookie', cookie).send(change), 403, 'auth.csrf_mismatch');
      expectProblem(
        await t.http().post(`${API}/auth/password`).set('Cookie', cookie).set('X-CSRF-Token', 'not-the-cookie-value').send(change),
        403,
        'auth.csrf_mismatch',
      );
      // A header without the matching cookie is no better (the cookie is what a cross-site page cannot read).
      expectProblem(
        await t
          .http()
          .post(`${API}/auth/password`)
          .set('Cookie', `sandi_at=${jar.get('sandi_at')!.value}`)
          .set('X-CSRF-Token', jar.get('sandi_csrf')!.value)
          .send(change),
        403,
        'auth.csrf_mismatch',
      );
      // The refused requests changed nothing: the old password still signs in.
      await signIn(u.username, u.password);

      const out = await t.http().post(`${API}/auth/logout`).set('Cookie', cookie).set('X-CSRF-Token', jar.get('sandi_csrf')!.value);
      expect(out.status).toBe(204);
      const cleared = cookiesOf(out);
      expect(cleared.get('sandi_at')?.value).toBe('');
      expectProblem(await t.http().get(`${API}/auth/me`).set('Cookie', cookie), 401, 'auth.unauthenticated');
    });

    it('refreshes from the refresh cookie and rotates it', async () => {
      const u = await freshUser();
      const jar = cookiesOf(await t.http().post(`${API}/auth/login`).send({ username: u.username, password: u.password }));
      const res = await t
        .http()
        .post(`${API}/auth/refresh`)
        .set('Cookie', `sandi_rt=${jar.get('sandi_rt')!.value}`)
        .send({});
      expect(res.status).toBe(200);
      expect(res.body.user.id).toBe(u.id);
      const next = cookiesOf(res);
      expect(next.get('sandi_rt')!.value).not.toBe(jar.get('sandi_rt')!.value);
      expect(
        (
          await t
            .http()
            .get(`${API}/auth/me`)
            .set('Cookie', `sandi_at=${next.get('sandi_at')!.value}`)
        ).status,
      ).toBe(200);
      expectProblem(
        await t
          .http()
          .get(`${API}/auth/me`)
          .set('Cookie', `sandi_at=${jar.get('sandi_at')!.value}`),
        401,
      );
    });
  });

  describe("changing one's password", () => {
    it('checks the current password and the policy, then ends the other sessions but keeps this one', async () => {
      const u = await freshUser();
      const current = await signIn(u.username, u.password);
      const elsewhere = await signIn(u.username, u.password);
      const change = (body: object) => t.http().post(`${API}/auth/password`).set(bearer(current.accessToken)).send(body);
      const newPassword = strong('Ganti');

      const wrong = await change({ currentPassword: 'Bukan#Sandi-1234', newPassword });
      expectProblem(wrong, 400, 'auth.wrong_current_password');
      expect(wrong.body.errors).toEqual([expect.objectContaining({ field: 'currentPassword' })]);

      const weak = await change({ currentPassword: u.password, newPassword: 'pendek' });
      expectProblem(weak, 400, 'auth.password_policy');
      expect(weak.body.errors.length).toBeGreaterThanOrEqual(2);
      for (const e of weak.body.errors as { field: string; message: string }[]) {
        expect(e.field).toBe('newPassword');
        expect(e.message).toBeTruthy();
      }
      const withUsername = await change({ currentPassword: u.password, newPassword: `X#9${u.username.toUpperCase()}` });
      expectProblem(withUsername, 400, 'auth.password_policy');
      expectProblem(await change({ currentPassword: u.password, newPassword: u.password }), 400, 'auth.password_policy');
      // None of the refused attempts ended a session.
      expect((await me(elsewhere.accessToken)).status).toBe(200);

      expect((await change({ currentPassword: u.password, newPassword })).status).toBe(204);
      expectProblem(await me(elsewhere.accessToken), 401, 'auth.unauthenticated');
      expectProblem(await t.http().post(`${API}/auth/refresh`).send({ refreshToken: elsewhere.refreshToken }), 401);
      expect((await me(current.accessToken)).status).toBe(200);
      expect((await t.http().post(`${API}/auth/refresh`).send({ refreshToken: current.refreshToken })).status).toBe(200);

      expectProblem(await token(u.username, u.password), 401, 'auth.invalid_credentials');
      await signIn(u.username, newPassword);
      const actions = await auditActions(u.id);
      expect(actions).toContain('auth.password_changed');
      expect(actions).toContain('auth.password_change_failed');
    });
  });

  describe('admin password reset', () => {
    it('forces a change before anything but self routes, ends old sessions, and mails the user (without the password)', async () => {
      const u = await freshUser(['helpdesk']);
      const old = await signIn(u.username, u.password);
      expect((await t.http().get(`${API}/units`).set(bearer(old.accessToken))).status).toBe(200);
      const temporary = strong('Sementara');

      const weak = await t.http().post(`${API}/users/${u.id}/reset-password`).set(bearer(adminToken)).send({ password: 'lemah' });
      expectProblem(weak, 400, 'auth.password_policy');
      expect((await me(old.accessToken)).status).toBe(200);

      const reset = await t.http().post(`${API}/users/${u.id}/reset-password`).set(bearer(adminToken)).send({ password: temporary });
      expect(reset.status).toBe(204);
      expectProblem(await me(old.accessToken), 401);
      expectProblem(await token(u.username, u.password), 401, 'auth.invalid_credentials');

      const s = await signIn(u.username, temporary);
      expect(s.user.mustChangePassword).toBe(true);
      expectProblem(await t.http().get(`${API}/units`).set(bearer(s.accessToken)), 403, 'auth.password_change_required');
      expect((await me(s.accessToken)).body.mustChangePassword).toBe(true);

      const newPassword = strong('Pilihan');
      const changed = await t
        .http()
        .post(`${API}/auth/password`)
        .set(bearer(s.accessToken))
        .send({ currentPassword: temporary, newPassword });
      expect(changed.status).toBe(204);
      expect((await t.http().get(`${API}/units`).set(bearer(s.accessToken))).status).toBe(200);
      expect((await me(s.accessToken)).body.mustChangePassword).toBe(false);

      const mails = await outbox(u.email);
      expect(mails.map((m) => m.template)).toEqual(['auth.password_reset_by_admin']);
      expect(mails[0]!.text_body).toContain(u.username);
      expect(mails[0]!.text_body).not.toContain(temporary);
      expect(await auditActions(u.id)).toContain('user.password_reset');
    });
  });

  describe('garbage credentials', () => {
    it('answers every malformed, forged or expired bearer token with 401 problem+json, never 500', async () => {
      const u = await freshUser();
      const real = await signIn(u.username, u.password);
      const claims = JSON.parse(Buffer.from(real.accessToken.split('.')[1]!, 'base64url').toString()) as { sub: string; sid: string };
      const sign = (key: string, exp: number | string) =>
        new SignJWT({ sid: claims.sid })
          .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
          .setSubject(claims.sub)
          .setIssuer('sandi')
          .setAudience('sandi-api')
          .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
          .setExpirationTime(exp)
          .sign(new TextEncoder().encode(key));
      const [h, p, s] = real.accessToken.split('.') as [string, string, string];
      const adminClaims = Buffer.from(JSON.stringify({ ...claims, sub: (await me(adminToken)).body.id })).toString('base64url');
      const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${p}.`;

      const cases: Record<string, string> = {
        'random string': randomBytes(24).toString('hex'),
        'JWT signed with another key': await sign(randomBytes(48).toString('base64url'), '1h'),
        'expired JWT signed with the real key': await sign(t.config.AUTH_JWT_SECRET!, Math.floor(Date.now() / 1000) - 3600),
        'alg none': none,
        'payload swapped to another user': `${h}.${adminClaims}.${s}`,
        'signature cut off': `${h}.${p}.`,
        'two segments': `${h}.${p}`,
        '5 KB token': 'a'.repeat(5 * 1024),
        '5 KB JWT-looking token': `${h}.${'b'.repeat(5 * 1024)}.${s}`,
        'characters outside base64url': 'abc<script>alert(1)</script>',
        'non-ASCII': 'ééé.ééé.ééé',
      };
      const failures: string[] = [];
      for (const [name, value] of Object.entries(cases)) {
        for (const header of [`Bearer ${value}`, value]) {
          const res = await t.http().get(`${API}/auth/me`).set('Authorization', header);
          if (res.status !== 401 || res.body.code !== 'auth.unauthenticated')
            failures.push(`${name} (${header.slice(0, 7)}…) → ${res.status}`);
        }
        const viaCookie = await t
          .http()
          .get(`${API}/auth/me`)
          .set('Cookie', `sandi_at=${encodeURIComponent(value)}`);
        if (viaCookie.status !== 401) failures.push(`${name} as cookie → ${viaCookie.status}`);
      }
      expect(failures).toEqual([]);
      // A 5 KB header on a protected, state-changing route: still a clean 401.
      expectProblem(
        await t
          .http()
          .post(`${API}/users`)
          .set('Authorization', `Bearer ${'z'.repeat(5 * 1024)}`)
          .send({}),
        401,
        'auth.unauthenticated',
      );
      // The real token, on the same session, was fine all along.
      expect((await me(real.accessToken)).status).toBe(200);
    });
  });
});

describe('login rate limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { RATE_LIMIT_LOGIN_PER_MINUTE: '3' } });
  });
  afterAll(async () => t?.close());

  it('answers the 4th attempt in a minute with 429 problem+json and Retry-After, without checking the password', async () => {
    const attempt = (password: string) => t.http().post(`${API}/auth/token`).send({ username: 'helpdesk', password });
    for (let i = 1; i <= 3; i++) expectProblem(await attempt(`Salah#Tebak-${i}`), 401, 'auth.invalid_credentials');

    const limited = await attempt(DEMO_PASSWORD);
    expectProblem(limited, 429);
    expect(limited.body.accessToken).toBeUndefined();
    const retryAfter = Number(limited.headers['retry-after']);
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);

    // The throttled request never reached the password check: three failures audited, no login.
    const rows: { action: string }[] = await t.db.dataSource.query(
      `SELECT e.action FROM audit_events e JOIN users u ON e.entity_id = u.id::text WHERE u.username = 'helpdesk' AND e.action LIKE 'auth.%'`,
    );
    expect(rows.map((r) => r.action)).toEqual(['auth.login_failed', 'auth.login_failed', 'auth.login_failed']);
  });
});

describe('rate limits shared by API instances (RATE_LIMIT_STORE=database)', () => {
  let a: TestApp;
  let b: TestApp;
  let single: TestApp;
  beforeAll(async () => {
    a = await createTestApp({ env: { RATE_LIMIT_LOGIN_PER_MINUTE: '4' } });
    // A second instance on the same database, as behind the load balancer.
    b = await createTestApp({
      env: {
        RATE_LIMIT_LOGIN_PER_MINUTE: '4',
        DATA_ENCRYPTION_KEY: a.config.DATA_ENCRYPTION_KEY!,
        AUTH_JWT_SECRET: a.config.AUTH_JWT_SECRET!,
      },
      db: a.db,
      seed: false,
    });
    single = await createTestApp({ env: { RATE_LIMIT_LOGIN_PER_MINUTE: '4', RATE_LIMIT_STORE: 'memory' } });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await single?.close();
  });

  it('counts one budget per client across instances: the 5th attempt is refused wherever it lands', async () => {
    const attempt = (t: TestApp, i: number) =>
      t
        .http()
        .post(`${API}/auth/token`)
        .send({ username: 'helpdesk', password: `Salah#Tebak-${i}` });
    const statuses: number[] = [];
    for (let i = 1; i <= 4; i++) statuses.push((await attempt(i % 2 ? a : b, i)).status);
    expect(statuses).toEqual([401, 401, 401, 401]);
    const fifth = await attempt(b, 5);
    expectProblem(fifth, 429);
    expect(Number(fifth.headers['retry-after'])).toBeGreaterThan(0);
    expectProblem(await attempt(a, 6), 429);
    // The client's address is not stored, only a hash of bucket and client.
    const keys = (await a.db.dataSource.query(`SELECT key, hits FROM rate_limit_counters`)) as Array<{ key: string; hits: number }>;
    expect(keys.length).toBeGreaterThan(0);
    for (const k of keys) expect(k.key).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(keys)).not.toContain('127.0.0.1');
  });

  it('purges counters whose window has ended', async () => {
    await a.db.dataSource.query(`UPDATE rate_limit_counters SET window_ends = now() - interval '1 second', blocked_until = NULL`);
    const purged = await a.app.get(CoreMaintenanceService).purgeRateLimits();
    expect(purged).toBeGreaterThan(0);
    // A fresh window: the request reaches the account check again (locked by now after the failures, but not rate-limited).
    const again = await a.http().post(`${API}/auth/token`).send({ username: 'helpdesk', password: 'Salah#Tebak-7' });
    expect(again.status).not.toBe(429);
    expect([401, 423]).toContain(again.status);
  });

  it('keeps per-instance counters in memory when configured so', async () => {
    const attempt = (i: number) =>
      single
        .http()
        .post(`${API}/auth/token`)
        .send({ username: 'helpdesk', password: `Salah#Tebak-${i}` });
    for (let i = 1; i <= 4; i++) expect((await attempt(i)).status).toBe(401);
    expectProblem(await attempt(5), 429);
    const rows = (await single.db.dataSource.query(`SELECT count(*)::int AS n FROM rate_limit_counters`)) as [{ n: number }];
    expect(rows[0].n).toBe(0);
  });
});
