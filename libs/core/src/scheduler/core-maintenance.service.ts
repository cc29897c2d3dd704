import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';

export const SESSION_RETENTION_DAYS = 30;
export const JOB_RUN_RETENTION_DAYS = 90;

/** Housekeeping of core tables, called by the core jobs. */
@Injectable()
export class CoreMaintenanceService {
  private readonly logger = new Logger(CoreMaintenanceService.name);

  constructor(private readonly dataSource: DataSource) {}

  /** Deletes sessions that expired, or were revoked, more than 30 days ago. Returns how many. */
  async purgeSessions(): Promise<number> {
    const n = await this.deleteCounting(
      `DELETE FROM auth_sessions
       WHERE expires_at < now() - make_interval(days => $1) OR revoked_at < now() - make_interval(days => $1)`,
      [SESSION_RETENTION_DAYS],
    );
    if (n > 0) this.logger.log(`Purged ${n} old sessions`);
    return n;
  }

  /** Deletes job-run records started more than 90 days ago. Returns how many. */
  async purgeJobRuns(): Promise<number> {
    const n = await this.deleteCounting(`DELETE FROM job_runs WHERE started_at < now() - make_interval(days => $1)`, [
      JOB_RUN_RETENTION_DAYS,
    ]);
    if (n > 0) this.logger.log(`Purged ${n} old job runs`);
    return n;
  }

  /** Deletes rate-limit counters whose window and block have both ended. Returns how many. */
  async purgeRateLimits(): Promise<number> {
    return this.deleteCounting(
      `DELETE FROM rate_limit_counters WHERE window_ends < now() AND (blocked_until IS NULL OR blocked_until < now())`,
      [],
    );
  }

  private async deleteCounting(sql: string, params: unknown[]): Promise<number> {
    const [row] = (await this.dataSource.query(`WITH d AS (${sql} RETURNING 1) SELECT count(*)::int AS n FROM d`, params)) as {
      n: number;
    }[];
    return row?.n ?? 0;
  }
}
