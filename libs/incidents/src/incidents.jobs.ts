import { Injectable } from '@nestjs/common';
import { MINUTE_MS, ScheduledJob } from '@sandi/core';
import { IncidentSlaService } from './incident-sla.service.js';

/** The incidents library's schedules. Bodies only call the service. */
@Injectable()
export class IncidentsJobs {
  constructor(private readonly sla: IncidentSlaService) {}

  /** Warnings, breaches, and the ten-working-day closure / escalation. Every 10 minutes, so a warning is never late by much. */
  @ScheduledJob({ name: 'incidents.sla', cron: '0 */10 * * * *', periodMs: 10 * MINUTE_MS })
  async sweep(): Promise<void> {
    await this.sla.sweep();
  }
}
