import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { Response } from 'supertest';
import winston from 'winston';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createNestLogger, UsersService } from '@sandi/core';
import { createTestApp, type TestApp } from '../support/app.js';
import { usingPostgres } from '../support/database.js';

const API = '/api/v1';

interface LogLine {
  level: string;
  message: unknown;
  context?: string;
  requestId?: string;
  timestamp?: string;
  [key: string]: unknown;
}

/** Distinctive values that also meet the password policy: if any of them shows up in a log line, something leaked. */
const secret = (label: string) => `${label}#7q-${randomBytes(6).toString('hex').match(/../g)!.join('-')}`;

describe(`logging (${usingPostgres() ? 'PostgreSQL' : 'PGlite'})`, () => {
  const raw: string[] = [];
  const secrets = new Set<string>();
  let t: TestApp;
  let adminToken: string;
  let n = 0;

  const keep = (...values: string[]) => values.forEach((v) => v && secrets.add(v));
  const lines = (): LogLine[] => raw.map((l) => JSON.parse(l) as LogLine);

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) raw.push(line);
        done();
      },
    });
    const logger = createNestLogger({ level: 'debug', format: 'json', transports: [new winston.transports.Stream({ stream: sink })] });
    t = await createTestApp({ logger, env: { AUTH_MAX_FAILED_LOGINS: '2' } });
    keep(t.config.AUTH_JWT_SECRET!, t.config.DATA_ENCRYPTION_KEY!);
    adminToken = await t.tokenFor('admin');
    keep(adminToken);
  });
  afterAll(async () => t?.close());

  /** A user of this file's own with a distinctive password. */
  async function user() {
    n += 1;
    const username = `log.user${n}`;
    const password = secret('Log-Pass');
    keep(password);
    const u = await t.app
      .get(UsersService)
      .create(
        { username, fullName: `Log ${n}`, email: `${username}@uji.example.go.id`, roles: ['helpdesk'], password },
        { mustChangePassword: false },
      );
    return { ...u, password };
  }

  /** Waits for the access-log line of the request answered by `res`, and checks it. */
  async function expectRequestLine(res: Response, method: string, path: string): Promise<LogLine> {
    const requestId = res.headers['x-request-id'] as string;
    expect(requestId).toBeTruthy();
    let found: LogLine | undefined;
    await vi.waitFor(
      () => {
        found = lines().find(
          (l) =>
            l.context === 'HTTP' &&
            typeof l.message === 'string' &&
            l.message.startsWith(`${method} ${path} ${res.status} `) &&
            l.requestId === requestId,
        );
        expect(found, `access line for ${method} ${path} ${res.status} with request id ${requestId}`).toBeDefined();
      },
      { timeout: 2000, interval: 20 },
    );
    expect(found!.message).toMatch(/ \d+\.\dms$/);
    expect(found!.timestamp).toBeTruthy();
    return found!;
  }

  function expectNoSecretLogged(): void {
    const leaks: string[] = [];
    for (const line of raw) {
      for (const s of secrets) {
        // A JWT's signature alone is as good as the token for nothing, but its presence means the token was logged.
        const parts = s.split('.').length === 3 ? [s, s.split('.')[2]!] : [s];
        if (parts.some((p) => p.length >= 12 && line.includes(p))) leaks.push(`${s.slice(0, 12)}… in ${line.slice(0, 200)}`);
      }
      if (/\$argon2id\$/.test(line)) leaks.push(`password hash in ${line.slice(0, 200)}`);
    }
    expect(leaks).toEqual([]);
  }

  it('logs failed and successful logins by request line and id, never the password or the tokens', async () => {
    const u = await user();
    const wrongPassword = secret('Wrong-Pass');
    const typedIntoUsername = secret('Pass-As-Username');
    keep(wrongPassword, typedIntoUsername);

    const failed = await t
      .http()
      .post(`${API}/auth/token`)
      .set('X-Request-Id', 'log-login-failed')
      .send({ username: u.username, password: wrongPassword });
    expect(failed.status).toBe(401);
    const unknown = await t.http().post(`${API}/auth/token`).send({ username: typedIntoUsername, password: u.password });
    expect(unknown.status).toBe(401);

    const ok = await t
      .http()
      .post(`${API}/auth/token`)
      .set('X-Request-Id', 'log-login-ok')
      .send({ username: u.username, password: u.password });
    expect(ok.status).toBe(200);
    keep(ok.body.accessToken, ok.body.refreshToken);
    const refreshed = await t.http().post(`${API}/auth/refresh`).send({ refreshToken: ok.body.refreshToken });
    expect(refreshed.status).toBe(200);
    keep(refreshed.body.accessToken, refreshed.body.refreshToken);
    const me = await t.http().get(`${API}/auth/me`).set('Authorization', `Bearer ${refreshed.body.accessToken}`);
    expect(me.status).toBe(200);

    const web = await t.http().post(`${API}/auth/login`).send({ username: u.username, password: u.password });
    expect(web.status).toBe(200);
    for (const c of (web.headers['set-cookie'] as unknown as string[]) ?? []) keep(decodeURIComponent(c.split(';')[0]!.split('=')[1]!));

    expect((await expectRequestLine(failed, 'POST', `${API}/auth/token`)).requestId).toBe('log-login-failed');
    expect((await expectRequestLine(ok, 'POST', `${API}/auth/token`)).requestId).toBe('log-login-ok');
    // A generated request id (none sent) is the one logged too.
    expect((await expectRequestLine(unknown, 'POST', `${API}/auth/token`)).requestId).toMatch(/^[0-9a-f-]{36}$/);
    await expectRequestLine(refreshed, 'POST', `${API}/auth/refresh`);
    await expectRequestLine(me, 'GET', `${API}/auth/me`);
    await expectRequestLine(web, 'POST', `${API}/auth/login`);
    expectNoSecretLogged();
  });

  it('logs a lockout warning with the request id but not the passwords tried', async () => {
    const u = await user();
    const tries = [secret('Try-1'), secret('Try-2')];
    keep(...tries);
    expect((await t.http().post(`${API}/auth/token`).send({ username: u.username, password: tries[0] })).status).toBe(401);
    const locked = await t
      .http()
      .post(`${API}/auth/token`)
      .set('X-Request-Id', 'log-lockout')
      .send({ username: u.username, password: tries[1] });
    expect(locked.status).toBe(423);
    await vi.waitFor(() => {
      const warn = lines().find((l) => l.level === 'warn' && l.context === 'AuthService' && String(l.message).includes(u.username));
      expect(warn).toBeDefined();
      expect(warn!.requestId).toBe('log-lockout');
    });
    await expectRequestLine(locked, 'POST', `${API}/auth/token`);
    expectNoSecretLogged();
  });

  it('logs a password change and a user creation without the old or new passwords', async () => {
    const u = await user();
    const session = await t.http().post(`${API}/auth/token`).send({ username: u.username, password: u.password });
    keep(session.body.accessToken, session.body.refreshToken);
    const newPassword = secret('New-Pass');
    keep(newPassword);

    const wrongCurrent = secret('Wrong-Current');
    keep(wrongCurrent);
    const refused = await t
      .http()
      .post(`${API}/auth/password`)
      .set('Authorization', `Bearer ${session.body.accessToken}`)
      .send({ currentPassword: wrongCurrent, newPassword });
    expect(refused.status).toBe(400);
    const changed = await t
      .http()
      .post(`${API}/auth/password`)
      .set('Authorization', `Bearer ${session.body.accessToken}`)
      .send({ currentPassword: u.password, newPassword });
    expect(changed.status).toBe(204);

    const initial = secret('Initial-Pass');
    keep(initial);
    const created = await t
      .http()
      .post(`${API}/users`)
      .set('Authorization', `Bearer ${adminToken}`)
      .send({
        username: 'log.created',
        fullName: 'Dibuat Log',
        email: 'log.created@uji.example.go.id',
        roles: ['auditor'],
        password: initial,
      });
    expect(created.status).toBe(201);
    const reset = secret('Reset-Pass');
    keep(reset);
    const resetRes = await t
      .http()
      .post(`${API}/users/${created.body.id}/reset-password`)
      .set('Authorization', `Bearer ${adminToken}`)
      .send({ password: reset });
    expect(resetRes.status).toBe(204);

    await expectRequestLine(refused, 'POST', `${API}/auth/password`);
    await expectRequestLine(changed, 'POST', `${API}/auth/password`);
    await expectRequestLine(created, 'POST', `${API}/users`);
    await expectRequestLine(resetRes, 'POST', `${API}/users/${created.body.id}/reset-password`);
    expectNoSecretLogged();
  });

  it('answers validation failures carrying passwords with 400, logs them at info, and never logs the password', async () => {
    const weak = 'weakpass' + randomBytes(3).toString('hex');
    const stray = secret('Stray-Pass');
    const broken = secret('Broken-Json-Pass');
    const tooLong = secret('Long') + 'x'.repeat(200);
    keep(weak, stray, broken, tooLong);
    const admin = { Authorization: `Bearer ${adminToken}` };

    const responses: [Response, string, string][] = [
      [
        await t
          .http()
          .post(`${API}/users`)
          .set(admin)
          .send({ username: 'log.weak', fullName: 'Lemah', email: 'weak@uji.example.go.id', roles: ['auditor'], password: weak }),
        'POST',
        `${API}/users`,
      ],
      [await t.http().post(`${API}/auth/token`).send({ username: 'admin', password: stray, extra: stray }), 'POST', `${API}/auth/token`],
      [
        await t.http().post(`${API}/auth/token`).set('Content-Type', 'application/json').send(`{"username":"admin","password":"${broken}"`),
        'POST',
        `${API}/auth/token`,
      ],
      [await t.http().post(`${API}/auth/token`).send({ username: 'admin', password: tooLong }), 'POST', `${API}/auth/token`],
      [await t.http().post(`${API}/auth/password`).set(admin).send({ currentPassword: stray }), 'POST', `${API}/auth/password`],
    ];
    for (const [res, method, path] of responses) {
      expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(JSON.stringify(res.body)).not.toContain(stray);
      expect(JSON.stringify(res.body)).not.toContain(broken);
      expect(JSON.stringify(res.body)).not.toContain(weak);
      const line = await expectRequestLine(res, method, path);
      expect(line.level).toBe('info');
    }
    expectNoSecretLogged();
  });

  it('writes JSON lines with level and timestamp, a request id on every request line, and nothing at error level', async () => {
    const res = await t.http().get(`${API}/auth/me`).set('Authorization', `Bearer ${adminToken}`);
    await expectRequestLine(res, 'GET', `${API}/auth/me`);
    // The query string stays out of the access log (search terms can be personal data or pasted secrets).
    const inQuery = secret('Query-Secret');
    keep(inQuery);
    const search = await t.http().get(`${API}/users`).query({ q: inQuery }).set('Authorization', `Bearer ${adminToken}`);
    expect(search.status).toBe(200);
    expect((await expectRequestLine(search, 'GET', `${API}/users`)).message).not.toContain('?');
    const all = lines();
    for (const l of all) {
      expect(typeof l.level).toBe('string');
      expect(l.timestamp).toBeTruthy();
    }
    // Every line written while serving a request carries that request's id.
    const httpLines = all.filter((l) => l.context === 'HTTP');
    expect(httpLines.length).toBeGreaterThan(0);
    expect(httpLines.every((l) => typeof l.requestId === 'string' && l.requestId.length > 0)).toBe(true);
    expect(all.filter((l) => l.level === 'error')).toEqual([]);
    expectNoSecretLogged();
  });
});
