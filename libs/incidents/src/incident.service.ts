import { createHash, randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  AppException,
  AuditService,
  CalendarService,
  CommonException,
  ConfigService,
  DataCipher,
  FileStorageService,
  maskTail,
  OrgUnitEntity,
  pageOf,
  SqlStatement,
  UserEntity,
  type FieldError,
  type Page,
  type StagedFile,
} from '@sandi/core';
import type { ClassificationDto, CoordinationDto, IncidentActionDto } from './dto/action.dto.js';
import type { IncidentQueryDto } from './dto/query.dto.js';
import type {
  ObservableInputDto,
  PublicReportDto,
  ReportFieldsDto,
  ReportReceiptDto,
  StaffReportDto,
  SupplementDto,
} from './dto/report.dto.js';
import type {
  EvidenceVerificationDto,
  IncidentDetailDto,
  IncidentSummaryDto,
  ReporterContactDto,
  StaffReportReceiptDto,
  TeamMemberDto,
  TrackingDto,
} from './dto/views.dto.js';
import { IncidentCoordinationEntity } from './entities/incident-coordination.entity.js';
import { IncidentEntity, type IncidentSource } from './entities/incident.entity.js';
import { IncidentErrorCode, IncidentException } from './incident.exception.js';
import { IncidentMailService } from './incident-mail.service.js';
import { assigneeColumn, IncidentRepository, type AddedEvidence, type EvidenceRowInput } from './incident.repository.js';
import { detailView, MILESTONE_LABELS, summaryView, trackingView } from './incident.views.js';
import { actionForms, type EvidenceLimits } from './action-form.js';
import {
  canAssign,
  decide,
  payloadOf,
  TEAM_OF_STATE,
  TEAM_ROLE,
  type IncidentAction,
  type IncidentFacts,
  type PayloadPart,
  type Team,
  type Transition,
} from './incident.workflow.js';
import { normaliseObservable, type ObservableType } from './observable.policy.js';
import { dueDates, priorityOf, type Impact, type Urgency } from './priority.policy.js';
import { normaliseCategory, QUICK_PICKS } from './taxonomy.js';
import { formatTicket, newTrackingToken, ticketYear, trackingTokenMatches } from './ticket.util.js';
import { DEFAULT_TLP, TLP_DISCLOSURE, type TlpLabel } from './tlp.js';
import { declaredContentType, sanitiseFileName } from './evidence.policy.js';

/**
 * An evidence file of a request: the upload interceptor has already staged it (hashed, durable, but
 * private to this request) in the storage's `incidents` staging area.
 */
export interface UploadedEvidence {
  originalname: string;
  mimetype: string;
  size: number;
  staged: StagedFile;
  /** Set once the record pointing at it committed (or may have): from then on the request may not discard it. */
  kept?: boolean;
}

/** The storage staging area of incident evidence. */
export const EVIDENCE_STAGING_AREA = 'incidents';
/** A phone number as staff see it without asking: the country/operator prefix and the last four digits. */
export function maskPhone(phone: string | null): string | null {
  if (!phone) return null;
  return maskTail(phone, 4, Math.min(4, Math.max(0, phone.length - 8)));
}

/** AAD purpose of the reporter's sealed phone number. */
export const REPORTER_PHONE_PURPOSE = 'incident.reporter_phone';
/** Staged evidence left this long (a crash between upload and commit) is promoted or dropped by the sweep. */
export const STAGED_EVIDENCE_GRACE_MS = 6 * 3600_000;

export type EvidenceIntegrity = 'intact' | 'mismatch' | 'missing';

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
  private readonly logger = new Logger(IncidentService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly repo: IncidentRepository,
    private readonly audit: AuditService,
    private readonly mail: IncidentMailService,
    private readonly storage: FileStorageService,
    private readonly calendars: CalendarService,
    private readonly config: ConfigService,
    private readonly cipher: DataCipher,
  ) {}

  // --- intake ---------------------------------------------------------------------------------

  /**
   * A report from the public form. The evidence is already staged by the upload interceptor (hashed
   * and durable, invisible to others); everything is validated, then one transaction writes the
   * incident, its evidence, observables, timeline, audit event and the mail; only after the commit
   * are the files moved under their ids and the receipt returned. A failure discards the staged files.
   */
  async reportPublic(dto: PublicReportDto, files: UploadedEvidence[], now = new Date()): Promise<ReportReceiptDto> {
    const input = this.prepareReport('public', dto, dto.reporterEmail, now);
    const stored = evidenceRows(files);
    const actor: IncidentActorRef = { kind: 'reporter', id: null, name: dto.reporterName, actors: ['reporter'] };
    const { incident, token } = await this.intake(files, now, () => this.createIncident(input, stored, actor, null, now));
    return { ticket: incident.ticket, trackingUrl: this.trackingUrl(incident.ticket, token) };
  }

  /** A report the helpdesk takes by phone, letter or in person. */
  async reportByStaff(dto: StaffReportDto, files: UploadedEvidence[], user: StaffUser, now = new Date()): Promise<StaffReportReceiptDto> {
    const input = this.prepareReport('staff', dto, dto.reporterEmail ?? null, now);
    input.urgency = dto.urgency ?? 'medium';
    input.opdUnitId = dto.opdUnitId ?? null;
    input.channel = dto.channel;
    const stored = evidenceRows(files);
    const { incident, token } = await this.intake(files, now, async () => {
      if (input.opdUnitId) await this.requireUnit(this.dataSource.manager, input.opdUnitId, 'opdUnitId');
      return this.createIncident(input, stored, staffActor(user), user.id, now);
    });
    return { incident: await this.detail(incident.id, user), trackingUrl: this.trackingUrl(incident.ticket, token) };
  }

  /**
   * Runs an intake with its ticket sequence in place: the report is stored, its staged evidence moved
   * under its ids and its audit event sealed. A ticket collision (a sequence behind restored data) or
   * a missing sequence is repaired and the intake retried once; any other failure discards the staged
   * files. Once the report is stored nothing may fail the request: what did not finish is finished
   * by the sweeps.
   */
  private async intake<T>(files: UploadedEvidence[], now: Date, store: () => Promise<T>): Promise<T> {
    const year = ticketYear(now);
    let result: T;
    try {
      await this.repo.ensureTicketSequence(year);
      try {
        result = await store();
      } catch (err) {
        if (!isTicketSequenceFault(err)) throw err;
        this.logger.warn(`Ticket sequence of ${year} repaired after: ${(err as Error).message}`);
        await this.repo.repairTicketSequence(year);
        result = await store();
      }
    } catch (err) {
      await this.afterFailure(files, err);
      throw err;
    }
    await this.keepEvidence(files);
    // Its audit event was queued with the report: sealed in the background, batched with others.
    this.audit.flushSoon();
    return result;
  }

  /**
   * A transaction that records uploaded evidence: before the commit a failure discards the staged
   * files; after it they are moved under their ids (keepEvidence never fails the request).
   */
  private async commitWithEvidence<T>(files: UploadedEvidence[], work: (em: EntityManager) => Promise<T>): Promise<T> {
    let result: T;
    try {
      result = await this.dataSource.transaction(work);
    } catch (err) {
      await this.afterFailure(files, err);
      throw err;
    }
    await this.keepEvidence(files);
    return result;
  }

  /**
   * A write that failed: its staged files go, unless the failure leaves open whether the write
   * committed (the connection broke before the answer came back). Those stay staged for the sweep,
   * which keeps them if a record points at them: a report is never left without its files.
   */
  private async afterFailure(files: UploadedEvidence[], err: unknown): Promise<void> {
    if (isDefiniteFailure(err)) {
      await this.discardEvidence(files);
      return;
    }
    if (files.length)
      this.logger.warn(
        `Outcome of a write unknown (${err instanceof Error ? err.message : String(err)}): ${files.length} staged evidence file(s) left for the sweep`,
      );
    for (const f of files) f.kept = true;
  }

  private async keepEvidence(files: UploadedEvidence[]): Promise<void> {
    for (const f of files) {
      f.kept = true;
      try {
        // Not fsynced into place: the staged copy is durable, and locateEvidence / the sweep promote it after a crash.
        await this.storage.promote(f.staged, { durable: false });
      } catch (err) {
        // Durable in staging: the download path and the sweep promote it later.
        this.logger.error(`Evidence ${f.staged.sha256} stays staged: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }

  /** Drops the staged copies of a request that failed (never a file stored under its id). */
  async discardEvidence(files: UploadedEvidence[]): Promise<void> {
    for (const f of files) {
      if (f.kept) continue;
      await this.storage
        .discard(f.staged)
        .catch((err: unknown) =>
          this.logger.warn(`Staged evidence not removed, left for the sweep: ${err instanceof Error ? err.message : String(err)}`),
        );
    }
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

  /**
   * Stores a new incident with its evidence rows, observables, first timeline entry, mail and audit
   * event in ONE statement (atomic, one round trip), after drawing its ticket number.
   */
  private async createIncident(
    input: NewIncident,
    stored: EvidenceRowInput[],
    actor: IncidentActorRef,
    createdBy: string | null,
    now: Date,
  ): Promise<{ incident: IncidentEntity; token: string }> {
    const year = ticketYear(now);
    const ticket = formatTicket(year, await this.repo.nextTicketNumber(year));
    const priority = priorityOf(input.impact, input.urgency);
    const due = dueDates(this.calendars.calendar, priority, now);
    const { token, hash } = newTrackingToken();
    const f = input.fields;
    const incident = Object.assign(new IncidentEntity(), {
      id: randomUUID(),
      ticket,
      status: 'reported',
      source: input.source,
      reporterName: f.reporterName,
      reporterOrganisation: f.reporterOrganisation ?? null,
      reporterUnit: f.reporterUnit ?? null,
      reporterEmail: input.reporterEmail,
      reporterPhone: null,
      reporterPhoneSealed: f.reporterPhone ? this.cipher.seal(f.reporterPhone, REPORTER_PHONE_PURPOSE) : null,
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
      createdAt: now,
      updatedAt: now,
    } satisfies Partial<IncidentEntity>);
    const staffId = actor.kind === 'staff' ? actor.id : null;
    const detail = {
      source: input.source,
      ...(input.channel ? { channel: input.channel } : {}),
      evidence: stored.length,
      observables: input.observables.length,
    };
    const stmt = new SqlStatement();
    this.repo.addIntake(stmt, incident, {
      evidence: stored,
      observables: input.observables,
      by: { uploader: staffId ? 'staff' : 'reporter', userId: staffId },
      timeline: { kind: 'reported', actorKind: actor.kind, actorName: actor.name, detail },
    });
    this.mail.toReporterIn(stmt, incident, 'incidents.report_received', {
      name: incident.reporterName,
      ticket,
      title: incident.title,
      reportedAt: now.toISOString(),
      trackingUrl: this.trackingUrl(ticket, token),
    });
    if (input.source !== 'staff') this.mail.forwardedIn(stmt, incident, 'helpdesk');
    // Queued, not linked here: the chain lock is never held by an intake (sealed after it, in batches).
    this.audit.appendIn(stmt, {
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
    await this.dataSource.query(...stmt.build());
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
    const stored = evidenceRows(files);
    await this.commitWithEvidence(files, async (em) => {
      const incident = (await this.repo.lock(em, found.id))!;
      const t = this.decideOrThrow(incident, 'supplement', reporter);
      await this.repo.insertEvidence(em, incident.id, stored, { uploader: 'reporter', userId: null, at: now });
      await this.repo.insertObservables(em, incident.id, observables, null);
      await this.perform(em, incident, t, { message: dto.message }, reporter, now, {
        evidence: stored.length,
        observables: observables.length,
      });
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
    const userNames = await this.repo.userNames(
      [...evidence.map((e) => e.uploadedBy), ...coordinations.map((c) => c.recordedBy)].filter((x): x is string => !!x),
    );
    return detailView(
      incident,
      {
        names,
        timeline,
        evidence,
        observables,
        coordinations,
        correlated,
        userNames,
        reporterPhoneMasked: maskPhone(this.phoneOf(incident)),
        allowedActions: actionForms(factsOf(incident), user.roles, this.evidenceLimits()),
      },
      now,
    );
  }

  /** The upload limits of evidence (configuration), for forms to check before they upload. */
  evidenceLimits(): EvidenceLimits {
    return { maxBytes: this.config.get('INCIDENT_EVIDENCE_MAX_BYTES'), maxFiles: this.config.get('INCIDENT_EVIDENCE_MAX_FILES') };
  }

  /** Active members of a team (id and name), to assign a colleague. */
  async teamMembers(team: Team): Promise<TeamMemberDto[]> {
    return this.repo.activeMembers(TEAM_ROLE[team]);
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
        mails.push(() =>
          this.mail.toReporter(em, incident, 'incidents.rejected', {
            name: incident.reporterName,
            ticket: incident.ticket,
            reason: dto.reason!,
          }),
        );
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
            : this.mail.toReporter(em, incident, 'incidents.recommendation_withheld', {
                name: incident.reporterName,
                ticket: incident.ticket,
              }),
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
            message:
              dto.message ??
              (incident.reporterLocale === 'en'
                ? 'No further action is needed from you.'
                : 'Tidak ada tindakan lebih lanjut yang diperlukan dari Anda.'),
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
    for (const send of mails) await send();
    // Last: the chain lock it takes is held until the commit, so it should be held for as little as possible.
    await this.audit.record(em, {
      action: `incident.${t.action}`,
      entityType: 'incident',
      entityId: incident.id,
      before,
      after: classificationView(incident),
      detail: { ticket: incident.ticket, ...auditPayload(t.action, dto), ...detail },
    });
  }

  private decideOrThrow(incident: IncidentEntity, action: IncidentAction, actor: IncidentActorRef): Transition {
    const d = decide(factsOf(incident), action, actor.actors);
    if (d.ok) return d.transition;
    if (d.reason === 'illegal') throw CommonException.illegalTransition(incident.status, action, d.allowed);
    throw new IncidentException(
      IncidentErrorCode.RoleNotAllowed,
      `Peran Anda tidak boleh melakukan '${action}' pada insiden ini (your role may not do this here)`,
      {
        allowedActions: d.allowed,
      },
    );
  }

  private async applyClassification(em: EntityManager, incident: IncidentEntity, c: ClassificationDto): Promise<Record<string, unknown>> {
    const changes: Record<string, unknown> = {};
    if (c.category === undefined && c.impact === undefined && c.urgency === undefined && c.tlp === undefined && c.opdUnitId === undefined) {
      throw new IncidentException(IncidentErrorCode.InvalidPayload, 'Klasifikasi kosong (empty classification)', {
        errors: [
          { field: 'classification', message: 'isi minimal satu dari category, impact, urgency, tlp, opdUnitId (give at least one)' },
        ],
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
      throw new IncidentException(
        IncidentErrorCode.RoleNotAllowed,
        `Hanya anggota tim ${team} yang dapat menugaskan untuk tim itu (only the team's members assign for it)`,
      );
    }
    const column = assigneeColumn(team);
    const previous = incident[column];
    if (userId === null) {
      incident[column] = null;
      return { team, assigneeId: null, previousAssigneeId: previous };
    }
    const user = await em.findOneBy(UserEntity, { id: userId });
    if (!user || !user.active || !user.roles.includes(TEAM_ROLE[team])) {
      throw new IncidentException(
        IncidentErrorCode.InvalidAssignee,
        'Penerima tugas harus pengguna aktif dengan peran tim itu (assignee must be an active member of the team)',
        {
          errors: [{ field: 'assignment.userId', message: `bukan anggota aktif tim ${team} (not an active ${TEAM_ROLE[team]})` }],
        },
      );
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
      const inserted = await this.repo.insertObservables(em, id, [obs!], actor.id);
      if (inserted.length === 0) {
        throw new IncidentException(
          IncidentErrorCode.ObservableExists,
          `Observable ${obs!.type} ${obs!.value} sudah tercatat (already recorded)`,
        );
      }
      await this.addTimeline(em, id, now, actor, { kind: 'add_observable', detail: { type: obs!.type, value: obs!.value } });
      await this.touch(em, incident, now);
      await this.audit.record(em, {
        action: 'incident.observable_added',
        entityType: 'incident',
        entityId: id,
        detail: { ticket: incident.ticket, id: inserted[0], ...obs },
      });
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
        [observableId, id],
      );
      const removed = rows[0];
      if (!removed)
        throw new IncidentException(IncidentErrorCode.ObservableNotFound, `Observable ${observableId} tidak ditemukan (not found)`);
      await this.addTimeline(em, id, now, actor, { kind: 'remove_observable', detail: { type: removed.type, value: removed.value } });
      await this.touch(em, incident, now);
      await this.audit.record(em, {
        action: 'incident.observable_removed',
        entityType: 'incident',
        entityId: id,
        before: { id: observableId, type: removed.type, value: removed.value },
        detail: { ticket: incident.ticket },
      });
    });
    return this.detail(id, user, now);
  }

  async addEvidence(id: string, files: UploadedEvidence[], user: StaffUser, now = new Date()): Promise<IncidentDetailDto> {
    if (!files.length) {
      throw new IncidentException(
        IncidentErrorCode.EvidenceRequired,
        'Lampirkan minimal satu berkas pada field "evidence" (attach at least one file)',
        {
          errors: [{ field: 'evidence', message: 'wajib diisi (required)' }],
        },
      );
    }
    const actor = staffActor(user);
    const found = await this.repo.findById(id);
    if (!found) throw IncidentException.notFound(id);
    this.decideOrThrow(found, 'add_evidence', actor);
    const stored = evidenceRows(files);
    await this.commitWithEvidence(files, async (em) => {
      const incident = await this.lockOr404(em, id);
      this.decideOrThrow(incident, 'add_evidence', actor);
      const added: AddedEvidence[] = await this.repo.insertEvidence(em, id, stored, { uploader: 'staff', userId: user.id, at: now });
      await this.addTimeline(em, id, now, actor, { kind: 'add_evidence', detail: { files: added } });
      await this.touch(em, incident, now);
      await this.audit.record(em, {
        action: 'incident.evidence_added',
        entityType: 'incident',
        entityId: id,
        detail: { ticket: incident.ticket, files: added },
      });
    });
    return this.detail(id, user, now);
  }

  /**
   * Opens a piece of evidence for download, after recording the custody event (who took which bytes,
   * by hash) in the timeline and the audit trail.
   */
  async openEvidence(
    id: string,
    evidenceId: string,
    user: StaffUser,
    now = new Date(),
  ): Promise<{ stream: NodeJS.ReadableStream; fileName: string; size: number; sha256: string }> {
    const evidence = await this.requireEvidence(id, evidenceId);
    const stat = await this.locateEvidence(evidence.sha256);
    if (!stat) {
      throw new IncidentException(
        IncidentErrorCode.EvidenceMissingFromStorage,
        'Berkas bukti tidak ada di penyimpanan; hubungi administrator (evidence file missing from storage)',
      );
    }
    const actor = staffActor(user);
    await this.dataSource.transaction(async (em) => {
      const incident = await this.lockOr404(em, id);
      const custody = { evidenceId, sha256: evidence.sha256, size: Number(evidence.size), fileName: evidence.fileName };
      await this.addTimeline(em, id, now, actor, { kind: 'evidence_downloaded', detail: custody });
      await this.audit.record(em, {
        action: 'incident.evidence_downloaded',
        entityType: 'incident',
        entityId: id,
        detail: { ticket: incident.ticket, ...custody },
      });
    });
    return { stream: await this.storage.open(evidence.sha256), fileName: evidence.fileName, size: stat.size, sha256: evidence.sha256 };
  }

  /**
   * Re-hashes the stored bytes of a piece of evidence and compares them with the fingerprint taken at
   * upload: `intact`, `mismatch` (the file was altered on disk) or `missing`. The check is a custody
   * event: recorded in the timeline and the audit trail whatever its outcome.
   */
  async verifyEvidence(id: string, evidenceId: string, user: StaffUser, now = new Date()): Promise<EvidenceVerificationDto> {
    const evidence = await this.requireEvidence(id, evidenceId);
    let status: EvidenceIntegrity = 'missing';
    let actualSha256: string | null = null;
    let actualSize: number | null = null;
    if (await this.locateEvidence(evidence.sha256)) {
      const hash = createHash('sha256');
      let size = 0;
      try {
        for await (const chunk of await this.storage.open(evidence.sha256)) {
          hash.update(chunk as Buffer);
          size += (chunk as Buffer).length;
        }
        actualSha256 = hash.digest('hex');
        actualSize = size;
        status = actualSha256 === evidence.sha256 ? 'intact' : 'mismatch';
      } catch (err) {
        // Removed between the look-up and the read: missing. Anything else (permissions, I/O) is ours: a 500.
        if (!(
          err instanceof Error &&
          ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as { code?: unknown }).code === 'storage.not_found')
        ))
          throw err;
      }
    }
    const result: EvidenceVerificationDto = {
      evidenceId,
      fileName: evidence.fileName,
      sha256: evidence.sha256,
      size: Number(evidence.size),
      status,
      actualSha256,
      actualSize,
      checkedAt: now.toISOString(),
    };
    const actor = staffActor(user);
    await this.dataSource.transaction(async (em) => {
      const incident = await this.lockOr404(em, id);
      const detail = { evidenceId, fileName: evidence.fileName, sha256: evidence.sha256, status, actualSha256, actualSize };
      await this.addTimeline(em, id, now, actor, { kind: 'evidence_verified', detail });
      await this.audit.record(em, {
        action: 'incident.evidence_verified',
        entityType: 'incident',
        entityId: id,
        detail: { ticket: incident.ticket, ...detail },
      });
    });
    if (status !== 'intact') this.logger.warn(`Evidence ${evidenceId} of incident ${id} failed its integrity check: ${status}`);
    return result;
  }

  private async requireEvidence(id: string, evidenceId: string) {
    const evidence = await this.repo.findEvidence(id, evidenceId);
    if (!evidence)
      throw new IncidentException(IncidentErrorCode.EvidenceNotFound, `Bukti ${evidenceId} tidak ditemukan (evidence not found)`);
    return evidence;
  }

  /**
   * The stored file of a piece of evidence; when it is missing but a staged copy is still there (a
   * crash between a report's commit and the move of its files), that copy is moved into place first.
   */
  private async locateEvidence(sha256: string): Promise<{ size: number } | null> {
    const found = await this.storage.stat(sha256);
    if (found) return found;
    const staged = await this.storage.listStaged(EVIDENCE_STAGING_AREA, new Date(Date.now() + 60_000));
    const copy = staged.find((f) => f.sha256 === sha256);
    if (!copy) return null;
    await this.storage.promote(copy);
    return this.storage.stat(sha256);
  }

  /**
   * Staged evidence a crash left behind (older than the grace period, so no request still holds it):
   * a copy whose bytes some evidence record points at is moved into place, any other is dropped (a
   * report that never committed, or an interrupted write). Only the incidents staging area is
   * touched: files stored under their ids, which other features' records may share, never are.
   */
  async sweepStagedEvidence(now = new Date()): Promise<{ promoted: number; discarded: number }> {
    const staged = await this.storage.listStaged(EVIDENCE_STAGING_AREA, new Date(now.getTime() - STAGED_EVIDENCE_GRACE_MS));
    let promoted = 0;
    let discarded = 0;
    for (const f of staged) {
      if (await this.repo.evidenceReferenced(f.sha256)) {
        await this.storage.promote(f);
        promoted++;
      } else {
        await this.storage.discard(f);
        discarded++;
      }
    }
    if (promoted + discarded > 0) this.logger.log(`Staged evidence sweep: ${promoted} promoted, ${discarded} discarded`);
    return { promoted, discarded };
  }

  // --- personal data ---------------------------------------------------------------------------------

  /** The reporter's contact in full, for calling them back. The reveal is audited (who, which incident; never the number). */
  async revealReporterContact(id: string, user: StaffUser): Promise<ReporterContactDto> {
    return this.dataSource.transaction(async (em) => {
      const incident = await em.findOneBy(IncidentEntity, { id });
      if (!incident) throw IncidentException.notFound(id);
      await this.audit.record(em, {
        action: 'incident.reporter_contact_viewed',
        entityType: 'incident',
        entityId: id,
        detail: { ticket: incident.ticket, by: user.id, hasPhone: !!(incident.reporterPhoneSealed ?? incident.reporterPhone) },
      });
      return { phone: this.phoneOf(incident), email: incident.reporterEmail, name: incident.reporterName };
    });
  }

  /** The reporter's phone in clear: from the sealed column, or from the legacy one of rows not yet backfilled. */
  phoneOf(incident: Pick<IncidentEntity, 'reporterPhone' | 'reporterPhoneSealed'>): string | null {
    if (incident.reporterPhoneSealed) return this.cipher.open(incident.reporterPhoneSealed, REPORTER_PHONE_PURPOSE);
    return incident.reporterPhone;
  }

  /**
   * The backfill of encryption at rest: seals the clear phone numbers of rows written before it, a
   * batch per transaction (rows other instances hold are skipped), one audit event per batch.
   * Returns how many rows were sealed; 0 once nothing is left.
   */
  async sealLegacyPhones(batchSize = 200): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.dataSource.transaction(async (em) => {
        const rows = await this.repo.legacyPhones(em, batchSize);
        for (const r of rows) await this.repo.sealLegacyPhone(em, r.id, this.cipher.seal(r.reporter_phone, REPORTER_PHONE_PURPOSE));
        if (rows.length) {
          await this.audit.record(em, {
            action: 'incident.reporter_phones_sealed',
            entityType: 'incident',
            detail: { rows: rows.length, incidentIds: rows.map((r) => r.id) },
          });
        }
        return rows.length;
      });
      total += n;
      if (n < batchSize) return total;
    }
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

  private async insertCoordination(
    em: EntityManager,
    incidentId: string,
    c: CoordinationDto,
    actor: IncidentActorRef,
    now: Date,
  ): Promise<IncidentCoordinationEntity> {
    const contactedAt = new Date(c.contactedAt);
    if (contactedAt.getTime() > now.getTime() + OCCURRED_AT_SKEW_MS) {
      throw CommonException.validation([
        { field: 'coordination.contactedAt', message: 'tidak boleh di masa depan (cannot be in the future)' },
      ]);
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
    if (!(await em.existsBy(OrgUnitEntity, { id })))
      throw CommonException.validation([{ field, message: 'unit tidak ditemukan (unit not found)' }]);
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

/** The evidence rows of staged uploads: the file name made safe, the declared type kept as a label only. */
function evidenceRows(files: UploadedEvidence[]): EvidenceRowInput[] {
  return files.map((f) => ({
    sha256: f.staged.sha256,
    size: f.staged.size,
    fileName: sanitiseFileName(f.originalname),
    contentType: declaredContentType(f.mimetype),
  }));
}

/**
 * Whether a failed write certainly did not commit: our own refusal (raised before anything was
 * written) or an error PostgreSQL answered with (an SQLSTATE: the statement or transaction was
 * rolled back). A broken connection or a timeout leaves it open.
 */
function isDefiniteFailure(err: unknown): boolean {
  if (err instanceof AppException) return true;
  const e = err as { driverError?: unknown } | null;
  const answer = (e?.driverError ?? e) as { code?: unknown; syscall?: unknown; errno?: unknown } | null;
  // A system error (EPIPE, ECONNRESET…) has a syscall and an errno; a server's answer has neither.
  return (
    typeof answer?.code === 'string' && /^[0-9A-Z]{5}$/.test(answer.code) && answer.syscall === undefined && answer.errno === undefined
  );
}

/** A ticket collision with stored data, or the year's ticket sequence gone (both repairable). */
function isTicketSequenceFault(err: unknown): boolean {
  const e = err as {
    code?: string;
    constraint?: string;
    message?: string;
    driverError?: { code?: string; constraint?: string; message?: string };
  } | null;
  const code = e?.code ?? e?.driverError?.code;
  const constraint = e?.constraint ?? e?.driverError?.constraint;
  const message = e?.message ?? '';
  return (
    (code === '23505' && (constraint === 'incidents_ticket_key' || message.includes('incidents_ticket_key'))) ||
    (code === '42P01' && message.includes('incident_ticket_seq_'))
  );
}

/** RSIT code or quick-pick key → RSIT code; anything else is a 400 naming the field. */
export function resolveCategory(input: string, field = 'category'): string {
  const pick = QUICK_PICKS.find((p) => p.key === input.trim().toLowerCase());
  const code = pick?.category ?? normaliseCategory(input);
  if (!code) {
    throw new IncidentException(
      IncidentErrorCode.UnknownCategory,
      `Kategori '${input}' tidak dikenal (unknown category; see GET /incident-taxonomy)`,
      {
        errors: [{ field, message: 'kategori RSIT tidak dikenal (unknown RSIT category)' }],
      },
    );
  }
  return code;
}

/** Validates and normalises observables, all errors at once; duplicates collapse to one. */
export function normaliseObservableInputs(
  inputs: ObservableInputDto[],
  field = 'observables',
): Array<{ type: ObservableType; value: string }> {
  const errors: FieldError[] = [];
  const out = new Map<string, { type: ObservableType; value: string }>();
  inputs.forEach((o, n) => {
    const r = normaliseObservable(o.type, o.value);
    const path = field ? `${field}[${n}].value` : 'value';
    if (!r.ok) errors.push({ field: path, message: r.message });
    else out.set(`${o.type}\u0000${r.value}`, { type: o.type, value: r.value });
  });
  if (errors.length)
    throw new IncidentException(IncidentErrorCode.InvalidObservable, 'Observable tidak valid (invalid observable)', { errors });
  return [...out.values()];
}

/** The parts of the action payload that were given. */
function givenParts(dto: IncidentActionDto): PayloadPart[] {
  const parts: PayloadPart[] = [
    'note',
    'message',
    'reason',
    'recommendation',
    'resolutionReport',
    'closureRecord',
    'coordination',
    'classification',
    'assignment',
    'comment',
  ];
  return parts.filter((p) => dto[p] !== undefined && dto[p] !== null);
}

function checkPayload(t: Transition, dto: IncidentActionDto): void {
  const { required, accepted } = payloadOf(t);
  const given = givenParts(dto);
  const errors: FieldError[] = [
    ...required
      .filter((p) => !given.includes(p))
      .map((p) => ({ field: p, message: `wajib untuk '${t.action}' (required for this action)` })),
    ...given
      .filter((p) => !accepted.includes(p))
      .map((p) => ({ field: p, message: `tidak dipakai oleh '${t.action}' (not accepted by this action)` })),
  ];
  if (errors.length)
    throw new IncidentException(
      IncidentErrorCode.InvalidPayload,
      `Isian untuk '${t.action}' tidak sesuai (payload does not fit the action)`,
      { errors },
    );
}

/** What the audit trail keeps of a payload: the workflow texts, not the reporter's personal data. */
function auditPayload(action: IncidentAction, dto: IncidentActionDto): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of ['note', 'message', 'reason', 'recommendation', 'resolutionReport', 'closureRecord', 'comment'] as const)
    if (dto[p]) out[p] = dto[p];
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
