import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rate-limit counters shared by every API instance (RATE_LIMIT_STORE=database): one row per
 * bucket and client, keyed by a hash (the client's address is not stored), a fixed window and an
 * optional block. Rows whose window and block have ended are purged hourly.
 */
export class RateLimitCounters1795392000001 implements MigrationInterface {
  name = 'RateLimitCounters1795392000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE UNLOGGED TABLE rate_limit_counters (
        key char(64) PRIMARY KEY,
        hits integer NOT NULL,
        window_ends timestamptz NOT NULL,
        blocked_until timestamptz NULL
      );
      CREATE INDEX rate_limit_counters_expiry ON rate_limit_counters (window_ends);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE rate_limit_counters`);
  }
}
