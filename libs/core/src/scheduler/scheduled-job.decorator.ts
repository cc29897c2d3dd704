import { SetMetadata } from '@nestjs/common';
import type { ConfigService } from '../config/config.service.js';

export interface ScheduledJobOptions {
  /** Unique job name, e.g. 'auth.sessions.purge' (job_runs.job, the advisory-lock key). */
  name: string;
  /** Cron expression (5 fields, or 6 with seconds first), in `timeZone` or the server's zone. */
  cron: string;
  /** Slot size: at most one run per period across all instances. Usually the cron's period. */
  periodMs: number;
  timeZone?: string;
  /** Extra gate beside SCHEDULER_ENABLED, e.g. `(c) => c.get('BACKUP_ENABLED')`. */
  enabled?: (config: ConfigService) => boolean;
}

/** What a job method receives. */
export interface JobContext {
  job: string;
  slot: Date;
  instance: string;
}

export const SCHEDULED_JOB = 'sandi:scheduled-job';

/**
 * Marks a method of a provider (by convention in the module's `*.jobs.ts`) as a scheduled job.
 * The method should call a service and return a promise; it runs once per slot across all
 * instances, as a system actor, and each run is recorded in job_runs.
 *
 *   @Injectable()
 *   export class BackupJobs {
 *     constructor(private readonly backups: BackupService) {}
 *     @ScheduledJob({ name: 'backups.incremental', cron: '0 30 1 * * *', periodMs: DAY_MS })
 *     incremental(ctx: JobContext) { return this.backups.runIncremental(ctx.slot); }
 *   }
 */
export function ScheduledJob(options: ScheduledJobOptions): MethodDecorator {
  if (!/^[a-z0-9][a-z0-9._-]{0,99}$/.test(options.name)) throw new Error(`Invalid job name '${options.name}'`);
  if (!(options.periodMs > 0)) throw new Error(`Job ${options.name}: periodMs must be positive`);
  return SetMetadata(SCHEDULED_JOB, options);
}
