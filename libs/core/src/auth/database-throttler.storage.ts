import { createHash } from 'node:crypto';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { DataSource } from 'typeorm';

interface ThrottlerStorageRecord {
  totalHits: number;
  timeToExpire: number;
  isBlocked: boolean;
  timeToBlockExpire: number;
}

/**
 * Rate-limit counters in PostgreSQL, so that every API instance behind the load balancer draws on
 * one budget per client and bucket (the in-memory store gives each instance its own). One
 * statement per request: a fixed window that restarts once it has ended, and a block of
 * `blockDuration` set by the hit that goes over the limit. The key is hashed: client addresses are
 * not stored. Counting failures fail the request (the caller's 500), never let it through unlimited.
 */
export class DatabaseThrottlerStorage implements ThrottlerStorage {
  constructor(private readonly dataSource: DataSource) {}

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    const hashed = createHash('sha256').update(`${throttlerName}\0${key}`).digest('hex');
    const rows = (await this.dataSource.query(
      `INSERT INTO rate_limit_counters AS c (key, hits, window_ends, blocked_until)
         VALUES ($1, 1, clock_timestamp() + make_interval(secs => $2::double precision / 1000), NULL)
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE WHEN c.window_ends <= clock_timestamp() THEN 1 ELSE c.hits + 1 END,
         window_ends = CASE WHEN c.window_ends <= clock_timestamp() THEN EXCLUDED.window_ends ELSE c.window_ends END,
         blocked_until = CASE
           WHEN c.blocked_until > clock_timestamp() THEN c.blocked_until
           WHEN c.window_ends > clock_timestamp() AND c.hits + 1 > $3 THEN clock_timestamp() + make_interval(secs => $4::double precision / 1000)
           ELSE NULL END
       RETURNING hits,
         GREATEST(0, ceil(extract(epoch FROM window_ends - clock_timestamp())))::int AS ttl_left,
         GREATEST(0, ceil(extract(epoch FROM coalesce(blocked_until, clock_timestamp()) - clock_timestamp())))::int AS block_left`,
      [hashed, ttl, limit, blockDuration],
    )) as Array<{ hits: number; ttl_left: number; block_left: number }>;
    const r = rows[0]!;
    // First hit over the limit in a fresh row (limit 0 never happens: config requires ≥ 1).
    const isBlocked = r.block_left > 0;
    return { totalHits: r.hits, timeToExpire: r.ttl_left, isBlocked, timeToBlockExpire: r.block_left };
  }
}
