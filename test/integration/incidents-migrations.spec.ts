import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, usingPostgres, type TestDatabase } from '../support/database.js';

/** The schema changes of the incidents library that carry data over, down and up again. */
describe(`incidents migrations (${usingPostgres() ? 'PostgreSQL' : 'PGlite'})`, () => {
  let db: TestDatabase;
  const q = (sql: string, params: unknown[] = []) => db.dataSource.query(sql, params);
  const exists = async (name: string) => (await q(`SELECT to_regclass($1) IS NOT NULL AS e`, [name]))[0].e as boolean;
  /** Undoes migrations, newest first (later ones of any library included), until `name` is undone too. */
  async function undoThrough(name: string): Promise<void> {
    for (;;) {
      const [last] = await q(`SELECT name FROM schema_migrations ORDER BY timestamp DESC, id DESC LIMIT 1`);
      await db.dataSource.undoLastMigration({ transaction: 'each' });
      if (last.name === name) return;
    }
  }

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db?.close());

  it('turns the per-year counters into sequences that go on from them, and back', async () => {
    // Back to the first release of the incidents schema.
    await undoThrough('IncidentTicketSequences1765152000000');
    expect(await exists('incident_ticket_counters')).toBe(true);
    expect(await exists('incident_monthly_report_mailings')).toBe(false);
    expect(
      await q(
        `SELECT column_name FROM information_schema.columns WHERE table_name = 'incidents' AND column_name = 'reporter_phone_sealed'`,
      ),
    ).toEqual([]);

    await q(`INSERT INTO incident_ticket_counters (year, last_value) VALUES (2026, 41), (2027, 999999)`);
    await db.dataSource.runMigrations({ transaction: 'each' });

    expect(await exists('incident_ticket_counters')).toBe(false);
    expect(Number((await q(`SELECT nextval('incident_ticket_seq_2026') AS n`))[0].n)).toBe(42);
    // A year whose ticket space is used up stays used up.
    await expect(q(`SELECT nextval('incident_ticket_seq_2027')`)).rejects.toThrow(/maximum value/);

    // And down once more: the sequences' positions become counter rows again.
    await undoThrough('IncidentTicketSequences1765152000000');
    expect(await q(`SELECT year, last_value FROM incident_ticket_counters ORDER BY year`)).toEqual([
      { year: 2026, last_value: 42 },
      { year: 2027, last_value: 999999 },
    ]);
    expect(await exists('incident_ticket_seq_2026')).toBe(false);
    await db.dataSource.runMigrations({ transaction: 'each' });
    expect(Number((await q(`SELECT nextval('incident_ticket_seq_2026') AS n`))[0].n)).toBe(43);
  });
});
