import { randomBytes } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AuditService, auditEventHash } from '@sandi/core';
import { AuditVerifyCommand } from '../../apps/cli/src/commands/audit-verify.command.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { usingPostgres } from '../support/database.js';

const API = '/api/v1';

interface StoredRow {
  seq: string;
  occurred_at: Date | string;
  actor_id: string | null;
  actor_name: string | null;
  actor_roles: string[];
  action: string;
  entity_type: string;
  entity_id: string | null;
  summary: Record<string, unknown>;
  request_id: string | null;
  ip: string | null;
  prev_hash: string;
  hash: string;
}

interface EventView {
  seq: string;
  occurredAt: string;
  actorId: string | null;
  actorName: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  summary: Record<string, unknown>;
  hash: string;
}

describe(`audit trail over HTTP and CLI (${usingPostgres() ? 'PostgreSQL' : 'PGlite'})`, () => {
  let t: TestApp;
  let auditor: string;
  let admin: string;
  let adminId: string;

  beforeAll(async () => {
    t = await createTestApp();
    auditor = await t.tokenFor('auditor');
    admin = await t.tokenFor('admin');
    adminId = (await t.http().get(`${API}/auth/me`).set('Authorization', `Bearer ${admin}`)).body.id;
    // Some events made by a person over HTTP, on top of the seed's system events.
    for (let i = 0; i < 3; i++) {
      const res = await t
        .http()
        .post(`${API}/units`)
        .set('Authorization', `Bearer ${admin}`)
        .send({ code: `AUD-${i}-${randomBytes(2).toString('hex')}`, name: `Unit Audit ${i}`, kind: 'kantor' });
      expect(res.status).toBe(201);
    }
  });
  afterAll(async () => t?.close());

  const asAuditor = (path: string, query: Record<string, string | number> = {}) =>
    t.http().get(`${API}${path}`).query(query).set('Authorization', `Bearer ${auditor}`);
  const verifyHttp = async () => {
    const res = await asAuditor('/audit/verify');
    expect(res.status).toBe(200);
    return res.body as { ok: boolean; checked: number; headHash: string | null; firstBroken: { seq: string; reason: string } | null };
  };

  async function chain(): Promise<{ seq: string; hash: string; action: string }[]> {
    return t.db.dataSource.query(`SELECT seq::text AS seq, hash, action FROM audit_events ORDER BY audit_events.seq`);
  }

  /** What an intruder with database access does: write with the append-only trigger switched off. */
  async function behindTheApp(work: (em: EntityManager) => Promise<unknown>): Promise<void> {
    await t.db.dataSource.transaction(async (em) => {
      // SET LOCAL: ends with the transaction (PGlite has one session shared with the app).
      await em.query(`SET LOCAL session_replication_role = replica`);
      await work(em);
    });
  }

  /** Copies event `seq` aside, runs the tampering, and returns a function that puts the original back. */
  async function tamper(seq: string, sql: string): Promise<() => Promise<void>> {
    const backup = `audit_backup_${randomBytes(4).toString('hex')}`;
    await t.db.dataSource.query(`CREATE TABLE ${backup} AS SELECT * FROM audit_events WHERE seq = $1::bigint`, [seq]);
    await behindTheApp((em) => em.query(sql, [seq]));
    return async () => {
      await behindTheApp(async (em) => {
        await em.query(`DELETE FROM audit_events WHERE seq = $1::bigint`, [seq]);
        await em.query(`INSERT INTO audit_events SELECT * FROM ${backup}`);
      });
      await t.db.dataSource.query(`DROP TABLE ${backup}`);
    };
  }

  /** Runs the CLI command `audit:verify` in-process and returns what it printed and its exit code. */
  async function runCli(): Promise<{ out: string; exitCode: number }> {
    const command = new AuditVerifyCommand(t.app.get(AuditService));
    const printed: string[] = [];
    const savedExitCode = process.exitCode;
    process.exitCode = 0;
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      printed.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
      return true;
    });
    try {
      await command.run();
      return { out: printed.join(''), exitCode: Number(process.exitCode ?? 0) };
    } finally {
      spy.mockRestore();
      process.exitCode = savedExitCode;
    }
  }

  /** A seq in the middle of the chain (not the first, not the head). */
  async function middleSeq(): Promise<string> {
    const rows = await chain();
    expect(rows.length).toBeGreaterThan(10);
    return rows[Math.floor(rows.length / 2)]!.seq;
  }

  it('lets the auditor read events newest first, filtered, without ip or prev_hash, and nobody outside audit.read', async () => {
    const res = await asAuditor('/audit/events', { pageSize: 5 });
    expect(res.status).toBe(200);
    const [{ c }] = await t.db.dataSource.query(`SELECT count(*)::int AS c FROM audit_events`);
    expect(res.body).toMatchObject({ total: c, page: 1, pageSize: 5 });
    const items = res.body.items as EventView[];
    expect(items).toHaveLength(5);
    const seqs = items.map((e) => Number(e.seq));
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    for (const e of items) {
      expect(e.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(Object.keys(e)).not.toContain('ip');
      expect(Object.keys(e)).not.toContain('prevHash');
    }

    const byActor = await asAuditor('/audit/events', { actorId: adminId, action: 'org.unit_created' });
    expect(byActor.body.total).toBe(3);
    for (const e of byActor.body.items as EventView[])
      expect(e).toMatchObject({ actorId: adminId, actorName: 'Demo Administrator', entityType: 'org_unit' });
    const seeded = await asAuditor('/audit/events', { action: 'user.created', pageSize: 50 });
    expect((seeded.body.items as EventView[]).every((e) => e.actorName === 'system:demo-seed' && e.actorId === null)).toBe(true);

    for (const role of ['helpdesk', 'incident_handler', 'applicant'] as const) {
      const token = await t.tokenFor(role);
      for (const path of ['/audit/events', '/audit/verify']) {
        const denied = await t.http().get(`${API}${path}`).set('Authorization', `Bearer ${token}`);
        expect(denied.status).toBe(403);
        expect(denied.body.code).toBe('auth.forbidden');
      }
    }
    expect((await t.http().get(`${API}/audit/verify`)).status).toBe(401);
    expect((await asAuditor('/audit/events', { actorId: 'not-a-uuid' })).status).toBe(400);
  });

  it('verifies an intact chain over HTTP and with the CLI command (exit 0, head hash printed)', async () => {
    const result = await verifyHttp();
    const rows = await chain();
    expect(result).toEqual({ ok: true, checked: rows.length, headHash: rows.at(-1)!.hash, firstBroken: null });
    const cli = await runCli();
    expect(cli.exitCode).toBe(0);
    expect(cli.out).toContain(`intact: ${rows.length} events`);
    expect(cli.out).toContain(rows.at(-1)!.hash);
  });

  it('refuses a plain UPDATE or DELETE of an event: the table is append-only', async () => {
    const seq = await middleSeq();
    await expect(t.db.dataSource.query(`UPDATE audit_events SET action = 'x' WHERE seq = $1::bigint`, [seq])).rejects.toThrow();
    await expect(t.db.dataSource.query(`DELETE FROM audit_events WHERE seq = $1::bigint`, [seq])).rejects.toThrow();
    expect((await verifyHttp()).ok).toBe(true);
  });

  it("names the altered event when its content is changed behind the app's back (HTTP and CLI exit 1)", async () => {
    const seq = await middleSeq();
    const rows = await chain();
    const index = rows.findIndex((r) => r.seq === seq);
    const restore = await tamper(
      seq,
      `UPDATE audit_events SET summary = jsonb_set(summary, '{detail}', '{"forged": true}'::jsonb) WHERE seq = $1::bigint`,
    );
    try {
      const result = await verifyHttp();
      expect(result).toEqual({
        ok: false,
        checked: index,
        headHash: rows[index - 1]!.hash,
        firstBroken: { seq, reason: expect.stringMatching(/hash mismatch/) },
      });
      const cli = await runCli();
      expect(cli.exitCode).toBe(1);
      expect(cli.out).toMatch(new RegExp(`BROKEN at event ${seq}\\b`));
    } finally {
      await restore();
    }
    expect((await verifyHttp()).ok).toBe(true);
    expect((await runCli()).exitCode).toBe(0);
  });

  it('names the event after a deleted one (sequence gap)', async () => {
    const seq = await middleSeq();
    const next = (BigInt(seq) + 1n).toString();
    const restore = await tamper(seq, `DELETE FROM audit_events WHERE seq = $1::bigint`);
    try {
      const result = await verifyHttp();
      expect(result.ok).toBe(false);
      expect(result.firstBroken).toEqual({ seq: next, reason: expect.stringMatching(/sequence gap/) });
      const cli = await runCli();
      expect(cli.exitCode).toBe(1);
      expect(cli.out).toContain(`BROKEN at event ${next}`);
    } finally {
      await restore();
    }
    expect((await verifyHttp()).ok).toBe(true);
  });

  it('names the next event when an intruder rewrites an event and recomputes its own hash', async () => {
    const seq = await middleSeq();
    const next = (BigInt(seq) + 1n).toString();
    const [row]: StoredRow[] = await t.db.dataSource.query(`SELECT * FROM audit_events WHERE seq = $1::bigint`, [seq]);
    const content = (r: StoredRow, action = r.action) => ({
      seq: String(r.seq),
      occurredAt: new Date(r.occurred_at).toISOString(),
      actorId: r.actor_id,
      actorName: r.actor_name,
      actorRoles: r.actor_roles,
      action,
      entityType: r.entity_type,
      entityId: r.entity_id,
      summary: r.summary,
      requestId: r.request_id,
      ip: r.ip,
    });
    // The intruder knows the algorithm: the stored row hashes exactly as the app computes it…
    expect(auditEventHash(row!.prev_hash, content(row!))).toBe(row!.hash);
    const forged = auditEventHash(row!.prev_hash, content(row!, 'auth.logout'));
    const restore = await tamper(seq, `UPDATE audit_events SET action = 'auth.logout', hash = '${forged}' WHERE seq = $1::bigint`);
    try {
      // …so the forged event itself checks out, and the break shows at the link after it.
      const result = await verifyHttp();
      expect(result.ok).toBe(false);
      expect(result.firstBroken).toEqual({ seq: next, reason: `prev_hash does not link to event ${seq}` });
      expect(result.headHash).toBe(forged);
      const cli = await runCli();
      expect(cli.exitCode).toBe(1);
      expect(cli.out).toContain(`BROKEN at event ${next}`);
    } finally {
      await restore();
    }
    expect((await verifyHttp()).ok).toBe(true);
  });
});
