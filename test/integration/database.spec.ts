import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

describe('database', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db?.close());

  it('runs the migrations and records them', async () => {
    const rows: { name: string }[] = await db.dataSource.query('SELECT name FROM schema_migrations');
    expect(rows.map((r) => r.name)).toContain('CoreSchema1763800000000');
  });

  it('isolates concurrent transactions on the same database', async () => {
    await db.dataSource.query(`INSERT INTO system_state(key, value) VALUES ('counter', '0'::jsonb)`);
    const bump = () =>
      db.dataSource.transaction(async (em) => {
        const [row] = await em.query(`SELECT value FROM system_state WHERE key = 'counter' FOR UPDATE`);
        await new Promise((r) => setTimeout(r, 5));
        await em.query(`UPDATE system_state SET value = $1::jsonb WHERE key = 'counter'`, [JSON.stringify(Number(row.value) + 1)]);
      });
    await Promise.all(Array.from({ length: 10 }, bump));
    const [row] = await db.dataSource.query(`SELECT value FROM system_state WHERE key = 'counter'`);
    expect(Number(row.value)).toBe(10);
  });

  it('rolls back a failed transaction completely', async () => {
    await expect(
      db.dataSource.transaction(async (em) => {
        await em.query(`INSERT INTO system_state(key, value) VALUES ('rollback-me', '1'::jsonb)`);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const rows = await db.dataSource.query(`SELECT 1 FROM system_state WHERE key = 'rollback-me'`);
    expect(rows).toHaveLength(0);
  });
});

describe('embedded database shared by two data sources', () => {
  it('gives each data source its own transaction, never one interleaved session', async () => {
    const db = await createTestDatabase();
    try {
      const other = await db.openAnother();
      const txids = await Promise.all(
        [db.dataSource, other].map((ds) =>
          ds.transaction(async (em) => {
            const [a] = await em.query('SELECT txid_current() AS id');
            await new Promise((r) => setTimeout(r, 20));
            const [b] = await em.query('SELECT txid_current() AS id');
            expect(b.id).toBe(a.id);
            return String(a.id);
          }),
        ),
      );
      expect(new Set(txids).size).toBe(2);
    } finally {
      await db.close();
    }
  });
});

describe('query results', () => {
  it('answers UPDATE and DELETE with rows and counts as node-postgres does, on both databases', async () => {
    const db = await createTestDatabase();
    try {
      await db.dataSource.query(`INSERT INTO system_state(key, value) VALUES ('a', '1'::jsonb), ('b', '2'::jsonb)`);
      const upd = await db.dataSource.query(`UPDATE system_state SET value = '3'::jsonb WHERE key IN ('a','b') RETURNING key`);
      expect(upd[1]).toBe(2);
      expect((upd[0] as { key: string }[]).map((r) => r.key).sort()).toEqual(['a', 'b']);
      const plain = await db.dataSource.query(`UPDATE system_state SET value = '4'::jsonb WHERE key = 'a'`);
      expect(plain[1]).toBe(1);
      const del = await db.dataSource.query(`DELETE FROM system_state WHERE key = $1`, ['b']);
      expect(del[1]).toBe(1);
    } finally {
      await db.close();
    }
  });
});
