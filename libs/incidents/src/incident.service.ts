import { createReadStream } from 'node:fs';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  AuditService,
  CalendarService,
  CommonException,
  ConfigService,
  FileStorageService,
  OrgUnitEntity,
  pageOf,
  UserEntity,
  type FieldError,
  type Page,
} from '@sandi/core';
import type { ClassificationDto, CoordinationDto, IncidentActionDto } from './dto/action.dto.js';
import type { IncidentQueryDto } from './dto/query.dto.js';
import type { ObservableInputDto, PublicReportDto, ReportFieldsDto, ReportReceiptDto, StaffReportDto, SupplementDto } from './dto/report.dto.js';
import type { IncidentDetailDto, IncidentSummaryDto, StaffReportReceiptDto, TrackingDto } from './dto/views.dto.js';
import { IncidentCoordinationEntity } from './entities/incident-coordination.entity.js';
import { IncidentEntity, type IncidentSource } from './entities/incident.entity.js';
import { IncidentErrorCode, IncidentException } from './incident.exception.js';
import { IncidentMailService } from './incident-mail.service.js';
import { assigneeColumn, IncidentRepository } from './incident.repository.js';
import { detailView, MILESTONE_LABELS, summaryView, trackingView } from './incident.views.js';
import {
  allowedActions,
  canAssign,
  decide,
  payloadOf,
  TEAM_OF_STATE,
  TEAM_ROLE,
  type IncidentAction,
  type IncidentFacts,
  type PayloadPart,
  type Transition,
} from './incident.workflow.js';
import { normaliseObservable, type ObservableType } from './observable.policy.js';
import { dueDates, priorityOf, type Impact, type Urgency } from './priority.policy.js';
import { normaliseCategory, QUICK_PICKS } from './taxonomy.js';
import { formatTicket, newTrackingToken, ticketYear, trackingTokenMatches } from './ticket.util.js';
import { DEFAULT_TLP, TLP_DISCLOSURE, type TlpLabel } from './tlp.js';
import { declaredContentType, sanitiseFileName } from './evidence.policy.js';

/** A file multer has written to a temporary path; the interceptor removes it after the request. */
export interface UploadedEvidence {
  path: string;
  originalname: string;
  mimetype: string;
  size: number;
}

interface StoredEvidence {
  sha256: string;
  size: number;
  fileName: string;
  contentType: string;
}

/** Who takes a step: a staff member, the reporter (through the tracking link) or the SLA job. */
export interface IncidentActorRef {
  kind: 'staff' | 'reporter' | 'system';
  id: string | null;
  name: string | null;
  /** Workflow actors this caller acts as: staff roles, or 'reporter' / 'system'. */
  actors: readonly string[];
}

export interface StaffUser {
  id: string;
  fullName: string;
  roles: readonly string[];
}

export const staffActor = (u: StaffUser): IncidentActorRef => ({ kind: 'staff', id: u.id, name: u.fullName, actors: u.roles });
export const SYSTEM_ACTOR: IncidentActorRef = { kind: 'system', id: null, name: 'SLA', actors: ['system'] };

/** Where the web UI shows the reporter's tracking page; the secret rides in the fragment, which browsers never send to a server. */
export const TRACKING_PAGE_PATH = '/lacak';
/** How far in the future "when did it happen" may lie (clock skew of the reporter's device). */
const OCCURRED_AT_SKEW_MS = 10 * 60_000;

const REPORTER_VISIBLE = new Set(Object.keys(MILESTONE_LABELS));
const DEDICATED_ENDPOINT: Partial<Record<IncidentAction, string>> = {
  supplement: 'POST /public/incidents/supplement',
  add_observable: 'POST /incidents/{id}/observables',
  remove_observable: 'DELETE /incidents/{id}/observables/{observableId}',
  add_evidence: 'POST /incidents/{id}/evidence',
};

const factsOf = (i: IncidentEntity): IncidentFacts => ({ status: i.status, recommendationSent: i.recommendationSentAt !== null });

interface NewIncident {
  source: IncidentSource;
  fields: ReportFieldsDto;
  reporterEmail: string | null;
  category: string;
  impact: Impact;
  urgency: Urgency;
  tlp: TlpLabel;
  opdUnitId: string | null;
  occurredAt: Date | null;
  observables: Array<{ type: ObservableType; value: string }>;
  channel?: string;
}

/** The use cases of the SOC incident service: intake, tracking, the team workflow, observables, evidence. */
@Injectable()
export class IncidentService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repo: IncidentRepository,
    private readonly audit: AuditService,
    private readonly mail: IncidentMailService,
    private readonly storage: FileStorageService,
    private readonly calendars: CalendarService,
    private readonly config: ConfigService,
  ) {}

  // --- intake ---------------------------------------------------------------------------------

  /**
   * A report from the public form. Everything is validated first, then the files are stored (a file
   * that is too large or empty stops here with nothing in the database), then one transaction writes
   * the incident, its evidence, observables, timeline, audit event and the receipt mail.
   */
  async reportPublic(dto: PublicReportDto, files: UploadedEvidence[], now = new Date()): Promise<ReportReceiptDto> {
    const input = this.prepareReport('public', dto, dto.reporterEmail, now);
    const stored = await this.storeEvidence(files);
    const actor: IncidentActorRef = { kind: 'reporter', id: null, name: dto.reporterName, actors: ['reporter'] };
    const { incident, token } = await this.dataSource.transaction((em) => this.createIncident(em, input, stored, actor, null, now));
    return { ticket: incident.ticket, trackingUrl: this.trackingUrl(incident.ticket, token) };
  }

  /** A report the helpdesk takes by phone, letter or in person. */
  async reportByStaff(dto: StaffReportDto, files: UploadedEvidence[], user: StaffUser, now = new Date()): Promise<StaffReportReceiptDto> {
    const input = this.prepareReport('staff', dto, dto.reporterEmail ?? null, now);
    input.urgency = dto.urgency ?? 'medium';
    input.opdUnitId = dto.opdUnitId ?? null;
    input.channel = dto.channel;
    const stored = await this.storeEvidence(files);
    const { incident, token } = await this.dataSource.transaction(async (em) => {
      if (input.opdUnitId) await this.requireUnit(em, input.opdUnitId, 'opdUnitId');
      return this.createIncident(em, input, stored, staffActor(user), user.id, now);
    });
    return { incident: await this.detail(incident.id, user), trackingUrl: this.trackingUrl(incident.ticket, token) };
  }

  private prepareReport(source: IncidentSource, dto: ReportFieldsDto, reporterEmail: string | null, now: Date): NewIncident {
    const errors: FieldError[] = [];
    const category = dto.category === undefined ? 'other/undetermined' : resolveCategory(dto.category);
    let occurredAt: Date | null = null;
    if (dto.occurredAt) {
      occurredAt = new Date(dto.occurredAt);
      if (occurredAt.getTime() > now.getTime() + OCCURRED_AT_SKEW_MS) {
        errors.push({ field: 'occurredAt', message: 'waktu kejadian tidak boleh di masa depan (cannot be in the future)' });
      }
    }
    if (errors.length) throw CommonException.validation(errors);
    return {
      source,
      fields: dto,
      reporterEmail,
      category,
      impact: dto.impact ?? 'medium',
      urgency: 'medium',
      tlp: dto.tlp ?? DEFAULT_TLP,
      opdUnitId: null,
      occurredAt,
      observables: normaliseObservableInputs(dto.observables ?? []),
    };
  }

  private async createIncident(
    em: EntityManager,
    input: NewIncident,
    stored: StoredEvidence[],
    actor: IncidentActorRef,
    createdBy: string | null,
    now: Date,
  ): Promise<{ incident: IncidentEntity; token: string }> {
    const year = ticketYear(now);
    const ticket = formatTicket(year, await this.repo.nextTicketSequence(em, year));
    const priority = priorityOf(input.impact, input.urgency);
    const due = dueDates(this.calendars.calendar, priority, now);
    const { token, hash } = newTrackingToken();
    const f = input.fields;
    const incident = await em.save(
      em.create(IncidentEntity, {
        ticket,
        status: 'reported',
        source: input.source,
        reporterName: f.reporterName,
        reporterOrganisation: f.reporterOrganisation ?? null,
        reporterUnit: f.reporterUnit ?? null,
        reporterEmail: input.reporterEmail,
        reporterPhone: f.reporterPhone ?? null,
        reporterLocale: f.locale ?? 'id',
        title: f.title,
        description: f.description,
        occurredAt: input.occurredAt,
        affectedSystems: f.affectedSystems ?? [],
        categoryCode: input.category,
        impact: input.impact,
        urgency: input.urgency,
        priority,
        tlp: input.tlp,
        opdUnitId: input.opdUnitId,
        reportedAt: now,
        slaStartedAt: now,
        recommendationDueAt: due.recommendation,
        resolutionDueAt: due.resolution,
        closureDueAt: due.closure,
        slaBreaches: [],
        slaWarningsSent: [],
        trackingTokenHash: hash,
        createdBy,
      }),
    );
    await this.insertEvidence(em, incident.id, stored, actor, now);
    await this.insertObservables(em, incident.id, input.observables, actor);
    await this.addTimeline(em, incident.id, now, actor, {
      kind: 'reported',
      toStatus: 'reported',
      detail: { source: input.source, ...(input.channel ? { channel: input.channel } : {}), evidence: stored.length, observables: input.observables.length },
    });
    await this.audit.record(em, {
      action: 'incident.reported',
      entityType: 'incident',
      entityId: incident.id,
      after: classificationView(incident),
      detail: {
        ticket,
        source: input.source,
        ...(input.channel ? { channel: input.channel } : {}),
        evidence: stored.map((s) => ({ sha256: s.sha256, size: s.size })),
        observables: input.observables.length,
      },
    });
    await this.mail.toReporter(em, incident, 'incidents.report_received', {
      name: incident.reporterName,
      ticket,
      title: incident.title,
      reportedAt: now.toISOString(),
      trackingUrl: this.trackingUrl(ticket, token),
    });
    if (input.source !== 'staff') await this.mail.forwarded(em, incident, 'helpdesk');
    return { incident, token };
  }

  // --- the reporter's side ----------------------------------------------------------------------

  /** The tracking page. A wrong token and an unknown ticket get the same 404 in the same time. */
  async track(ticket: string, token: string): Promise<TrackingDto> {
    const incident = await this.requireTracked(ticket, token);
    return trackingView(incident, await this.repo.timeline(incident.id, true));
  }

  /** The reporter answers a report the helpdesk returned as incomplete. */
  async supplement(dto: SupplementDto, files: UploadedEvidence[], now = new Date()): Promise<TrackingDto> {
    const found = await this.requireTracked(dto.ticket, dto.token);
    const reporter: IncidentActorRef = { kind: 'reporter', id: null, name: found.reporterName, actors: ['reporter'] };
    const observables = normaliseObservableInputs(dto.observables ?? []);
    this.decideOrThrow(found, 'supplement', reporter);
    const stored = await this.storeEvidence(files);
    await this.dataSource.transaction(async (em) => {
      const incident = (await this.repo.lock(em, found.id))!;
      const t = this.decideOrThrow(incident, 'supplement', reporter);
      await this.insertEvidence(em, incident.id, stored, reporter, now);
      await this.insertObservables(em, incident.id, observables, reporter);
      await this.perform(em, incident, t, { message: dto.message }, reporter, now, { evidence: stored.length, observables: observables.length });
    });
    return this.track(dto.ticket, dto.token);
  }

  private async requireTracked(ticket: string, token: string): Promise<IncidentEntity> {
    const incident = await this.repo.findByTicket(ticket);
    if (!trackingTokenMatches(token, incident?.trackingTokenHash) || !incident) throw IncidentException.trackingNotFound();
    return incident;
  }

  // --- staff: reading -----------------------------------------------------------------------------

  async list(q: IncidentQueryDto, user: StaffUser, now = new Date()): Promise<Page<IncidentSummaryDto>> {
    const { rows, total } = await this.repo.list(q, user.id, now);
    return pageOf(
      rows.map((r) => summaryView(r.incident, r.names, now)),
      total,
      q,
    );
  }

  async detail(id: string, user: StaffUser, now = new Date()): Promise<IncidentDetailDto> {
    const incident = await this.repo.findById(id);
    if (!incident) throw IncidentException.notFound(id);
    const [names, timeline, evidence, observables, coordinations, correlated] = await Promise.all([
      this.repo.namesOf(incident),
      this.repo.timeline(id),
      this.repo.evidence(id),
      this.repo.observables(id),
      this.repo.coordinations(id),
      this.repo.correlated(id),
    ]);
    const userNames = await this.repo.userNames([...evidence.map((e) => e.uploadedBy), ...coordinations.map((c) => c.recordedBy)].filter((x): x is string => !!x));
    return detailView(
      incident,
      { names, timeline, evidence, observables, coordinations, correlated, userNames, allowedActions: allowedActions(factsOf(incident), user.roles) },
      now,
    );
  }

  // --- staff: the workflow ----------------------------------------------------------------------

  /** One step of the workflow table, with its payload. */
  async act(id: string, action: IncidentAction, dto: IncidentActionDto, user: StaffUser, now = new Date()): Promise<IncidentDetailDto> {
    const dedicated = DEDICATED_ENDPOINT[action];
    if (dedicated) {
      throw new IncidentException(IncidentErrorCode.InvalidPayload, `Gunakan ${dedicated} untuk tindakan ini (use ${dedicated})`);
    }
    const actor = staffActor(user);
    await this.dataSource.transaction(async (em) => {
      const incident = await this.repo.lock(em, id);
      if (!incident) throw IncidentException.notFound(id);
      const t = this.decideOrThrow(incident, action, actor);
      await this.perform(em, incident, t, dto, actor, now);
    });
    return this.detail(id, user, now);
  }

  /**
   * Applies a decided step: checks its payload, changes the incident, writes the timeline entry, the
   * audit event and the mail, all in the caller's transaction. Also used by the SLA job (actor system).
   */
  async perform(
    em: EntityManager,
    incident: IncidentEntity,
    t: Transition,
    dto: IncidentActionDto,
    actor: IncidentActorRef,
    now: Date,
    extraDetail: Record<string, unknown> = {},
  ): Promise<void> {
    checkPayload(t, dto);
    const before = classificationView(incident);
    const from = incident.status;
    const detail: Record<string, unknown> = { ...extraDetail };
    let body: string | null = dto.note ?? null;
    let reporterMessage: string | null = null;
    // Mail is written once the incident row carries its new state, still inside this transaction.
    const mails: Array<() => Promise<unknown>> = [];

    switch (t.action) {
      case 'validate':
        if (dto.classification) Object.assign(detail, await this.applyClassification(em, incident, dto.classification));
        incident.validatedAt = now;
        mails.push(() => this.mail.forwarded(em, incident, 'data'));
        break;
      case 'return_incomplete':
        incident.returnMessage = dto.message!;
        reporterMessage = dto.message!;
        mails.push(() =>
          this.mail.toReporter(em, incident, 'incidents.returned_to_reporter', {
            name: incident.reporterName,
            ticket: incident.ticket,
            message: dto.message!,
            trackingUrl: this.trackingPageUrl(),
          }),
        );
        break;
      case 'reject_out_of_scope':
        incident.rejectionReason = dto.reason!;
        incident.rejectedAt = now;
        reporterMessage = dto.reason!;
        mails.push(() => this.mail.toReporter(em, incident, 'incidents.rejected', { name: incident.reporterName, ticket: incident.ticket, reason: dto.reason! }));
        break;
      case 'supplement': {
        // The report is complete only now: the SLA clock restarts from the supplement.
        body = null;
        reporterMessage = dto.message!;
        incident.returnMessage = null;
        incident.slaStartedAt = now;
        const due = dueDates(this.calendars.calendar, incident.priority, now);
        incident.recommendationDueAt = due.recommendation;
        incident.resolutionDueAt = due.resolution;
        incident.closureDueAt = due.closure;
        mails.push(() => this.mail.forwarded(em, incident, 'helpdesk'));
        break;
      }
      case 'record':
        if (dto.classification) Object.assign(detail, await this.applyClassification(em, incident, dto.classification));
        incident.recordedAt = now;
        mails.push(() => this.mail.forwarded(em, incident, 'analysis'));
        break;
      case 'start_analysis':
        incident.analysisStartedAt = now;
        if (!incident.assigneeAnalystId && actor.id) incident.assigneeAnalystId = actor.id;
        break;
      case 'send_initial_recommendation': {
        incident.recommendation = dto.recommendation!;
        incident.recommendationSentAt = now;
        incident.recommendedAt ??= now;
        body = dto.recommendation!;
        const disclosure = TLP_DISCLOSURE[incident.tlp];
        detail.mailedToReporter = Boolean(incident.reporterEmail);
        detail.recommendationWithheldByTlp = !disclosure.mailCarriesRecommendation;
        mails.push(() =>
          disclosure.mailCarriesRecommendation
            ? this.mail.toReporter(em, incident, 'incidents.initial_recommendation', {
                name: incident.reporterName,
                ticket: incident.ticket,
                recommendation: dto.recommendation!,
                trackingUrl: this.trackingPageUrl(),
              })
            : this.mail.toReporter(em, incident, 'incidents.recommendation_withheld', { name: incident.reporterName, ticket: incident.ticket }),
        );
        break;
      }
      case 'hand_over':
        incident.handedOverAt = now;
        mails.push(() => this.mail.forwarded(em, incident, 'handling'));
        break;
      case 'record_coordination': {
        const c = await this.insertCoordination(em, incident.id, dto.coordination!, actor, now);
        Object.assign(detail, { coordinationId: c.id, partyName: c.partyName, partyKind: c.partyKind, theirReference: c.theirReference });
        body = dto.coordination!.notes ?? null;
        break;
      }
      case 'submit_resolution':
        incident.resolutionReport = dto.resolutionReport!;
        incident.resolvedAt = now;
        body = dto.resolutionReport!;
        mails.push(() => this.mail.forwarded(em, incident, 'data'));
        break;
      case 'close':
        incident.closureRecord = dto.closureRecord!;
        incident.closedAt = now;
        incident.closedAutomatically = actor.kind === 'system';
        body = dto.closureRecord!;
        detail.automatic = actor.kind === 'system';
        mails.push(() => this.mail.forwarded(em, incident, 'helpdesk'));
        break;
      case 'close_reporter_status':
        incident.reporterClosedAt = now;
        reporterMessage = dto.message ?? null;
        mails.push(() =>
          this.mail.toReporter(em, incident, 'incidents.reporter_closed', {
            name: incident.reporterName,
            ticket: incident.ticket,
            message: dto.message ?? (incident.reporterLocale === 'en' ? 'No further action is needed from you.' : 'Tidak ada tindakan lebih lanjut yang diperlukan dari Anda.'),
            trackingUrl: this.trackingPageUrl(),
          }),
        );
        break;
      case 'reclassify':
        Object.assign(detail, await this.applyClassification(em, incident, dto.classification!));
        break;
      case 'assign':
        Object.assign(detail, await this.applyAssignment(em, incident, dto, actor, mails));
        break;
      case 'comment':
        body = dto.comment!;
        break;
      case 'add_observable':
      case 'remove_observable':
      case 'add_evidence':
        // Performed by their own methods, which write their own timeline entries.
        break;
    }

    incident.status = t.to;
    incident.updatedAt = now;
    await em.save(incident);
    await this.addTimeline(em, incident.id, now, actor, {
      kind: t.action,
      fromStatus: from,
      toStatus: t.to,
      body,
      detail: { ...detail, ...(reporterMessage ? { reporterMessage } : {}) },
    });
    await this.audit.record(em, {
      action: `incident.${t.action}`,
      entityType: 'incident',
      entityId: incident.id,
      before,
      after: classificationView(incident),
      detail: { ticket: incident.ticket, ...auditPayload(t.action, dto), ...detail },
    });
    for (const send of mails) await send();
  }

  private decideOrThrow(incident: IncidentEntity, action: IncidentAction, actor: IncidentActorRef): Transition {
    const d = decide(factsOf(incident), action, actor.actors);
    if (d.ok) return d.transition;
    if (d.reason === 'illegal') throw CommonException.illegalTransition(incident.status, action, d.allowed);
    throw new IncidentException(IncidentErrorCode.RoleNotAllowed, `Peran Anda tidak boleh melakukan '${action}' pada insiden ini (your role may not do this here)`, {
      allowedActions: d.allowed,
    });
  }

  private async applyClassification(em: EntityManager, incident: IncidentEntity, c: ClassificationDto): Promise<Record<string, unknown>> {
    const changes: Record<string, unknown> = {};
    if (c.category === undefined && c.impact === undefined && c.urgency === undefined && c.tlp === undefined && c.opdUnitId === undefined) {
      throw new IncidentException(IncidentErrorCode.InvalidPayload, 'Klasifikasi kosong (empty classification)', {
        errors: [{ field: 'classification', message: 'isi minimal satu dari category, impact, urgency, tlp, opdUnitId (give at least one)' }],
      });
    }
    if (c.category !== undefined) {
      incident.categoryCode = resolveCategory(c.category, 'classification.category');
      changes.category = incident.categoryCode;
    }
    if (c.opdUnitId !== undefined) {
      if (c.opdUnitId !== null) await this.requireUnit(em, c.opdUnitId, 'classification.opdUnitId');
      incident.opdUnitId = c.opdUnitId;
      changes.opdUnitId = c.opdUnitId;
    }
    if (c.tlp !== undefined) incident.tlp = changes.tlp = c.tlp;
    if (c.impact !== undefined) incident.impact = changes.impact = c.impact;
    if (c.urgency !== undefined) incident.urgency = changes.urgency = c.urgency;
    const priority = priorityOf(incident.impact, incident.urgency);
    if (priority !== incident.priority) {
      // Due dates follow the priority, still counted from the start of the clock.
      incident.priority = priority;
      const due = dueDates(this.calendars.calendar, priority, incident.slaStartedAt);
      incident.recommendationDueAt = due.recommendation;
      incident.resolutionDueAt = due.resolution;
      incident.closureDueAt = due.closure;
      changes.priority = priority;
    }
    return { classification: changes };
  }

  private async applyAssignment(
    em: EntityManager,
    incident: IncidentEntity,
    dto: IncidentActionDto,
    actor: IncidentActorRef,
    mails: Array<() => Promise<unknown>>,
  ): Promise<Record<string, unknown>> {
    const { team, userId } = dto.assignment!;
    if (!canAssign(actor.actors, team)) {
      throw new IncidentException(IncidentErrorCode.RoleNotAllowed, `Hanya anggota tim ${team} yang dapat menugaskan untuk tim itu (only the team's members assign for it)`);
    }
    const column = assigneeColumn(team);
    const previous = incident[column];
    if (userId === null) {
      incident[column] = null;
      return { team, assigneeId: null, previousAssigneeId: previous };
    }
    const user = await em.findOneBy(UserEntity, { id: userId });
    if (!user || !user.active || !user.roles.includes(TEAM_ROLE[team])) {
      throw new IncidentException(IncidentErrorCode.InvalidAssignee, 'Penerima tugas harus pengguna aktif dengan peran tim itu (assignee must be an active member of the team)', {
        errors: [{ field: 'assignment.userId', message: `bukan anggota aktif tim ${team} (not an active ${TEAM_ROLE[team]})` }],
      });
    }
    incident[column] = user.id;
    if (user.id !== actor.id) {
      mails.push(() =>
        this.mail.toUser(em, user, 'incidents.assigned', {
          name: user.fullName,
          ticket: incident.ticket,
          title: incident.title,
          priority: incident.priority,
          incidentId: incident.id,
        }),
      );
    }
    return { team, assigneeId: user.id, assigneeName: user.fullName, previousAssigneeId: previous };
  }

  // --- staff: observables and evidence ------------------------------------------------------------

  async addObservable(id: string, dto: ObservableInputDto, user: StaffUser, now = new Date()): Promise<IncidentDetailDto> {
    const [obs] = normaliseObservableInputs([dto], '');
    const actor = staffActor(user);
    await this.dataSource.transaction(async (em) => {
      const incident = await this.lockOr404(em, id);
      this.decideOrThrow(incident, 'add_observable', actor);
      const inserted = await this.insertObservables(em, id, [obs!], actor);
      if (inserted.length === 0) {
        throw new IncidentException(IncidentErrorCode.ObservableExists, `Observable ${obs!.type} ${obs!.value} sudah tercatat (already recorded)`);
      }
      await this.addTimeline(em, id, now, actor, { kind: 'add_observable', detail: { type: obs!.type, value: obs!.value } });
      await this.audit.record(em, { action: 'incident.observable_added', entityType: 'incident', entityId: id, detail: { ticket: incident.ticket, id: inserted[0], ...obs } });
      await this.touch(em, incident, now);
    });
    return this.detail(id, user, now);
  }

  async removeObservable(id: string, observableId: string, user: StaffUser, now = new Date()): Promise<IncidentDetailDto> {
    const actor = staffActor(user);
    await this.dataSource.transaction(async (em) => {
      const incident = await this.lockOr404(em, id);
      this.decideOrThrow(incident, 'remove_observable', actor);
      // Wrapped in a CTE: a bare DELETE … RETURNING comes back from TypeORM as [rows, count], not rows.
      const rows: Array<{ type: string; value: string }> = await em.query(
        `WITH d AS (DELETE FROM incident_observables WHERE id = $1 AND incident_id = $2 RETURNING type, value) SELECT type, value FROM d`,
        [
          observableId,
          id,
        ],
      );
      const removed = rows[0];
      if (!removed) throw new IncidentException(IncidentErrorCode.ObservableNotFound, `Observable ${observableId} tidak ditemukan (not found)`);
      await this.addTimeline(em, id, now, actor, { kind: 'remove_observable', detail: { type: removed.type, value: removed.value } });
      await this.audit.record(em, {
        action: 'incident.observable_removed',
        entityType: 'incident',
        entityId: id,
        before: { id: observableId, type: removed.type, value: removed.value },
        detail: { ticket: incident.ticket },
      });
      await this.touch(em, incident, now);
    });
    return this.detail(id, user, now);
  }

  async addEvidence(id: string, files: UploadedEvidence[], user: StaffUser, now = new Date()): Promise<IncidentDetailDto> {
    if (!files.length) {
      throw new IncidentException(IncidentErrorCode.EvidenceRequired, 'Lampirkan minimal satu berkas pada field "evidence" (attach at least one file)', {
        errors: [{ field: 'evidence', message: 'wajib diisi (required)' }],
      });
    }
    const actor = staffActor(user);
    const found = await this.repo.findById(id);
    if (!found) throw IncidentException.notFound(id);
    this.decideOrThrow(found, 'add_evidence', actor);
    const stored = await this.storeEvidence(files);
    await this.dataSource.transaction(async (em) => {
      const incident = await this.lockOr404(em, id);
      this.decideOrThrow(incident, 'add_evidence', actor);
      const added = await this.insertEvidence(em, id, stored, actor, now);
      await this.addTimeline(em, id, now, actor, { kind: 'add_evidence', detail: { files: added } });
      await this.audit.record(em, { action: 'incident.evidence_added', entityType: 'incident', entityId: id, detail: { ticket: incident.ticket, files: added } });
      await this.touch(em, incident, now);
    });
    return this.detail(id, user, now);
  }

  /**
   * Opens a piece of evidence for download, after recording the custody event (who took which bytes,
   * by hash) in the timeline and the audit trail.
   */
  async openEvidence(id: string, evidenceId: string, user: StaffUser, now = new Date()): Promise<{ stream: NodeJS.ReadableStream; fileName: string; size: number; sha256: string }> {
    const evidence = await this.repo.findEvidence(id, evidenceId);
    if (!evidence) throw new IncidentException(IncidentErrorCode.EvidenceNotFound, `Bukti ${evidenceId} tidak ditemukan (evidence not found)`);
    const stat = await this.storage.stat(evidence.sha256);
    if (!stat) {
      throw new IncidentException(IncidentErrorCode.EvidenceMissingFromStorage, 'Berkas bukti tidak ada di penyimpanan; hubungi administrator (evidence file missing from storage)');
    }
    const actor = staffActor(user);
    await this.dataSource.transaction(async (em) => {
      const incident = await this.lockOr404(em, id);
      const custody = { evidenceId, sha256: evidence.sha256, size: Number(evidence.size), fileName: evidence.fileName };
      await this.addTimeline(em, id, now, actor, { kind: 'evidence_downloaded', detail: custody });
      await this.audit.record(em, { action: 'incident.evidence_downloaded', entityType: 'incident', entityId: id, detail: { ticket: incident.ticket, ...custody } });
    });
    return { stream: await this.storage.open(evidence.sha256), fileName: evidence.fileName, size: stat.size, sha256: evidence.sha256 };
  }

  // --- helpers --------------------------------------------------------------------------------------

  private async lockOr404(em: EntityManager, id: string): Promise<IncidentEntity> {
    const incident = await this.repo.lock(em, id);
    if (!incident) throw IncidentException.notFound(id);
    return incident;
  }

  private async touch(em: EntityManager, incident: IncidentEntity, now: Date): Promise<void> {
    await em.update(IncidentEntity, incident.id, { updatedAt: now });
  }

  /** Stores every uploaded file (content-addressed) before any database write. */
  private async storeEvidence(files: UploadedEvidence[]): Promise<StoredEvidence[]> {
    const maxBytes = this.config.get('INCIDENT_EVIDENCE_MAX_BYTES');
    const out: StoredEvidence[] = [];
    for (const f of files) {
      const { sha256, size } = await this.storage.put(createReadStream(f.path), { maxBytes });
      out.push({ sha256, size, fileName: sanitiseFileName(f.originalname), contentType: declaredContentType(f.mimetype) });
    }
    return out;
  }

  /** Inserts evidence rows; the same bytes twice in one incident are recorded once. Returns what was added. */
  private async insertEvidence(em: EntityManager, incidentId: string, stored: StoredEvidence[], actor: IncidentActorRef, now: Date) {
    const added: Array<{ id: string; sha256: string; size: number; fileName: string }> = [];
    for (const s of stored) {
      const rows: { id: string }[] = await em.query(
        `INSERT INTO incident_evidence (incident_id, sha256, size, file_name, content_type, uploader, uploaded_by, uploaded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (incident_id, sha256) DO NOTHING RETURNING id`,
        [incidentId, s.sha256, s.size, s.fileName, s.contentType, actor.kind === 'staff' ? 'staff' : 'reporter', actor.kind === 'staff' ? actor.id : null, now],
      );
      if (rows[0]) added.push({ id: rows[0].id, sha256: s.sha256, size: s.size, fileName: s.fileName });
    }
    return added;
  }

  /** Inserts observables not yet recorded for the incident; returns the ids of those added. */
  private async insertObservables(em: EntityManager, incidentId: string, list: Array<{ type: ObservableType; value: string }>, actor: IncidentActorRef): Promise<string[]> {
    const ids: string[] = [];
    for (const o of list) {
      const rows: { id: string }[] = await em.query(
        `INSERT INTO incident_observables (incident_id, type, value, added_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (incident_id, type, value) DO NOTHING RETURNING id`,
        [incidentId, o.type, o.value, actor.kind === 'staff' ? actor.id : null],
      );
      if (rows[0]) ids.push(rows[0].id);
    }
    return ids;
  }

  private async insertCoordination(em: EntityManager, incidentId: string, c: CoordinationDto, actor: IncidentActorRef, now: Date): Promise<IncidentCoordinationEntity> {
    const contactedAt = new Date(c.contactedAt);
    if (contactedAt.getTime() > now.getTime() + OCCURRED_AT_SKEW_MS) {
      throw CommonException.validation([{ field: 'coordination.contactedAt', message: 'tidak boleh di masa depan (cannot be in the future)' }]);
    }
    return em.save(
      em.create(IncidentCoordinationEntity, {
        incidentId,
        partyName: c.partyName,
        partyKind: c.partyKind,
        contact: c.contact ?? null,
        contactedAt,
        theirReference: c.theirReference ?? null,
        notes: c.notes ?? null,
        recordedBy: actor.id!,
        createdAt: now,
      }),
    );
  }

  async addTimeline(
    em: EntityManager,
    incidentId: string,
    at: Date,
    actor: IncidentActorRef,
    entry: { kind: string; fromStatus?: string | null; toStatus?: string | null; body?: string | null; detail?: Record<string, unknown> },
  ): Promise<void> {
    await em.query(
      `INSERT INTO incident_timeline (incident_id, at, kind, from_status, to_status, actor_kind, actor_id, actor_name, body, detail, visible_to_reporter)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11)`,
      [
        incidentId,
        at,
        entry.kind,
        entry.fromStatus ?? null,
        entry.toStatus ?? null,
        actor.kind,
        actor.id,
        actor.name,
        entry.body ?? null,
        JSON.stringify(entry.detail ?? {}),
        REPORTER_VISIBLE.has(entry.kind),
      ],
    );
  }

  private async requireUnit(em: EntityManager, id: string, field: string): Promise<void> {
    if (!(await em.existsBy(OrgUnitEntity, { id }))) throw CommonException.validation([{ field, message: 'unit tidak ditemukan (unit not found)' }]);
  }

  private baseUrl(): string {
    return this.config.get('PUBLIC_URL');
  }

  /** The secret link, in the URL fragment so that it never reaches a server log or a Referer header. */
  trackingUrl(ticket: string, token: string): string {
    return `${this.baseUrl()}${TRACKING_PAGE_PATH}#ticket=${encodeURIComponent(ticket)}&token=${encodeURIComponent(token)}`;
  }

  /** Later mail cannot carry the token (only its hash is kept): it links the page, where the reporter's saved link works. */
  private trackingPageUrl(): string {
    return `${this.baseUrl()}${TRACKING_PAGE_PATH}`;
  }

}

/** RSIT code or quick-pick key → RSIT code; anything else is a 400 naming the field. */
export function resolveCategory(input: string, field = 'category'): string {
  const pick = QUICK_PICKS.find((p) => p.key === input.trim().toLowerCase());
  const code = pick?.category ?? normaliseCategory(input);
  if (!code) {
    throw new IncidentException(IncidentErrorCode.UnknownCategory, `Kategori '${input}' tidak dikenal (unknown category; see GET /incident-taxonomy)`, {
      errors: [{ field, message: 'kategori RSIT tidak dikenal (unknown RSIT category)' }],
    });
  }
  return code;
}

/** Validates and normalises observables, all errors at once; duplicates collapse to one. */
export function normaliseObservableInputs(inputs: ObservableInputDto[], field = 'observables'): Array<{ type: ObservableType; value: string }> {
  const errors: FieldError[] = [];
  const out = new Map<string, { type: ObservableType; value: string }>();
  inputs.forEach((o, n) => {
    const r = normaliseObservable(o.type, o.value);
    const path = field ? `${field}[${n}].value` : 'value';
    if (!r.ok) errors.push({ field: path, message: r.message });
    else out.set(`${o.type}\u0000${r.value}`, { type: o.type, value: r.value });
  });
  if (errors.length) throw new IncidentException(IncidentErrorCode.InvalidObservable, 'Observable tidak valid (invalid observable)', { errors });
  return [...out.values()];
}

/** The parts of the action payload that were given. */
function givenParts(dto: IncidentActionDto): PayloadPart[] {
  const parts: PayloadPart[] = ['note', 'message', 'reason', 'recommendation', 'resolutionReport', 'closureRecord', 'coordination', 'classification', 'assignment', 'comment'];
  return parts.filter((p) => dto[p] !== undefined && dto[p] !== null);
}

function checkPayload(t: Transition, dto: IncidentActionDto): void {
  const { required, accepted } = payloadOf(t);
  const given = givenParts(dto);
  const errors: FieldError[] = [
    ...required.filter((p) => !given.includes(p)).map((p) => ({ field: p, message: `wajib untuk '${t.action}' (required for this action)` })),
    ...given.filter((p) => !accepted.includes(p)).map((p) => ({ field: p, message: `tidak dipakai oleh '${t.action}' (not accepted by this action)` })),
  ];
  if (errors.length) throw new IncidentException(IncidentErrorCode.InvalidPayload, `Isian untuk '${t.action}' tidak sesuai (payload does not fit the action)`, { errors });
}

/** What the audit trail keeps of a payload: the workflow texts, not the reporter's personal data. */
function auditPayload(action: IncidentAction, dto: IncidentActionDto): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of ['note', 'message', 'reason', 'recommendation', 'resolutionReport', 'closureRecord', 'comment'] as const) if (dto[p]) out[p] = dto[p];
  if (action === 'record_coordination' && dto.coordination) out.coordination = { ...dto.coordination };
  return out;
}

function classificationView(i: IncidentEntity) {
  return {
    status: i.status,
    category: i.categoryCode,
    impact: i.impact,
    urgency: i.urgency,
    priority: i.priority,
    tlp: i.tlp,
    opdUnitId: i.opdUnitId,
    team: TEAM_OF_STATE[i.status],
  };
}
