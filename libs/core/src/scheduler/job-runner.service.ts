import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ConfigService } from '../config/config.service.js';
import { requestContext } from '../context/request-context.js';
import { offsetOf, pageOf, type Page } from '../http/pagination.js';
import type { JobRunDto } from './dto/job-run.dto.js';
import type { JobRunStatus } from './job-run.entity.js';
import type { JobContext } from './scheduled-job.decorator.js';

/** A run still 'running' after this long is taken for dead (its instance stopped) and no longer blocks the job. */
export const JOB_LEASE_MS = 30 * 60 * 1000;
const ERROR_MAX = 2000;

export type JobOutcome = 'ran' | 'skipped';

interface JobRunRow {
  id: string;
  job: string;
  slot: Date;
  instance: string;
  status: JobRunStatus;
  started_at: Date;
  finished_at: Date | null;
  error: string | null;
}

function errorText(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return text.length > ERROR_MAX ? `${text.slice(0, ERROR_MAX - 1)}…` : text;
}

const iso = (d: Date | string) => new Date(d).toISOString();

/** Runs a job slot at most once across all instances and records the run in job_runs. */
@Injectable()
export class JobRunner {
  private readonly logger = new Logger(JobRunner.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: ConfigService,
  ) {}

  get instance(): string {
    return this.config.instanceId;
  }

  /**
   * Claims (job, slot) in one short transaction: the per-job advisory lock (another instance is
   * claiming: skip), no run of this job still within its lease (no overlap: skip), and the job_runs
   * row (already run for this slot: skip). Then runs `fn` outside any transaction as system actor
   * `job:<name>` and records succeeded or failed. A failing `fn` is logged and recorded, never
   * thrown; only a database failure while claiming or recording propagates.
   */
  async runExclusive(
    job: string,
    slot: Date,
    fn: (ctx: JobContext) => Promise<void>,
    options: { leaseMs?: number } = {},
  ): Promise<JobOutcome> {
    const runId = await this.claim(job, slot, options.leaseMs ?? JOB_LEASE_MS);
    if (!runId) {
      this.logger.debug(`Job ${job} slot ${slot.toISOString()}: skipped on ${this.instance}`);
      return 'skipped';
    }
    const ctx: JobContext = { job, slot, instance: this.instance };
    let error: string | null = null;
    const started = Date.now();
    try {
      await requestContext.runAsSystem(`job:${job}`, () => fn(ctx));
    } catch (err) {
      error = errorText(err);
      this.logger.error(`Job ${job} slot ${slot.toISOString()} failed: ${error}`, err instanceof Error ? err.stack : undefined);
    }
    await this.dataSource.query(
      `WITH u AS (UPDATE job_runs SET status = $2, finished_at = now(), error = $3 WHERE id = $1 RETURNING 1) SELECT count(*)::int AS n FROM u`,
      [runId, error === null ? 'succeeded' : 'failed', error],
    );
    if (error === null) this.logger.log(`Job ${job} slot ${slot.toISOString()} succeeded in ${Date.now() - started} ms`);
    return 'ran';
  }

  private claim(job: string, slot: Date, leaseMs: number): Promise<string | null> {
    return this.dataSource.transaction(async (em) => {
      const [lock] = (await em.query(`SELECT pg_try_advisory_xact_lock(hashtext('sandi.job:' || $1::text)) AS locked`, [job])) as {
        locked: boolean;
      }[];
      if (!lock?.locked) return null;
      // A run left 'running' past its lease belongs to an instance that stopped: close it so the history is true.
      await em.query(
        `WITH u AS (
           UPDATE job_runs SET status = 'failed', finished_at = now(), error = 'abandoned: no result within the lease (instance stopped?)'
           WHERE job = $1 AND status = 'running' AND started_at <= now() - make_interval(secs => $2::double precision)
           RETURNING 1
         ) SELECT count(*)::int AS n FROM u`,
        [job, leaseMs / 1000],
      );
      const running = (await em.query(`SELECT 1 FROM job_runs WHERE job = $1 AND status = 'running' LIMIT 1`, [job])) as unknown[];
      if (running.length > 0) return null;
      const inserted = (await em.query(
        `INSERT INTO job_runs (job, slot, instance, status, started_at) VALUES ($1, $2, $3, 'running', now())
         ON CONFLICT (job, slot) DO NOTHING RETURNING id`,
        [job, slot, this.instance],
      )) as { id: string }[];
      return inserted[0]?.id ?? null;
    });
  }

  /** Run history for the jobs page, newest first. */
  async listRuns(q: { page: number; pageSize: number; job?: string }): Promise<Page<JobRunDto>> {
    const where = q.job ? 'WHERE job = $1' : '';
    const params = q.job ? [q.job] : [];
    const n = params.length;
    const [rows, [count]] = await Promise.all([
      this.dataSource.query(
        `SELECT id, job, slot, instance, status, started_at, finished_at, error FROM job_runs ${where}
         ORDER BY started_at DESC, id DESC LIMIT $${n + 1} OFFSET $${n + 2}`,
        [...params, q.pageSize, offsetOf(q)],
      ) as Promise<JobRunRow[]>,
      this.dataSource.query(`SELECT count(*)::int AS total FROM job_runs ${where}`, params) as Promise<{ total: number }[]>,
    ]);
    return pageOf(
      rows.map((r) => ({
        id: r.id,
        job: r.job,
        slot: iso(r.slot),
        instance: r.instance,
        status: r.status,
        startedAt: iso(r.started_at),
        finishedAt: r.finished_at ? iso(r.finished_at) : null,
        error: r.error,
      })),
      count?.total ?? 0,
      q,
    );
  }
}
