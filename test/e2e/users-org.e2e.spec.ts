import { randomBytes, randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { usingPostgres } from '../support/database.js';

const API = '/api/v1';
/** A random password that always meets the policy: four character classes, never a character four times in a row. */
const strong = (label: string) => `${label}#7q-${randomBytes(5).toString('hex').match(/../g)!.join('-')}`;
const TABLES = ['users', 'org_units', 'org_positions', 'audit_events', 'auth_sessions', 'outbox_messages'] as const;
type Counts = Record<(typeof TABLES)[number], number>;

interface UserBody {
  id: string;
  username: string;
  roles: string[];
  unitId: string | null;
  positionId: string | null;
  active: boolean;
  mustChangePassword: boolean;
}
interface UnitBody {
  id: string;
  code: string;
  parentId: string | null;
}
interface AuditBody {
  seq: string;
  action: string;
  entityId: string | null;
  actorId: string | null;
  actorName: string | null;
  summary: { before?: Record<string, unknown>; after?: Record<string, unknown> };
}

function expectProblem(res: Response, status: number, code?: string, field?: string): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  if (code) expect(res.body.code).toBe(code);
  if (field) expect((res.body.errors as { field: string }[]).map((e) => e.field)).toContain(field);
}

describe(`users and organisation over HTTP (${usingPostgres() ? 'PostgreSQL' : 'PGlite'})`, () => {
  let t: TestApp;
  let admin: { token: string; id: string; fullName: string };
  let auditorToken: string;
  const tag = randomBytes(3).toString('hex');
  let n = 0;

  beforeAll(async () => {
    t = await createTestApp();
    const token = await t.tokenFor('admin');
    const me = await t.http().get(`${API}/auth/me`).set('Authorization', `Bearer ${token}`);
    admin = { token, id: me.body.id, fullName: me.body.fullName };
    auditorToken = await t.tokenFor('auditor');
  });
  afterAll(async () => t?.close());

  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const post = (path: string, body: object, token = admin.token) => t.http().post(`${API}${path}`).set(as(token)).send(body);
  const patch = (path: string, body: object, token = admin.token) => t.http().patch(`${API}${path}`).set(as(token)).send(body);
  const get = (path: string, query: Record<string, string | number> = {}, token = admin.token) =>
    t.http().get(`${API}${path}`).query(query).set(as(token));

  async function counts(): Promise<Counts> {
    const out = {} as Counts;
    for (const table of TABLES) {
      const [{ c }] = await t.db.dataSource.query(`SELECT count(*)::int AS c FROM ${table}`);
      out[table] = c;
    }
    return out;
  }

  /** Runs requests that must all fail with 4xx, and proves they left every table as it was. */
  async function changesNothing(attempts: () => Promise<void>): Promise<void> {
    const before = await counts();
    await attempts();
    expect(await counts()).toEqual(before);
  }

  function newUser(overrides: Record<string, unknown> = {}) {
    n += 1;
    const username = `uji.${tag}.${n}`;
    return {
      username,
      fullName: `Pengguna Uji ${n}`,
      email: `${username}@uji.example.go.id`,
      roles: ['helpdesk'],
      password: strong('Awal'),
      ...overrides,
    };
  }

  async function createUser(overrides: Record<string, unknown> = {}) {
    const dto = newUser(overrides);
    const res = await post('/users', dto);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return { ...(res.body as UserBody), password: dto.password as string, email: dto.email as string };
  }

  /** A created user who has already replaced the temporary password, with a live access token. */
  async function activeUser(roles: string[] = ['helpdesk']) {
    const u = await createUser({ roles });
    const login = await t.http().post(`${API}/auth/token`).send({ username: u.username, password: u.password });
    const password = strong('Milik');
    const change = await post('/auth/password', { currentPassword: u.password, newPassword: password }, login.body.accessToken);
    expect(change.status).toBe(204);
    return { ...u, password, token: login.body.accessToken as string, refreshToken: login.body.refreshToken as string };
  }

  async function createUnit(body: object): Promise<UnitBody> {
    const res = await post('/units', body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as UnitBody;
  }

  async function auditFor(entityId: string): Promise<AuditBody[]> {
    const res = await get('/audit/events', { entityId, pageSize: 200 });
    expect(res.status).toBe(200);
    return res.body.items as AuditBody[];
  }

  /** The event of `action` on `entityId` exists and names the admin as its actor. */
  async function expectAudited(entityId: string, action: string): Promise<AuditBody> {
    const event = (await auditFor(entityId)).find((e) => e.action === action);
    expect(event, `${action} on ${entityId}`).toBeDefined();
    expect(event!.actorId).toBe(admin.id);
    expect(event!.actorName).toBe(admin.fullName);
    return event!;
  }

  describe('users', () => {
    it('creates a user (201) who must change the password; the password and its hash appear nowhere', async () => {
      const dto = newUser({ roles: ['verifier', 'auditor'], locale: 'en' });
      const res = await post('/users', dto);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ username: dto.username, email: dto.email, active: true, mustChangePassword: true, locale: 'en' });
      expect([...res.body.roles].sort()).toEqual(['auditor', 'verifier']);
      for (const body of [res.body, (await get(`/users/${res.body.id}`)).body, (await get('/users', { q: dto.username })).body]) {
        const text = JSON.stringify(body);
        expect(text).not.toContain(dto.password);
        expect(text).not.toMatch(/password_?hash|argon2/i);
        expect(text).not.toMatch(/"password"/);
      }
      const event = await expectAudited(res.body.id, 'user.created');
      expect(JSON.stringify(event)).not.toContain(dto.password);
      expect(JSON.stringify(event)).not.toMatch(/argon2/);
      expect(event.summary.after).toMatchObject({ username: dto.username, roles: ['verifier', 'auditor'] });

      // The temporary password signs in, but only into the self routes.
      const login = await t.http().post(`${API}/auth/token`).send({ username: dto.username, password: dto.password });
      expect(login.body.user.mustChangePassword).toBe(true);
      expectProblem(await get('/units', {}, login.body.accessToken), 403, 'auth.password_change_required');
    });

    it('refuses bad input with 4xx and creates nothing: duplicate (any case), weak password, unknown role or unit, stray fields', async () => {
      const existing = await createUser();
      await changesNothing(async () => {
        const dup = await post('/users', newUser({ username: existing.username.toUpperCase() }));
        expectProblem(dup, 409, 'auth.username_taken', 'username');
        expectProblem(await post('/users', newUser({ username: `  ${existing.username}  ` })), 409, 'auth.username_taken');

        const weak = await post('/users', newUser({ password: 'password' }));
        expectProblem(weak, 400, 'auth.password_policy', 'password');
        expect(weak.body.errors.length).toBeGreaterThanOrEqual(2);
        const d = newUser();
        expectProblem(await post('/users', { ...d, password: `Xy#1${d.username}` }), 400, 'auth.password_policy', 'password');

        expectProblem(await post('/users', newUser({ roles: ['root'] })), 400, 'common.validation', 'roles');
        expectProblem(await post('/users', newUser({ roles: [] })), 400, 'common.validation', 'roles');
        expectProblem(await post('/users', newUser({ unitId: randomUUID() })), 400, 'common.validation', 'unitId');
        expectProblem(await post('/users', newUser({ positionId: randomUUID() })), 400, 'common.validation', 'positionId');
        expectProblem(await post('/users', newUser({ unitId: 'not-a-uuid' })), 400, 'common.validation', 'unitId');
        expectProblem(await post('/users', newUser({ email: 'not-an-address' })), 400, 'common.validation', 'email');
        expectProblem(await post('/users', newUser({ username: 'a b' })), 400, 'common.validation', 'username');
        expectProblem(await post('/users', newUser({ mustChangePassword: false })), 400, 'common.validation', 'mustChangePassword');
        expectProblem(await post('/users', newUser({ passwordHash: 'x' })), 400, 'common.validation', 'passwordHash');
        // Only admins manage users.
        expectProblem(await post('/users', newUser(), auditorToken), 403, 'auth.forbidden');
      });
    });

    it('gives one 201 and 409s (never a 500) for three concurrent creations of the same username', async () => {
      const dto = newUser();
      const results = await Promise.all(
        [dto.username, dto.username.toUpperCase(), ` ${dto.username}`].map((username) => post('/users', { ...dto, username })),
      );
      expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
      for (const r of results.filter((x) => x.status === 409)) expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
      const [{ c }] = await t.db.dataSource.query(`SELECT count(*)::int AS c FROM users WHERE lower(username) = lower($1)`, [dto.username]);
      expect(c).toBe(1);
    });

    it('searches by username, name or e-mail (case-insensitive, wildcards literal) and pages the result', async () => {
      const marker = `cari${randomBytes(3).toString('hex')}`;
      const made = [
        await createUser({ username: `${marker}.b`, fullName: 'Siti Aminah' }),
        await createUser({ fullName: `Agus ${marker.toUpperCase()} Wibowo` }),
        await createUser({ email: `agus.${marker}@contoh.go.id` }),
      ];
      const all = await get('/users', { q: marker.toUpperCase(), pageSize: 10 });
      expect(all.status).toBe(200);
      expect(all.body.total).toBe(3);
      expect((all.body.items as UserBody[]).map((u) => u.id).sort()).toEqual(made.map((u) => u.id).sort());
      const names = (all.body.items as UserBody[]).map((u) => u.username.toLowerCase());
      expect(names).toEqual([...names].sort());

      const p1 = await get('/users', { q: marker, pageSize: 2, page: 1 });
      const p2 = await get('/users', { q: marker, pageSize: 2, page: 2 });
      const p3 = await get('/users', { q: marker, pageSize: 2, page: 3 });
      expect([p1.body.total, p2.body.total, p3.body.total]).toEqual([3, 3, 3]);
      expect([p1.body.items.length, p2.body.items.length, p3.body.items.length]).toEqual([2, 1, 0]);
      expect([...p1.body.items, ...p2.body.items].map((u: UserBody) => u.id)).toEqual((all.body.items as UserBody[]).map((u) => u.id));
      expect(p2.body).toMatchObject({ page: 2, pageSize: 2 });

      for (const literal of ['%', '_', '\\']) expect((await get('/users', { q: literal })).body.total).toBe(0);
      const byRole = await get('/users', { role: 'auditor', pageSize: 200 });
      expect((byRole.body.items as UserBody[]).every((u) => u.roles.includes('auditor'))).toBe(true);
      expectProblem(await get('/users', { pageSize: 1000 }), 400);
      expectProblem(await get('/users', { page: 0 }), 400);
      expectProblem(await get('/users', { role: 'root' }), 400);
    });

    it("PATCHes roles; the change takes effect on the user's live session at once and is audited before/after", async () => {
      const u = await activeUser(['helpdesk']);
      expectProblem(await get('/audit/events', {}, u.token), 403, 'auth.forbidden');
      const res = await patch(`/users/${u.id}`, { roles: ['auditor'] });
      expect(res.status).toBe(200);
      expect(res.body.roles).toEqual(['auditor']);
      expect((await get('/audit/events', {}, u.token)).status).toBe(200);
      expect((await get(`/users/${u.id}`)).body.roles).toEqual(['auditor']);

      const event = (await auditFor(u.id)).find(
        (e) => e.action === 'user.updated' && (e.summary.after?.roles as string[])[0] === 'auditor',
      );
      expect(event).toBeDefined();
      expect(event!.summary.before?.roles).toEqual(['helpdesk']);
      expect(event!.actorName).toBe(admin.fullName);

      await changesNothing(async () => {
        expectProblem(await patch(`/users/${u.id}`, { roles: ['superuser'] }), 400, 'common.validation', 'roles');
        expectProblem(await patch(`/users/${u.id}`, { username: 'renamed' }), 400, 'common.validation', 'username');
        expectProblem(await patch(`/users/${randomUUID()}`, { roles: ['auditor'] }), 404, 'auth.user_not_found');
      });
    });

    it('does not let an admin deactivate or un-admin themselves (409), and changes nothing', async () => {
      await changesNothing(async () => {
        expectProblem(await patch(`/users/${admin.id}`, { active: false }), 409, 'auth.cannot_lock_out_self');
        expectProblem(await patch(`/users/${admin.id}`, { roles: ['auditor'] }), 409, 'auth.cannot_lock_out_self');
      });
      const me = await get(`/users/${admin.id}`);
      expect(me.body).toMatchObject({ active: true, roles: ['admin'] });
    });

    it('deactivating a user ends their sessions and stops them signing in; reactivating lets them back', async () => {
      const u = await activeUser();
      const second = await t.http().post(`${API}/auth/token`).send({ username: u.username, password: u.password });
      expect((await get('/auth/me', {}, u.token)).status).toBe(200);

      const res = await patch(`/users/${u.id}`, { active: false });
      expect(res.status).toBe(200);
      expect(res.body.active).toBe(false);
      for (const token of [u.token, second.body.accessToken as string]) expectProblem(await get('/auth/me', {}, token), 401);
      expectProblem(await t.http().post(`${API}/auth/refresh`).send({ refreshToken: second.body.refreshToken }), 401);
      expectProblem(
        await t.http().post(`${API}/auth/token`).send({ username: u.username, password: u.password }),
        401,
        'auth.invalid_credentials',
      );
      const [{ open }] = await t.db.dataSource.query(
        `SELECT count(*)::int AS open FROM auth_sessions WHERE user_id = $1 AND revoked_at IS NULL`,
        [u.id],
      );
      expect(open).toBe(0);
      const event = (await auditFor(u.id)).find((e) => e.action === 'user.updated' && e.summary.after?.active === false);
      expect(event?.summary.before?.active).toBe(true);
      expect(event?.actorName).toBe(admin.fullName);

      expect((await patch(`/users/${u.id}`, { active: true })).status).toBe(200);
      expect((await t.http().post(`${API}/auth/token`).send({ username: u.username, password: u.password })).status).toBe(200);
    });
  });

  describe('units and positions', () => {
    it('builds a unit tree, refuses duplicate codes, unknown parents and cycles, and audits every change', async () => {
      const code = (s: string) => `U${tag}-${s}`.toUpperCase();
      const root = await createUnit({ code: code('root'), name: 'Dinas Uji', kind: 'dinas' });
      const child = await createUnit({ code: code('child'), name: 'Bidang Uji', kind: 'bidang', parentId: root.id });
      const grandchild = await createUnit({ code: code('gc'), name: 'Seksi Uji', kind: 'seksi', parentId: child.id });
      const list = (await get('/units')).body as UnitBody[];
      expect(list.find((u) => u.id === child.id)?.parentId).toBe(root.id);
      expect(list.find((u) => u.id === grandchild.id)?.parentId).toBe(child.id);

      await changesNothing(async () => {
        expectProblem(await post('/units', { code: code('root').toLowerCase(), name: 'Lagi', kind: 'dinas' }), 409, 'common.conflict');
        expectProblem(
          await post('/units', { code: code('orphan'), name: 'Yatim', kind: 'seksi', parentId: randomUUID() }),
          400,
          'common.validation',
          'parentId',
        );
        expectProblem(await patch(`/units/${root.id}`, { parentId: grandchild.id }), 400, 'common.validation', 'parentId');
        expectProblem(await patch(`/units/${root.id}`, { parentId: child.id }), 400, 'common.validation', 'parentId');
        expectProblem(await patch(`/units/${child.id}`, { parentId: child.id }), 400, 'common.validation', 'parentId');
        expectProblem(await patch(`/units/${randomUUID()}`, { name: 'Tidak Ada' }), 404, 'common.not_found');
        expectProblem(await post('/units', { code: code('x'), name: 'Bukan Admin', kind: 'dinas' }, auditorToken), 403);
      });
      expect(((await get(`/units/${root.id}`)).body as UnitBody).parentId).toBeNull();

      // A legal move: the grandchild goes directly under the root.
      const moved = await patch(`/units/${grandchild.id}`, { parentId: root.id, name: 'Seksi Uji Pindah' });
      expect(moved.status).toBe(200);
      expect(moved.body.parentId).toBe(root.id);
      // …after which the former parent may go under it without a cycle.
      expect((await patch(`/units/${child.id}`, { parentId: grandchild.id })).status).toBe(200);
      expectProblem(await patch(`/units/${grandchild.id}`, { parentId: child.id }), 400, 'common.validation', 'parentId');

      for (const u of [root, child, grandchild]) await expectAudited(u.id, 'org.unit_created');
      const update = await expectAudited(grandchild.id, 'org.unit_updated');
      expect(update.summary.before).toMatchObject({ parentId: child.id, name: 'Seksi Uji' });
      expect(update.summary.after).toMatchObject({ parentId: root.id, name: 'Seksi Uji Pindah' });
      await expectAudited(child.id, 'org.unit_updated');
    });

    it("creates positions, refuses a duplicate title in the same unit, and keeps users' positions inside their unit", async () => {
      const a = await createUnit({ code: `PA${tag}`, name: 'Unit A', kind: 'bagian' });
      const b = await createUnit({ code: `PB${tag}`, name: 'Unit B', kind: 'bagian' });
      const posA = await post('/positions', { unitId: a.id, title: 'Kepala Bagian', echelon: 'III.a' });
      expect(posA.status).toBe(201);
      expect(posA.body).toMatchObject({ unitId: a.id, title: 'Kepala Bagian', echelon: 'III.a' });
      const posB = await post('/positions', { unitId: b.id, title: 'Kepala Bagian' });
      expect(posB.status).toBe(201);

      await changesNothing(async () => {
        expectProblem(await post('/positions', { unitId: a.id, title: '  kepala BAGIAN ' }), 409, 'common.conflict');
        expectProblem(await post('/positions', { unitId: randomUUID(), title: 'Staf' }), 400, 'common.validation', 'unitId');
        expectProblem(await post('/users', newUser({ unitId: a.id, positionId: posB.body.id })), 400, 'common.validation', 'positionId');
        expectProblem(await post('/users', newUser({ positionId: posA.body.id })), 400, 'common.validation', 'positionId');
      });
      expect(((await get('/positions', { unitId: a.id })).body as { id: string }[]).map((p) => p.id)).toEqual([posA.body.id]);

      const u = await createUser({ unitId: a.id, positionId: posA.body.id });
      expect(u).toMatchObject({ unitId: a.id, positionId: posA.body.id });
      expect((await get(`/users/${u.id}`)).body.unitName).toBe('Unit A');
      await changesNothing(async () => {
        // Moving to another unit while keeping the old unit's position is refused.
        expectProblem(await patch(`/users/${u.id}`, { unitId: b.id }), 400, 'common.validation', 'positionId');
        expectProblem(await patch(`/users/${u.id}`, { positionId: posB.body.id }), 400, 'common.validation', 'positionId');
      });
      const moved = await patch(`/users/${u.id}`, { unitId: b.id, positionId: posB.body.id });
      expect(moved.status).toBe(200);
      expect(moved.body).toMatchObject({ unitId: b.id, positionId: posB.body.id, unitName: 'Unit B' });

      await expectAudited(posA.body.id, 'org.position_created');
      await expectAudited(posB.body.id, 'org.position_created');
      const event = (await auditFor(u.id)).find((e) => e.action === 'user.updated');
      expect(event?.summary).toMatchObject({
        before: { unitId: a.id, positionId: posA.body.id },
        after: { unitId: b.id, positionId: posB.body.id },
      });
    });

    it('gives one 201 and 409s (never a 500) for three concurrent creations of the same unit code', async () => {
      const body = { code: `RACE${tag}`, name: 'Balapan', kind: 'kantor' };
      const results = await Promise.all(
        [body.code, body.code.toLowerCase(), ` ${body.code} `].map((code) => post('/units', { ...body, code })),
      );
      expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
      for (const r of results.filter((x) => x.status === 409)) expectProblem(r, 409, 'common.conflict');
      const [{ c }] = await t.db.dataSource.query(`SELECT count(*)::int AS c FROM org_units WHERE lower(code) = lower($1)`, [body.code]);
      expect(c).toBe(1);
    });
  });

  it('leaves an intact audit chain after all of it', async () => {
    const [{ c }] = await t.db.dataSource.query(`SELECT count(*)::int AS c FROM audit_events`);
    const res = await get('/audit/verify', {}, auditorToken);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, checked: c, firstBroken: null });
  });
});
