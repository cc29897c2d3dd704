import type {
  CorrelatedIncidentDto,
  EvidenceDto,
  IncidentDetailDto,
  IncidentSummaryDto,
  TimelineEntryDto,
  TrackingDto,
} from './dto/views.dto.js';
import type { IncidentCoordinationEntity } from './entities/incident-coordination.entity.js';
import type { IncidentEvidenceEntity } from './entities/incident-evidence.entity.js';
import type { IncidentObservableEntity } from './entities/incident-observable.entity.js';
import type { IncidentTimelineEntity } from './entities/incident-timeline.entity.js';
import type { IncidentEntity } from './entities/incident.entity.js';
import { isOverdue, nextDue, slaClocks, type SlaFacts } from './incident-sla.policy.js';
import type { CorrelationRow, IncidentNames } from './incident.repository.js';
import type { ActionForm } from './action-form.js';
import { STATE_LABELS, TEAM_OF_STATE } from './incident.workflow.js';
import { SLA_WARNING_HOURS } from './priority.policy.js';
import { categoryLabel } from './taxonomy.js';
import { TLP_DISCLOSURE } from './tlp.js';

const iso = (d: Date | null | undefined): string | null => (d ? new Date(d).toISOString() : null);
const isoReq = (d: Date): string => new Date(d).toISOString();

export function slaFactsOf(i: IncidentEntity): SlaFacts {
  return {
    status: i.status,
    slaStartedAt: i.slaStartedAt,
    recommendationDueAt: i.recommendationDueAt,
    resolutionDueAt: i.resolutionDueAt,
    closureDueAt: i.closureDueAt,
    recommendedAt: i.recommendedAt,
    resolvedAt: i.resolvedAt,
    closedAt: i.closedAt,
    rejectedAt: i.rejectedAt,
    slaBreaches: i.slaBreaches ?? [],
    slaWarningsSent: i.slaWarningsSent ?? [],
    escalatedAt: i.escalatedAt,
  };
}

export function summaryView(i: IncidentEntity, names: IncidentNames, now: Date): IncidentSummaryDto {
  const label = categoryLabel(i.categoryCode);
  const next = nextDue(slaFactsOf(i), now, SLA_WARNING_HOURS * 3600_000);
  return {
    id: i.id,
    ticket: i.ticket,
    status: i.status,
    team: TEAM_OF_STATE[i.status],
    source: i.source,
    title: i.title,
    category: i.categoryCode,
    categoryLabel: { id: label.id, en: label.en },
    impact: i.impact,
    urgency: i.urgency,
    priority: i.priority,
    tlp: i.tlp,
    opdUnitId: i.opdUnitId,
    opdUnitName: names.unitName,
    reporterName: i.reporterName,
    reporterOrganisation: i.reporterOrganisation,
    reportedAt: isoReq(i.reportedAt),
    recommendationDueAt: isoReq(i.recommendationDueAt),
    resolutionDueAt: isoReq(i.resolutionDueAt),
    closureDueAt: isoReq(i.closureDueAt),
    overdue: isOverdue(slaFactsOf(i), now),
    nextDue: next ? { target: next.target, team: next.team, dueAt: isoReq(next.dueAt), status: next.status } : null,
    slaBreaches: i.slaBreaches ?? [],
    escalatedAt: iso(i.escalatedAt),
    assignees: names.assignees,
    updatedAt: isoReq(i.updatedAt),
  };
}

export function timelineView(t: IncidentTimelineEntity): TimelineEntryDto {
  return {
    id: String(t.id),
    at: isoReq(t.at),
    kind: t.kind,
    fromStatus: t.fromStatus,
    toStatus: t.toStatus,
    actorKind: t.actorKind,
    actorName: t.actorName,
    body: t.body,
    detail: t.detail ?? {},
    visibleToReporter: t.visibleToReporter,
  };
}

export function evidenceView(e: IncidentEvidenceEntity, names: Map<string, string>): EvidenceDto {
  return {
    id: e.id,
    sha256: e.sha256,
    size: Number(e.size),
    fileName: e.fileName,
    contentType: e.contentType,
    uploader: e.uploader,
    uploadedByName: e.uploadedBy ? (names.get(e.uploadedBy) ?? null) : null,
    uploadedAt: isoReq(e.uploadedAt),
  };
}

export function correlatedView(rows: CorrelationRow[]): CorrelatedIncidentDto[] {
  const byIncident = new Map<string, CorrelatedIncidentDto>();
  for (const r of rows) {
    let entry = byIncident.get(r.incidentId);
    if (!entry) {
      entry = { id: r.incidentId, ticket: r.ticket, status: r.status, title: r.title, reportedAt: isoReq(r.reportedAt), shared: [] };
      byIncident.set(r.incidentId, entry);
    }
    entry.shared.push({ type: r.type, value: r.value });
  }
  return [...byIncident.values()];
}

export interface DetailParts {
  names: IncidentNames;
  timeline: IncidentTimelineEntity[];
  evidence: IncidentEvidenceEntity[];
  observables: IncidentObservableEntity[];
  coordinations: IncidentCoordinationEntity[];
  correlated: CorrelationRow[];
  userNames: Map<string, string>;
  /** Masked by the service; the full number is revealed (and audited) on request only. */
  reporterPhoneMasked: string | null;
  allowedActions: ActionForm[];
}

export function detailView(i: IncidentEntity, p: DetailParts, now: Date): IncidentDetailDto {
  const clocks = slaClocks(slaFactsOf(i), now, SLA_WARNING_HOURS * 3600_000);
  const clock = (c: (typeof clocks)['closure']) => ({ dueAt: isoReq(c.dueAt), metAt: iso(c.metAt), status: c.status });
  return {
    ...summaryView(i, p.names, now),
    reporterEmail: i.reporterEmail,
    reporterPhoneMasked: p.reporterPhoneMasked,
    reporterUnit: i.reporterUnit,
    reporterLocale: i.reporterLocale,
    description: i.description,
    occurredAt: iso(i.occurredAt),
    affectedSystems: i.affectedSystems ?? [],
    returnMessage: i.returnMessage,
    rejectionReason: i.rejectionReason,
    recommendation: i.recommendation,
    recommendationSentAt: iso(i.recommendationSentAt),
    resolutionReport: i.resolutionReport,
    closureRecord: i.closureRecord,
    closedAutomatically: i.closedAutomatically,
    milestones: {
      validatedAt: iso(i.validatedAt),
      recordedAt: iso(i.recordedAt),
      analysisStartedAt: iso(i.analysisStartedAt),
      recommendedAt: iso(i.recommendedAt),
      handedOverAt: iso(i.handedOverAt),
      resolvedAt: iso(i.resolvedAt),
      closedAt: iso(i.closedAt),
      reporterClosedAt: iso(i.reporterClosedAt),
      rejectedAt: iso(i.rejectedAt),
    },
    sla: {
      startedAt: isoReq(i.slaStartedAt),
      recommendation: clock(clocks.recommendation),
      resolution: clock(clocks.resolution),
      closure: clock(clocks.closure),
    },
    timeline: p.timeline.map(timelineView),
    evidence: p.evidence.map((e) => evidenceView(e, p.userNames)),
    observables: p.observables.map((o) => ({
      id: o.id,
      type: o.type,
      value: o.value,
      fromReporter: o.addedBy === null,
      createdAt: isoReq(o.createdAt),
    })),
    coordinations: p.coordinations.map((c) => ({
      id: c.id,
      partyName: c.partyName,
      partyKind: c.partyKind,
      contact: c.contact,
      contactedAt: isoReq(c.contactedAt),
      theirReference: c.theirReference,
      notes: c.notes,
      recordedByName: p.userNames.get(c.recordedBy) ?? null,
    })),
    correlated: correlatedView(p.correlated),
    allowedActions: p.allowedActions,
  };
}

/** Labels of the timeline entries the reporter sees. */
export const MILESTONE_LABELS: Record<string, { id: string; en: string }> = {
  reported: { id: 'Laporan diterima', en: 'Report received' },
  supplement: { id: 'Pelapor melengkapi laporan', en: 'Reporter added information' },
  validate: {
    id: 'Laporan tervalidasi dan diteruskan ke Tim Manajemen Data Insiden',
    en: 'Report validated and forwarded to incident data management',
  },
  return_incomplete: { id: 'Laporan dikembalikan untuk dilengkapi', en: 'Report returned for more information' },
  reject_out_of_scope: { id: 'Laporan ditolak (di luar lingkup layanan)', en: 'Report rejected (out of scope)' },
  record: { id: 'Insiden dicatat dan diteruskan ke Tim Analisis Insiden', en: 'Incident recorded and forwarded to incident analysis' },
  start_analysis: { id: 'Analisis dimulai', en: 'Analysis started' },
  send_initial_recommendation: { id: 'Rekomendasi awal dikirim', en: 'Initial recommendation sent' },
  hand_over: { id: 'Diteruskan ke Tim Penanganan Insiden', en: 'Forwarded to incident handling' },
  submit_resolution: { id: 'Penanganan selesai', en: 'Handling completed' },
  close: { id: 'Insiden ditutup', en: 'Incident closed' },
  close_reporter_status: { id: 'Laporan selesai', en: 'Report completed' },
};

/** The tracking page: status, the reporter's milestones and what the TLP lets the link show. */
export function trackingView(i: IncidentEntity, timeline: IncidentTimelineEntity[]): TrackingDto {
  const disclosure = TLP_DISCLOSURE[i.tlp];
  const label = categoryLabel(i.categoryCode);
  const hasRecommendation = Boolean(i.recommendation && i.recommendationSentAt);
  return {
    ticket: i.ticket,
    status: i.status,
    statusLabel: STATE_LABELS[i.status],
    title: i.title,
    reportedAt: isoReq(i.reportedAt),
    tlp: i.tlp,
    category: disclosure.trackingShowsClassification ? { id: label.id, en: label.en } : null,
    milestones: timeline
      .filter((t) => t.visibleToReporter)
      .map((t) => ({
        at: isoReq(t.at),
        kind: t.kind,
        label: MILESTONE_LABELS[t.kind] ?? { id: t.kind, en: t.kind },
        message: typeof t.detail?.reporterMessage === 'string' ? t.detail.reporterMessage : null,
      })),
    recommendation:
      hasRecommendation && disclosure.trackingShowsRecommendation
        ? { text: i.recommendation!, sentAt: isoReq(i.recommendationSentAt!) }
        : null,
    recommendationWithheld: hasRecommendation && !disclosure.trackingShowsRecommendation,
    canSupplement: i.status === 'returned_to_reporter',
    closedAt: iso(i.reporterClosedAt ?? i.closedAt),
  };
}
