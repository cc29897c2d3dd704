import { Injectable } from '@nestjs/common';
import { CoreMaintenanceService } from './core-maintenance.service.js';
import { DAY_MS, HOUR_MS } from './job-slot.util.js';
import { ScheduledJob } from './scheduled-job.decorator.js';

/** The core library's schedules. Bodies only call the service. */
@Injectable()
export class CoreJobs {
  constructor(private readonly maintenance: CoreMaintenanceService) {}

  @ScheduledJob({ name: 'auth.sessions.purge', cron: '0 7 * * * *', periodMs: HOUR_MS })
  async purgeSessions(): Promise<void> {
    await this.maintenance.purgeSessions();
  }

  @ScheduledJob({ name: 'rate_limits.purge', cron: '0 37 * * * *', periodMs: HOUR_MS })
  async purgeRateLimits(): Promise<void> {
    await this.maintenance.purgeRateLimits();
  }

  @ScheduledJob({ name: 'job_runs.purge', cron: '0 17 3 * * *', periodMs: DAY_MS })
  async purgeJobRuns(): Promise<void> {
    await this.maintenance.purgeJobRuns();
  }
}
