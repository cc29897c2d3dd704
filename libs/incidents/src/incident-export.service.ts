import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService, CalendarService, CommonException, ConfigService, NotifyService, requestContext, type MailLocale } from '@sandi/core';
import type { IncidentMetricsDto } from './dto/metrics.dto.js';
import type { CsvQueryDto, MetricsQueryDto, MonthlyReportQueryDto } from './dto/query.dto.js';
import { csvDocument, type CsvCell } from './csv.util.js';
import { incidentMetrics, type MetricsRow } from './incident-metrics.js';
import { renderIncidentReport, renderMonthlyReport } from './incident-pdf.js';
import { IncidentErrorCode, IncidentException } from './incident.exception.js';
import { IncidentRepository } from './incident.repository.js';
import { IncidentService, staffActor, type StaffUser } from './incident.service.js';
import { buildStixBundle, type StixBundle } from './stix.export.js';
import { monthlyReportDue, monthLabel, officeMonthBounds } from './monthly-report.policy.js';
import { categoryLabel } from './taxonomy.js';
import { TLP_DISCLOSURE } from './tlp.js';
import type { IncidentState } from './incident.workflow.js';

/** Most rows in one CSV export; a longer period is exported in parts. */
export const CSV_MAX_ROWS = 50_000;
/** Longest metrics period. */
const METRICS_MAX_DAYS = 400;

interface ExportRow {
  id: string;
  ticket: string;
  status: string;
  source: string;
  title: string;
  category_code: string;
  impact: string;
  urgency: string;
  priority: string;
  tlp: keyof typeof TLP_DISCLOSURE;
  opd_unit_id: string | null;
  unit_name: string | null;
  reported_at: Date;
  validated_at: Date | null;
  recommended_at: Date | null;
  resolved_at: Date | null;
  closed_at: Date | null;
  rejected_at: Date | null;
  recommendation_due_at: Date;
  resolution_due_at: Date;
  closure_due_at: Date;
  sla_breaches: string[];
  escalated_at: Date | null;
}

const CSV_HEADER = [
  'ticket',
  'status',
  'source',
  'reported_at',
  'category',
  'category_label',
  'impact',
  'urgency',
  'priority',
  'tlp',
  'opd_unit',
  'title',
  'validated_at',
  'recommended_at',
  'resolved_at',
  'closed_at',
  'recommendation_due_at',
  'resolution_due_at',
  'closure_due_at',
  'sla_breaches',
  'escalated_at',
];

export interface MonthlyMailResult {
  month: string;
  status: 'not_due' | 'already_mailed' | 'mailed';
  recipients: number;
}

/** Exports that leave the platform (STIX bundles, CSV files) and the figures for reporting. Exports are audited. */
@Injectable()
export class IncidentExportService {
  private readonly logger = new Logger(IncidentExportService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly repo: IncidentRepository,
    private readonly incidents: IncidentService,
    private readonly audit: AuditService,
    private readonly config: ConfigService,
    private readonly notify: NotifyService,
    private readonly calendars: CalendarService,
  ) {}

  /** A STIX 2.1 bundle for another CSIRT, as far as the incident's TLP allows; recorded as a disclosure. */
  async stix(id: string, user: StaffUser, now = new Date()): Promise<{ ticket: string; bundle: StixBundle }> {
    const incident = await this.repo.findById(id);
    if (!incident) throw IncidentException.notFound(id);
    const policy = TLP_DISCLOSURE[incident.tlp].stixExport;
    if (policy === 'refused') {
      throw new IncidentException(
        IncidentErrorCode.TlpForbidsExport,
        'Insiden berlabel TLP:RED tidak boleh diekspor (TLP:RED forbids export)',
        { tlp: incident.tlp },
      );
    }
    const observables = await this.repo.observables(id);
    const host = new URL(this.config.get('PUBLIC_URL')).host;
    const bundle = buildStixBundle(
      incident,
      observables.map((o) => ({ type: o.type, value: o.value, createdAt: o.createdAt })),
      { name: `Sandi SOC (${host})`, key: this.config.get('PUBLIC_URL') },
    );
    await this.dataSource.transaction(async (em) => {
      const detail = { format: 'stix-2.1', tlp: incident.tlp, scope: policy, objects: bundle.objects.length, bundleId: bundle.id };
      await this.incidents.addTimeline(em, id, now, staffActor(user), { kind: 'stix_exported', detail });
      await this.audit.record(em, {
        action: 'incident.stix_exported',
        entityType: 'incident',
        entityId: id,
        detail: { ticket: incident.ticket, ...detail },
      });
    });
    return { ticket: incident.ticket, bundle };
  }

  /** Incidents reported in [from, to) as CSV, without personal data of reporters; TLP:RED titles withheld. */
  async csv(q: CsvQueryDto): Promise<{ text: string; rows: number }> {
    const from = q.from ? new Date(q.from) : null;
    const to = q.to ? new Date(q.to) : null;
    if (from && to && from >= to) throw CommonException.validation([{ field: 'to', message: 'harus setelah from (must be after from)' }]);
    const rows = await this.rows(from, to, CSV_MAX_ROWS + 1);
    if (rows.length > CSV_MAX_ROWS) {
      throw CommonException.validation([
        { field: 'from', message: `lebih dari ${CSV_MAX_ROWS} insiden; persempit periode (narrow the period)` },
      ]);
    }
    const cells: CsvCell[][] = rows.map((r) => [
      r.ticket,
      r.status,
      r.source,
      r.reported_at,
      r.category_code,
      categoryLabel(r.category_code).en,
      r.impact,
      r.urgency,
      r.priority,
      r.tlp,
      r.unit_name,
      TLP_DISCLOSURE[r.tlp].csvShowsTitle ? r.title : '[TLP:RED]',
      r.validated_at,
      r.recommended_at,
      r.resolved_at,
      r.closed_at,
      r.recommendation_due_at,
      r.resolution_due_at,
      r.closure_due_at,
      (r.sla_breaches ?? []).join(' '),
      r.escalated_at,
    ]);
    await this.dataSource.transaction((em) =>
      this.audit.record(em, {
        action: 'incident.csv_exported',
        entityType: 'incident',
        detail: { from: q.from ?? null, to: q.to ?? null, rows: rows.length },
      }),
    );
    return { text: csvDocument(CSV_HEADER, cells), rows: rows.length };
  }

  async metrics(q: MetricsQueryDto, now = new Date()): Promise<IncidentMetricsDto> {
    const from = new Date(q.from);
    const to = new Date(q.to);
    if (from >= to) throw CommonException.validation([{ field: 'to', message: 'harus setelah from (must be after from)' }]);
    if (to.getTime() - from.getTime() > METRICS_MAX_DAYS * 86_400_000) {
      throw CommonException.validation([{ field: 'to', message: `periode paling lama ${METRICS_MAX_DAYS} hari (period too long)` }]);
    }
    const rows = await this.rows(from, to);
    const metricsRows = rows.map(metricsRowOf);
    return { from: from.toISOString(), to: to.toISOString(), ...incidentMetrics(metricsRows, now) };
  }

  /** The printable report of one incident; printing is recorded in the audit trail. */
  async incidentReport(id: string, user: StaffUser, now = new Date()): Promise<{ ticket: string; pdf: Buffer }> {
    const d = await this.incidents.detail(id, user, now);
    const pdf = await renderIncidentReport(
      { ...d, milestones: { ...d.milestones }, sla: d.sla },
      { office: this.office(), generatedAt: now, generatedBy: user.fullName },
    );
    await this.dataSource.transaction((em) =>
      this.audit.record(em, {
        action: 'incident.report_printed',
        entityType: 'incident',
        entityId: id,
        detail: { ticket: d.ticket, tlp: d.tlp, bytes: pdf.length },
      }),
    );
    return { ticket: d.ticket, pdf };
  }

  /** The monthly report for the head of the office: figures and the list of the month's incidents. */
  async monthlyReport(q: MonthlyReportQueryDto, user: StaffUser, now = new Date()): Promise<Buffer> {
    // Office time is WIB (UTC+7, no daylight saving): the month runs from local midnight to local midnight.
    const { from, to } = officeMonthBounds(q.month);
    const rows = await this.rows(from, to);
    const metrics = incidentMetrics(rows.map(metricsRowOf), now);
    const pdf = await renderMonthlyReport(
      q.month,
      metrics,
      rows.map((r) => ({
        ticket: r.ticket,
        reportedAt: new Date(r.reported_at),
        category: r.category_code,
        priority: r.priority,
        status: r.status as IncidentState,
        title: r.title,
        tlp: r.tlp,
        opdUnitName: r.unit_name,
      })),
      { office: this.office(), generatedAt: now, generatedBy: user.fullName },
    );
    await this.dataSource.transaction((em) =>
      this.audit.record(em, {
        action: 'incident.monthly_report_printed',
        entityType: 'incident',
        detail: { month: q.month, incidents: rows.length },
      }),
    );
    return pdf;
  }

  /**
   * The monthly notice: from the first working day of a month on, the previous month's report is
   * announced once (with its headline figures and a link to the staff page that downloads the PDF;
   * the mail outbox carries no attachments) to INCIDENT_MONTHLY_REPORT_RECIPIENTS, or else to every
   * active admin. The month is recorded in the same transaction as the mail: exactly once, across
   * instances and retries; a day the job missed is caught up by the next run.
   */
  async mailMonthlyReport(now = new Date()): Promise<MonthlyMailResult> {
    const run = () => this.mailMonthlyReportAt(now);
    return requestContext.get() ? run() : requestContext.runAsSystem('incidents.monthly_report_mail', run);
  }

  private async mailMonthlyReportAt(now: Date): Promise<MonthlyMailResult> {
    const { month, due } = monthlyReportDue(this.calendars.calendar, now);
    if (!due) return { month, status: 'not_due', recipients: 0 };
    const [done]: unknown[] = await this.dataSource.query(`SELECT 1 FROM incident_monthly_report_mailings WHERE month = $1`, [month]);
    if (done) return { month, status: 'already_mailed', recipients: 0 };

    const { from, to } = officeMonthBounds(month);
    const rows = await this.rows(from, to);
    const metrics = incidentMetrics(rows.map(metricsRowOf), now);
    const resolved = rows.filter((r) => r.resolved_at).length;
    const closed = rows.filter((r) => r.closed_at).length;
    const compliance = metrics.slaCompliance.resolution.percent;
    const vars = (locale: MailLocale) => ({
      month: monthLabel(month, locale),
      monthKey: month,
      reported: String(metrics.total),
      resolved: String(resolved),
      closed: String(closed),
      compliance:
        compliance === null
          ? locale === 'id'
            ? 'belum dapat diukur'
            : 'not measurable yet'
          : `${new Intl.NumberFormat(locale === 'id' ? 'id-ID' : 'en-GB', { maximumFractionDigits: 1 }).format(compliance)} %`,
    });
    const configured = this.config.get('INCIDENT_MONTHLY_REPORT_RECIPIENTS') ?? [];

    const result = await this.dataSource.transaction(async (em): Promise<MonthlyMailResult> => {
      const claimed: unknown[] = await em.query(
        `INSERT INTO incident_monthly_report_mailings (month, mailed_at, recipients, incidents) VALUES ($1, $2, 0, $3)
         ON CONFLICT (month) DO NOTHING RETURNING month`,
        [month, now, metrics.total],
      );
      if (!claimed.length) return { month, status: 'already_mailed', recipients: 0 };
      let recipients: number;
      if (configured.length) {
        for (const to of configured)
          await this.notify.enqueue(em, { to, template: 'incidents.monthly_report', locale: 'id', vars: vars('id') });
        recipients = configured.length;
      } else {
        recipients = await this.notify.enqueueForRole(em, 'admin', 'incidents.monthly_report', vars);
      }
      await em.query(`UPDATE incident_monthly_report_mailings SET recipients = $2 WHERE month = $1`, [month, recipients]);
      await this.audit.record(em, {
        action: 'incident.monthly_report_mailed',
        entityType: 'incident',
        detail: { month, incidents: metrics.total, recipients, to: configured.length ? 'configured' : 'admin' },
      });
      return { month, status: 'mailed', recipients };
    });
    if (result.status === 'mailed' && result.recipients === 0) {
      this.logger.warn(`Monthly SOC report of ${month}: nobody to mail (no INCIDENT_MONTHLY_REPORT_RECIPIENTS and no active admin)`);
    }
    return result;
  }

  private office(): string {
    return `Sandi SOC (${new URL(this.config.get('PUBLIC_URL')).host})`;
  }

  private rows(from: Date | null, to: Date | null, limit?: number): Promise<ExportRow[]> {
    return this.dataSource.query(
      `SELECT i.id, i.ticket, i.status, i.source, i.title, i.category_code, i.impact, i.urgency, i.priority, i.tlp,
              i.opd_unit_id, u.name AS unit_name, i.reported_at, i.validated_at, i.recommended_at, i.resolved_at,
              i.closed_at, i.rejected_at, i.recommendation_due_at, i.resolution_due_at, i.closure_due_at,
              i.sla_breaches, i.escalated_at
         FROM incidents i LEFT JOIN org_units u ON u.id = i.opd_unit_id
        WHERE ($1::timestamptz IS NULL OR i.reported_at >= $1) AND ($2::timestamptz IS NULL OR i.reported_at < $2)
        ORDER BY i.reported_at, i.ticket
        LIMIT $3`,
      [from, to, limit ?? null],
    );
  }
}

const date = (d: Date | string | null): Date | null => (d ? new Date(d) : null);

function metricsRowOf(r: ExportRow): MetricsRow {
  return {
    status: r.status,
    categoryCode: r.category_code,
    priority: r.priority,
    opdUnitId: r.opd_unit_id,
    opdUnitName: r.unit_name,
    reportedAt: new Date(r.reported_at),
    validatedAt: date(r.validated_at),
    recommendedAt: date(r.recommended_at),
    resolvedAt: date(r.resolved_at),
    closedAt: date(r.closed_at),
    rejectedAt: date(r.rejected_at),
    recommendationDueAt: new Date(r.recommendation_due_at),
    resolutionDueAt: new Date(r.resolution_due_at),
    closureDueAt: new Date(r.closure_due_at),
  };
}
