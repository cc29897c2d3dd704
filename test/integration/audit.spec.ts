import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AuditEventEntity, AuditService, requestContext, type AuditRecordInput } from '@sandi/core';
import { createTestDatabase, usingPostgres, type TestDatabase } from '../support/database.js';

interface StoredRow {
  seq: string;
  occurred_at: Date;
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

describe(`audit trail (${usingPostgres() ? 'PostgreSQL' : 'PGlite'})`, () => {
  let db: TestDatabase;
  let audit: AuditService;

  beforeAll(async () => {
    db = await createTestDatabase();
    audit = new AuditService(db.dataSource);
  });
  afterAll(async () => db?.close());

  /** Runs SQL the way an intruder with database access would: with the append-only trigger switched off. */
  async function behindTheTrigger(sql: string, params: unknown[] = []): Promise<void> {
    await db.dataSource.transaction(async (em) => {
      // SET LOCAL: PGlite has a single session, so a session-wide setting would leak into other tests.
      await em.query(`SET LOCAL session_replication_role = replica`);
      await em.query(sql, params);
    });
  }

  // Every test starts from an empty chain, so none depends on what another left behind.
  beforeEach(async () => behindTheTrigger('DELETE FROM audit_events; DELETE FROM audit_pending'));

  const event = (n: number, extra: Partial<AuditRecordInput> = {}): AuditRecordInput => ({
    action: 'incident.update',
    entityType: 'incident',
    entityId: `INC-${n}`,
    before: { status: 'new', n },
    after: { status: 'triaged', n },
    ...extra,
  });

  async function recordEach(count: number, ds: DataSource = db.dataSource): Promise<AuditEventEntity[]> {
    const out: AuditEventEntity[] = [];
    for (let i = 1; i <= count; i++) out.push(await ds.transaction((em) => audit.record(em, event(i))));
    return out;
  }

  async function rows(): Promise<StoredRow[]> {
    return db.dataSource.query(`SELECT * FROM audit_events ORDER BY seq`);
  }

  describe('recording in the caller transaction', () => {
    it('leaves no event when the transaction rolls back', async () => {
      await expect(
        db.dataSource.transaction(async (em) => {
          await em.query(`INSERT INTO system_state(key, value) VALUES ('audit-rollback', '1'::jsonb)`);
          await audit.record(em, event(1));
          await audit.record(em, event(2));
          throw new Error('change failed after auditing');
        }),
      ).rejects.toThrow('change failed after auditing');
      expect(await rows()).toHaveLength(0);
      expect(await db.dataSource.query(`SELECT 1 FROM system_state WHERE key = 'audit-rollback'`)).toHaveLength(0);

      // The seq the rolled-back events took is given out again: the chain has no hole.
      const [next] = await recordEach(1);
      expect(next.seq).toBe('1');
      expect((await audit.verify()).ok).toBe(true);
    });

    it('commits the event together with the change', async () => {
      await db.dataSource.transaction(async (em) => {
        await em.query(`INSERT INTO system_state(key, value) VALUES ('audit-commit', '1'::jsonb)`);
        await audit.record(em, event(1));
      });
      expect(await rows()).toHaveLength(1);
      expect(await db.dataSource.query(`SELECT 1 FROM system_state WHERE key = 'audit-commit'`)).toHaveLength(1);
    });

    it('refuses an entity manager that is not in a transaction', async () => {
      await expect(audit.record(db.dataSource.manager, event(1))).rejects.toThrow(/open transaction/);
      expect(await rows()).toHaveLength(0);
    });

    it('refuses a REPEATABLE READ transaction, whose snapshot could predate the head', async () => {
      await expect(db.dataSource.transaction('REPEATABLE READ', (em) => audit.record(em, event(1)))).rejects.toThrow(/READ COMMITTED/);
      expect(await rows()).toHaveLength(0);
    });

    it('refuses an action longer than its column instead of letting the database cut it', async () => {
      await expect(db.dataSource.transaction((em) => audit.record(em, event(1, { action: 'x'.repeat(101) })))).rejects.toThrow(/action/);
    });

    it('returns exactly what the database stores', async () => {
      const [ev] = await recordEach(1);
      const stored = await db.dataSource.getRepository(AuditEventEntity).findOneByOrFail({ seq: ev.seq });
      expect(stored).toEqual(ev);
    });
  });

  describe('the chain', () => {
    it('links events from the genesis hash and verifies with checked = N and the head hash', async () => {
      const events = await recordEach(6);
      expect(events.map((e) => e.seq)).toEqual(['1', '2', '3', '4', '5', '6']);
      expect(events[0].prevHash).toBe('0'.repeat(64));
      for (let i = 1; i < events.length; i++) expect(events[i].prevHash).toBe(events[i - 1].hash);
      expect(new Set(events.map((e) => e.hash)).size).toBe(6);

      const result = await audit.verify();
      expect(result).toEqual({ ok: true, checked: 6, headHash: events[5].hash, firstBroken: null });
      // Keyset batches smaller than the chain, and one exactly dividing it, give the same answer.
      expect(await audit.verify({ batchSize: 4 })).toEqual(result);
      expect(await audit.verify({ batchSize: 3 })).toEqual(result);
      expect(await audit.verify({ batchSize: 1 })).toEqual(result);
    });

    it('verifies an empty chain', async () => {
      expect(await audit.verify()).toEqual({ ok: true, checked: 0, headHash: null, firstBroken: null });
    });

    it('links several events recorded in one transaction', async () => {
      const events = await db.dataSource.transaction(async (em) => [
        await audit.record(em, event(1)),
        await audit.record(em, event(2)),
        await audit.record(em, event(3)),
      ]);
      expect(events.map((e) => e.seq)).toEqual(['1', '2', '3']);
      expect(await audit.verify()).toMatchObject({ ok: true, checked: 3, headHash: events[2].hash });
    });

    it('keeps verifying values the database would normalise (dates, bigints, big numbers, odd text, uuid case)', async () => {
      const userId = randomUUID();
      await requestContext.run(
        { requestId: 'r-odd', user: { id: userId.toUpperCase(), username: 'u', fullName: 'Ñandú 😀', roles: ['admin'] } },
        () =>
          db.dataSource.transaction((em) =>
            audit.record(em, {
              action: 'odd.values',
              entityType: 'thing',
              entityId: `lone-\ud800-surrogate`,
              before: { at: new Date('2025-03-04T05:06:07.891Z'), big: 2n ** 70n, huge: 1e21, tiny: 5e-324, sum: 0.1 + 0.2, neg: -0 },
              after: { text: 'tab\tquote"back\\slash ünïcödé 😀 \ud83d', list: [1, undefined, null, { b: 1, a: 2 }], nothing: undefined },
              detail: { 'key with spaces': true, '': 'empty key', Z: 1, a: 1 },
            }),
          ),
      );
      const [row] = await rows();
      expect(row.actor_id).toBe(userId.toLowerCase());
      expect(row.entity_id).toBe('lone-\ufffd-surrogate');
      expect(await audit.verify()).toMatchObject({ ok: true, checked: 1 });
    });
  });

  describe('tampering behind the application', () => {
    it('names event 3 when its summary and action were changed', async () => {
      const events = await recordEach(5);
      await behindTheTrigger(
        `UPDATE audit_events SET action = 'incident.close', summary = '{"after":{"status":"closed"}}'::jsonb WHERE seq = 3`,
      );
      const expected = {
        ok: false,
        checked: 2,
        headHash: events[1].hash,
        firstBroken: { seq: '3', reason: 'hash mismatch: content changed' },
      };
      expect(await audit.verify()).toEqual(expected);
      expect(await audit.verify({ batchSize: 2 })).toEqual(expected);
    });

    it('names event 3 when only a nested summary value changed', async () => {
      await recordEach(5);
      await behindTheTrigger(`UPDATE audit_events SET summary = jsonb_set(summary, '{after,n}', '33') WHERE seq = 3`);
      expect((await audit.verify()).firstBroken).toEqual({ seq: '3', reason: 'hash mismatch: content changed' });
    });

    it('names the event whose timestamp moved by one millisecond', async () => {
      await recordEach(4);
      await behindTheTrigger(`UPDATE audit_events SET occurred_at = occurred_at + interval '1 millisecond' WHERE seq = 2`);
      expect((await audit.verify()).firstBroken).toEqual({ seq: '2', reason: 'hash mismatch: content changed' });
    });

    it('names the next event when an event was forged with a consistent hash of its own', async () => {
      const events = await recordEach(5);
      // The intruder replaces #3 by a well-formed event linked to #2, and puts #4 and #5 back untouched.
      const forged = await db.dataSource.transaction(async (em) => {
        await em.query(`SET LOCAL session_replication_role = replica`);
        await em.query(`DELETE FROM audit_events WHERE seq >= 3`);
        const ev = await audit.record(em, event(99, { action: 'incident.forged' }));
        for (const e of events.slice(3)) {
          await em.query(
            `INSERT INTO audit_events (seq, occurred_at, actor_id, actor_name, actor_roles, action, entity_type, entity_id, summary, request_id, ip, prev_hash, hash)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11, $12, $13)`,
            [
              e.seq,
              e.occurredAt.toISOString(),
              e.actorId,
              e.actorName,
              e.actorRoles,
              e.action,
              e.entityType,
              e.entityId,
              JSON.stringify(e.summary),
              e.requestId,
              e.ip,
              e.prevHash,
              e.hash,
            ],
          );
        }
        return ev;
      });
      expect(forged.seq).toBe('3');
      expect(await audit.verify()).toEqual({
        ok: false,
        checked: 3,
        headHash: forged.hash,
        firstBroken: { seq: '4', reason: 'prev_hash does not link to event 3' },
      });
    });

    it('names the event after a deleted middle row', async () => {
      const events = await recordEach(5);
      await behindTheTrigger(`DELETE FROM audit_events WHERE seq = 3`);
      expect(await audit.verify()).toEqual({
        ok: false,
        checked: 2,
        headHash: events[1].hash,
        firstBroken: { seq: '4', reason: 'sequence gap after 2' },
      });
      expect((await audit.verify({ batchSize: 2 })).firstBroken).toEqual({ seq: '4', reason: 'sequence gap after 2' });
    });

    it('names the first event left when the genesis was deleted', async () => {
      await recordEach(3);
      await behindTheTrigger(`DELETE FROM audit_events WHERE seq = 1`);
      expect(await audit.verify()).toEqual({
        ok: false,
        checked: 0,
        headHash: null,
        firstBroken: { seq: '2', reason: 'sequence gap after 0' },
      });
    });

    it('names a row renumbered to close the gap left by a deletion', async () => {
      await recordEach(3);
      await behindTheTrigger(`DELETE FROM audit_events WHERE seq = 2`);
      await behindTheTrigger(`UPDATE audit_events SET seq = 2 WHERE seq = 3`);
      const result = await audit.verify();
      expect(result.firstBroken).toEqual({ seq: '2', reason: 'prev_hash does not link to event 1' });
    });
  });

  describe('append-only trigger', () => {
    it('refuses UPDATE, DELETE and TRUNCATE from plain SQL', async () => {
      await recordEach(2);
      await expect(db.dataSource.query(`UPDATE audit_events SET action = 'x' WHERE seq = 1`)).rejects.toThrow(
        /append-only: UPDATE refused/,
      );
      await expect(db.dataSource.query(`DELETE FROM audit_events WHERE seq = 2`)).rejects.toThrow(/append-only: DELETE refused/);
      await expect(db.dataSource.query(`TRUNCATE audit_events`)).rejects.toThrow(/append-only: TRUNCATE refused/);
      expect((await rows()).map((r) => [r.seq, r.action])).toEqual([
        ['1', 'incident.update'],
        ['2', 'incident.update'],
      ]);
      expect(await audit.verify()).toMatchObject({ ok: true, checked: 2 });
    });

    it('refuses a second event claiming the same seq or the same prev_hash', async () => {
      const [first] = await recordEach(1);
      const insert = (seq: string, prevHash: string, hash: string) =>
        db.dataSource.query(
          `INSERT INTO audit_events (seq, occurred_at, actor_roles, action, entity_type, summary, prev_hash, hash) VALUES ($1, now(), '{}', 'x', 'y', '{}', $2, $3)`,
          [seq, prevHash, hash],
        );
      await expect(insert('1', 'b'.repeat(64), 'c'.repeat(64))).rejects.toThrow(/duplicate key/);
      await expect(insert('2', first.prevHash, 'c'.repeat(64))).rejects.toThrow(/duplicate key/);
    });
  });

  describe('concurrent writers', () => {
    it('serialise 24 concurrent transactions into one unforked chain with consecutive seqs', async () => {
      const results = await Promise.all(
        Array.from({ length: 24 }, (_, i) =>
          db.dataSource.transaction(async (em: EntityManager) => {
            await em.query(`SELECT pg_sleep(0.001)`);
            const ev = await audit.record(em, event(i));
            // Hold the chain lock a little while so that the others really queue behind it.
            await em.query(`SELECT pg_sleep(0.005)`);
            return ev;
          }),
        ),
      );
      const seqs = results.map((e) => Number(e.seq)).sort((a, b) => a - b);
      expect(seqs).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));

      const stored = await rows();
      expect(stored.map((r) => r.seq)).toEqual(seqs.map(String));
      for (let i = 1; i < stored.length; i++) {
        expect(stored[i].prev_hash).toBe(stored[i - 1].hash);
        expect(stored[i].occurred_at.getTime()).toBeGreaterThanOrEqual(stored[i - 1].occurred_at.getTime());
      }
      expect(new Set(stored.map((r) => r.entity_id)).size).toBe(24);
      expect(await audit.verify({ batchSize: 5 })).toEqual({ ok: true, checked: 24, headHash: stored[23].hash, firstBroken: null });
    });
  });

  describe('queued events (append) and the sealer (flush)', () => {
    const pending = async (): Promise<number> => (await db.dataSource.query(`SELECT count(*)::int AS c FROM audit_pending`))[0].c;

    it('queues nothing when the transaction rolls back, and links nothing until flushed', async () => {
      await expect(
        db.dataSource.transaction(async (em) => {
          await audit.append(em, event(1));
          throw new Error('change failed after auditing');
        }),
      ).rejects.toThrow('change failed after auditing');
      expect(await pending()).toBe(0);

      await db.dataSource.transaction((em) => audit.append(em, event(2)));
      expect(await pending()).toBe(1);
      expect(await rows()).toHaveLength(0);
      expect(await audit.flush()).toBe(1);
      expect(await pending()).toBe(0);
      const [row] = await rows();
      expect(row).toMatchObject({ seq: '1', action: 'incident.update', entity_id: 'INC-2', prev_hash: '0'.repeat(64) });
      expect(await audit.verify()).toMatchObject({ ok: true, checked: 1 });
      expect(await audit.flush()).toBe(0);
    });

    it('refuses an entity manager that is not in a transaction, and summaries the database cannot store', async () => {
      await expect(audit.append(db.dataSource.manager, event(1))).rejects.toThrow(/open transaction/);
      // jsonb refuses NUL in text: the change fails with its event, instead of a queued event that can never be sealed.
      await expect(db.dataSource.transaction((em) => audit.append(em, event(1, { detail: { note: 'a\u0000b' } })))).rejects.toThrow();
      expect(await pending()).toBe(0);
    });

    it('keeps the actor, request and time of the moment the event was queued, not of the flush', async () => {
      const user = { id: randomUUID(), username: 'siti', fullName: 'Siti', roles: ['helpdesk'] };
      await requestContext.run({ requestId: 'r-queued', ip: '10.9.8.7', user }, () =>
        db.dataSource.transaction((em) => audit.append(em, event(1))),
      );
      const [queued] = await db.dataSource.query(`SELECT occurred_at FROM audit_pending`);
      await requestContext.runAsSystem('some.job', () => audit.flush());
      const [row] = await rows();
      expect(row).toMatchObject({
        actor_id: user.id,
        actor_name: 'Siti',
        actor_roles: ['helpdesk'],
        request_id: 'r-queued',
        ip: '10.9.8.7',
      });
      expect(row.occurred_at.getTime()).toBe(new Date(queued.occurred_at).getTime());
    });

    it('interleaves with immediately linked events in one unforked chain; verify and list seal what is queued first', async () => {
      await db.dataSource.transaction((em) => audit.append(em, event(1)));
      await db.dataSource.transaction((em) => audit.record(em, event(2)));
      await db.dataSource.transaction((em) => audit.append(em, event(3)));
      // list seals #1 and #3 before it reads: the reader sees every committed event.
      const listed = await audit.list({ page: 1, pageSize: 10 });
      expect(listed.items.map((e) => [e.seq, e.entityId])).toEqual([
        ['3', 'INC-3'],
        ['2', 'INC-1'],
        ['1', 'INC-2'],
      ]);
      await db.dataSource.transaction((em) => audit.append(em, event(4)));
      expect(await audit.verify()).toMatchObject({ ok: true, checked: 4 });
      expect(await pending()).toBe(0);
    });

    it('seals many queued events in batches, and a tampered sealed event is still named', async () => {
      const n = 1100;
      await db.dataSource.transaction(async (em) => {
        for (let i = 0; i < n; i++) await audit.append(em, event(i));
      });
      expect(await audit.flush()).toBe(n);
      const stored = await rows();
      expect(stored.map((r) => Number(r.seq))).toEqual(Array.from({ length: n }, (_, i) => i + 1));
      // Queue order is chain order.
      expect(stored.map((r) => r.entity_id)).toEqual(Array.from({ length: n }, (_, i) => `INC-${i}`));
      expect(await audit.verify({ batchSize: 300 })).toMatchObject({ ok: true, checked: n });
      await behindTheTrigger(`UPDATE audit_events SET summary = jsonb_set(summary, '{after,n}', '7') WHERE seq = 600`);
      expect((await audit.verify()).firstBroken).toEqual({ seq: '600', reason: 'hash mismatch: content changed' });
    });

    it('refuses to edit a queued event', async () => {
      await db.dataSource.transaction((em) => audit.append(em, event(1)));
      await expect(db.dataSource.query(`UPDATE audit_pending SET action = 'forged'`)).rejects.toThrow(/never edited/);
      await audit.flush();
    });

    it('two instances sealing concurrently while writers queue and link: every event exactly once, one chain', async () => {
      const other = await db.openAnother();
      const audit2 = new AuditService(other);
      const writers = Array.from({ length: 30 }, (_, i) =>
        (i % 3 === 0 ? other : db.dataSource).transaction(async (em) => {
          await em.query(`SELECT pg_sleep(0.001)`);
          if (i % 5 === 0) await audit.record(em, event(i));
          else await (i % 2 ? audit : audit2).append(em, event(i));
        }),
      );
      const sealers = Array.from({ length: 8 }, (_, i) => (i % 2 ? audit : audit2).flush());
      await Promise.all([...writers, ...sealers]);
      await Promise.all([audit.flush(), audit2.flush()]);
      const stored = await rows();
      expect(stored.map((r) => Number(r.seq))).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
      expect(stored.map((r) => r.entity_id).sort()).toEqual(Array.from({ length: 30 }, (_, i) => `INC-${i}`).sort());
      for (let i = 1; i < stored.length; i++) expect(stored[i].prev_hash).toBe(stored[i - 1].hash);
      expect(await audit2.verify()).toMatchObject({ ok: true, checked: 30 });
    });
  });

  describe('actor and request from the request context', () => {
    it('takes the user, request id and ip of the request', async () => {
      const user = { id: randomUUID(), username: 'budi', fullName: 'Budi Santoso', roles: ['admin', 'auditor'] };
      const ev = await requestContext.run({ requestId: 'r-1', ip: '10.1.2.3', user }, () =>
        db.dataSource.transaction((em) => audit.record(em, event(1))),
      );
      expect(ev).toMatchObject({
        actorId: user.id,
        actorName: 'Budi Santoso',
        actorRoles: ['admin', 'auditor'],
        requestId: 'r-1',
        ip: '10.1.2.3',
      });
      const [row] = await rows();
      expect(row).toMatchObject({
        actor_id: user.id,
        actor_name: 'Budi Santoso',
        actor_roles: ['admin', 'auditor'],
        request_id: 'r-1',
        ip: '10.1.2.3',
      });
      expect(await audit.verify()).toMatchObject({ ok: true, checked: 1 });
    });

    it('names a job or CLI command as system:<name>', async () => {
      await requestContext.runAsSystem('backup.nightly', () => db.dataSource.transaction((em) => audit.record(em, event(1))));
      const [row] = await rows();
      expect(row.actor_id).toBeNull();
      expect(row.actor_name).toBe('system:backup.nightly');
      expect(row.actor_roles).toEqual([]);
      expect(row.request_id).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('records an anonymous actor when there is no user', async () => {
      await requestContext.run({ requestId: 'r-public' }, () => db.dataSource.transaction((em) => audit.record(em, event(1))));
      await db.dataSource.transaction((em) => audit.record(em, event(2)));
      const [publicForm, noContext] = await rows();
      expect(publicForm).toMatchObject({ actor_id: null, actor_name: null, actor_roles: [], request_id: 'r-public' });
      expect(noContext).toMatchObject({ actor_id: null, actor_name: null, request_id: null, ip: null });
      expect(await audit.verify()).toMatchObject({ ok: true, checked: 2 });
    });
  });

  describe('secrets', () => {
    it('redacts secret-looking keys at any depth, before and after hashing', async () => {
      const ev = await db.dataSource.transaction((em) =>
        audit.record(em, {
          action: 'user.update',
          entityType: 'user',
          entityId: 'u-1',
          before: {
            username: 'budi',
            passwordHash: 'SECRET-HASH-1',
            profile: { nik: '3201011234567890', phone: '0812' },
            sessions: [{ refreshToken: 'SECRET-TOKEN-2', ok: 1 }],
          },
          after: { username: 'budi', password: 'SECRET-PW-3', apiKey: 'SECRET-KEY-4', key: 'SECRET-KEY-5', publicNote: 'keep me' },
          detail: {
            passphrase: 'SECRET-PP-6',
            clientSecret: 'SECRET-7',
            privatePem: 'SECRET-8',
            nested: { deeper: [{ NIK: 'SECRET-9' }] },
            reason: 'typo',
          },
        }),
      );
      const [row] = await rows();
      expect(row.summary).toEqual({
        before: {
          username: 'budi',
          passwordHash: '[REDACTED]',
          profile: { nik: '[REDACTED]', phone: '0812' },
          sessions: [{ refreshToken: '[REDACTED]', ok: 1 }],
        },
        after: { username: 'budi', password: '[REDACTED]', apiKey: '[REDACTED]', key: '[REDACTED]', publicNote: 'keep me' },
        detail: {
          passphrase: '[REDACTED]',
          clientSecret: '[REDACTED]',
          privatePem: '[REDACTED]',
          nested: { deeper: [{ NIK: '[REDACTED]' }] },
          reason: 'typo',
        },
      });
      expect(ev.summary).toEqual(row.summary);
      const everything = JSON.stringify(await db.dataSource.query(`SELECT * FROM audit_events`));
      expect(everything).not.toMatch(/SECRET|3201011234567890/);
      expect(await audit.verify()).toMatchObject({ ok: true, checked: 1 });
    });
  });

  describe('list', () => {
    it('pages newest first, filters, and shows no ip or prev_hash', async () => {
      const alice = { id: randomUUID(), username: 'alice', fullName: 'Alice', roles: ['admin'] };
      await requestContext.run({ requestId: 'r-a', ip: '10.0.0.1', user: alice }, async () => {
        await db.dataSource.transaction((em) => audit.record(em, { action: 'user.create', entityType: 'user', entityId: 'u-1' }));
        await db.dataSource.transaction((em) => audit.record(em, { action: 'user.update', entityType: 'user', entityId: 'u-1' }));
      });
      await recordEach(3);

      const all = await audit.list({ page: 1, pageSize: 2 });
      expect(all.total).toBe(5);
      expect(all.items.map((e) => e.seq)).toEqual(['5', '4']);
      expect((await audit.list({ page: 3, pageSize: 2 })).items.map((e) => e.seq)).toEqual(['1']);

      const byUser = await audit.list({ page: 1, pageSize: 20, entityType: 'user', entityId: 'u-1' });
      expect(byUser.items.map((e) => e.action)).toEqual(['user.update', 'user.create']);
      expect((await audit.list({ page: 1, pageSize: 20, action: 'user.create' })).items.map((e) => e.seq)).toEqual(['1']);
      expect((await audit.list({ page: 1, pageSize: 20, actorId: alice.id })).total).toBe(2);
      expect((await audit.list({ page: 1, pageSize: 20, action: 'nothing.like.this' })).total).toBe(0);

      const [first] = byUser.items.slice(-1);
      expect(Object.keys(first).sort()).toEqual(
        [
          'seq',
          'occurredAt',
          'actorId',
          'actorName',
          'actorRoles',
          'action',
          'entityType',
          'entityId',
          'summary',
          'requestId',
          'hash',
        ].sort(),
      );
      expect(first).toMatchObject({
        seq: '1',
        actorId: alice.id,
        actorName: 'Alice',
        actorRoles: ['admin'],
        requestId: 'r-a',
        summary: {},
      });
      expect(first.occurredAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
    });
  });
});
