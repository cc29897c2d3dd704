import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { CoreJobs } from './core.jobs.js';
import { CoreMaintenanceService } from './core-maintenance.service.js';
import { JobRegistry } from './job-registry.service.js';
import { JobRunner } from './job-runner.service.js';
import { JobsController } from './jobs.controller.js';

/**
 * Scheduled jobs that run once across instances. Import once (in the core module); any provider in
 * the application declares jobs with `@ScheduledJob` and JobRegistry finds them. Needs DataSource
 * and ConfigService from the application (global providers).
 */
@Module({
  imports: [ScheduleModule.forRoot(), DiscoveryModule],
  controllers: [JobsController],
  providers: [JobRunner, JobRegistry, CoreMaintenanceService, CoreJobs],
  exports: [JobRunner, JobRegistry],
})
export class SchedulerModule {}
