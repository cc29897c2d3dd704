import { Injectable } from '@nestjs/common';
import { DAY_MS, HOUR_MS, MINUTE_MS, ScheduledJob } from '@sandi/core';
import { IncidentExportService } from './incident-export.service.js';
import { IncidentSlaService } from './incident-sla.service.js';
import { IncidentService } from './incident.service.js';

/** The incidents library's schedules. Bodies only call the service. */
@Injectable()
export class IncidentsJobs {
  constructor(
    private readonly sla: IncidentSlaService,
    private readonly incidents: IncidentService,
    private readonly exports: IncidentExportService,
  ) {}

  /** Warnings, breaches, and the ten-working-day closure / escalation. Every 10 minutes, so a warning is never late by much. */
  @ScheduledJob({ name: 'incidents.sla', cron: '0 */10 * * * *', periodMs: 10 * MINUTE_MS })
  async sweep(): Promise<void> {
    await this.sla.sweep();
  }

  /** Backfill of encryption at rest: seals phone numbers stored in clear before it. Hourly; a no-op once done. */
  @ScheduledJob({ name: 'incidents.seal_legacy_phones', cron: '0 23 * * * *', periodMs: HOUR_MS })
  async sealLegacyPhones(): Promise<void> {
    await this.incidents.sealLegacyPhones();
  }

  /** Evidence a crash left in staging: promoted when a record points at it, otherwise dropped. */
  @ScheduledJob({ name: 'incidents.staged_evidence_sweep', cron: '0 41 * * * *', periodMs: HOUR_MS })
  async sweepStagedEvidence(): Promise<void> {
    await this.incidents.sweepStagedEvidence();
  }

  /**
   * The monthly report notice of the previous month, on the first working day of the month (office
   * time). Runs every morning; the service mails only when due and only once per month.
   */
  @ScheduledJob({ name: 'incidents.monthly_report_mail', cron: '0 0 8 * * *', periodMs: DAY_MS, timeZone: 'Asia/Jakarta' })
  async mailMonthlyReport(): Promise<void> {
    await this.exports.mailMonthlyReport();
  }
}
