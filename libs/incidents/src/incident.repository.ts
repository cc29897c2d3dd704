import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { offsetOf, OrgUnitEntity, UserEntity, type SqlStatement } from '@sandi/core';
import type { IncidentQueryDto } from './dto/query.dto.js';
import { IncidentCoordinationEntity } from './entities/incident-coordination.entity.js';
import { IncidentEvidenceEntity } from './entities/incident-evidence.entity.js';
import { IncidentObservableEntity } from './entities/incident-observable.entity.js';
import { IncidentTimelineEntity } from './entities/incident-timeline.entity.js';
import { IncidentEntity } from './entities/incident.entity.js';
import { INCIDENT_STATES, TEAM_OF_STATE, type Team } from './incident.workflow.js';
import type { ObservableType } from './observable.policy.js';
import { TICKET_MAX_SEQUENCE } from './ticket.util.js';

/** Names that go with an incident row in lists: its OPD unit and the assignee of each team. */
export interface IncidentNames {
  unitName: string | null;
  assignees: Record<Team, { id: string; name: string } | null>;
}

export interface CorrelationRow {
  incidentId: string;
  ticket: string;
  status: IncidentEntity['status'];
  title: string;
  reportedAt: Date;
  type: ObservableType;
  value: string;
}

const ASSIGNEE_COLUMNS: Record<Team, keyof IncidentEntity> = {
  helpdesk: 'assigneeHelpdeskId',
  data: 'assigneeDataId',
  analysis: 'assigneeAnalystId',
  handling: 'assigneeHandlerId',
};

export function assigneeColumn(team: Team): 'assigneeHelpdeskId' | 'assigneeDataId' | 'assigneeAnalystId' | 'assigneeHandlerId' {
  return ASSIGNEE_COLUMNS[team] as 'assigneeHelpdeskId' | 'assigneeDataId' | 'assigneeAnalystId' | 'assigneeHandlerId';
}

/** SQL for "past a due date whose work is not done" (the same rule as isOverdue in incident-sla.policy); `now` is a placeholder. */
export function overdueSql(now: string): string {
  return `(i.rejected_at IS NULL AND (
  (i.recommended_at IS NULL AND i.recommendation_due_at < ${now}::timestamptz) OR
  (i.resolved_at IS NULL AND i.resolution_due_at < ${now}::timestamptz) OR
  (i.closed_at IS NULL AND i.closure_due_at < ${now}::timestamptz)))`;
}

/** The columns a list row needs (the summary view and its SLA facts), as `i.<column>`. */
const SUMMARY_COLUMN_NAMES = [
  'id',
  'ticket',
  'status',
  'source',
  'title',
  'category_code',
  'impact',
  'urgency',
  'priority',
  'tlp',
  'opd_unit_id',
  'reporter_name',
  'reporter_organisation',
  'reported_at',
  'sla_started_at',
  'recommendation_due_at',
  'resolution_due_at',
  'closure_due_at',
  'recommended_at',
  'resolved_at',
  'closed_at',
  'rejected_at',
  'sla_breaches',
  'sla_warnings_sent',
  'escalated_at',
  'assignee_helpdesk_id',
  'assignee_data_id',
  'assignee_analyst_id',
  'assignee_handler_id',
  'updated_at',
] as const;
const SUMMARY_COLUMNS = SUMMARY_COLUMN_NAMES.map((c) => `i.${c}`).join(', ');

const dateOrNull = (v: unknown): Date | null => (v == null ? null : new Date(v as string | Date));

/** A list row as the part of an IncidentEntity the summary view reads. */
function incidentOfRow(r: Record<string, unknown>): IncidentEntity {
  return Object.assign(new IncidentEntity(), {
    id: r.id as string,
    ticket: r.ticket as string,
    status: r.status as IncidentEntity['status'],
    source: r.source as IncidentEntity['source'],
    title: r.title as string,
    categoryCode: r.category_code as string,
    impact: r.impact as IncidentEntity['impact'],
    urgency: r.urgency as IncidentEntity['urgency'],
    priority: r.priority as IncidentEntity['priority'],
    tlp: r.tlp as IncidentEntity['tlp'],
    opdUnitId: (r.opd_unit_id as string | null) ?? null,
    reporterName: r.reporter_name as string,
    reporterOrganisation: (r.reporter_organisation as string | null) ?? null,
    reportedAt: new Date(r.reported_at as string),
    slaStartedAt: new Date(r.sla_started_at as string),
    recommendationDueAt: new Date(r.recommendation_due_at as string),
    resolutionDueAt: new Date(r.resolution_due_at as string),
    closureDueAt: new Date(r.closure_due_at as string),
    recommendedAt: dateOrNull(r.recommended_at),
    resolvedAt: dateOrNull(r.resolved_at),
    closedAt: dateOrNull(r.closed_at),
    rejectedAt: dateOrNull(r.rejected_at),
    slaBreaches: (r.sla_breaches as IncidentEntity['slaBreaches']) ?? [],
    slaWarningsSent: (r.sla_warnings_sent as IncidentEntity['slaWarningsSent']) ?? [],
    escalatedAt: dateOrNull(r.escalated_at),
    assigneeHelpdeskId: (r.assignee_helpdesk_id as string | null) ?? null,
    assigneeDataId: (r.assignee_data_id as string | null) ?? null,
    assigneeAnalystId: (r.assignee_analyst_id as string | null) ?? null,
    assigneeHandlerId: (r.assignee_handler_id as string | null) ?? null,
    updatedAt: new Date(r.updated_at as string),
  });
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export interface EvidenceRowInput {
  sha256: string;
  size: number;
  fileName: string;
  contentType: string;
}

export interface AddedEvidence {
  id: string;
  sha256: string;
  size: number;
  fileName: string;
}

/** What an intake writes with the incident itself. Observables already normalised and distinct. */
export interface IntakeParts {
  evidence: readonly EvidenceRowInput[];
  observables: ReadonlyArray<{ type: ObservableType; value: string }>;
  /** Who handed it in: the reporter (public form) or a staff member. */
  by: { uploader: 'reporter' | 'staff'; userId: string | null };
  /** The first timeline entry (kind `reported`, shown to the reporter). */
  timeline: { kind: string; actorKind: 'staff' | 'reporter' | 'system'; actorName: string | null; detail: Record<string, unknown> };
}

/** The sequence that numbers the tickets of `year` (an integer 2000–9999, so safe in SQL text). */
export function ticketSequenceName(year: number): string {
  if (!Number.isInteger(year) || year < 2000 || year > 9999) throw new RangeError(`ticket year out of range: ${year}`);
  return `incident_ticket_seq_${year}`;
}

/** The only code that reads incident tables with queries of its own. */
@Injectable()
export class IncidentRepository {
  /** Years whose ticket sequence this process has seen exist. */
  private readonly ticketYears = new Set<number>();

  constructor(private readonly dataSource: DataSource) {}

  /** The incident row, locked for the rest of the transaction; null when it does not exist. */
  lock(em: EntityManager, id: string): Promise<IncidentEntity | null> {
    return em.getRepository(IncidentEntity).createQueryBuilder('i').setLock('pessimistic_write').where('i.id = :id', { id }).getOne();
  }

  lockByTicket(em: EntityManager, ticket: string): Promise<IncidentEntity | null> {
    return em
      .getRepository(IncidentEntity)
      .createQueryBuilder('i')
      .setLock('pessimistic_write')
      .where('i.ticket = :ticket', { ticket })
      .getOne();
  }

  findByTicket(ticket: string): Promise<IncidentEntity | null> {
    return this.dataSource.getRepository(IncidentEntity).findOneBy({ ticket });
  }

  findById(id: string): Promise<IncidentEntity | null> {
    return this.dataSource.getRepository(IncidentEntity).findOneBy({ id });
  }

  /**
   * Makes sure the ticket sequence of `year` exists (once per process and year). It starts after the
   * highest ticket of that year already stored, so a database restored without its sequences goes on
   * where it stopped. Creation runs under an advisory lock: instances starting the year together
   * create it once.
   */
  async ensureTicketSequence(year: number): Promise<void> {
    if (this.ticketYears.has(year)) return;
    const seq = ticketSequenceName(year);
    await this.dataSource.transaction(async (em) => {
      await em.query(`SELECT pg_advisory_xact_lock(hashtext('incident_ticket_seq'))`);
      const [{ present }]: { present: boolean }[] = await em.query(`SELECT to_regclass($1) IS NOT NULL AS present`, [seq]);
      if (present) return;
      await em.query(`CREATE SEQUENCE ${seq} AS integer MINVALUE 1 MAXVALUE ${TICKET_MAX_SEQUENCE} NO CYCLE`);
      const last = await this.highestTicketNumber(em, year);
      if (last > 0) await em.query(`SELECT setval($1, $2, true)`, [seq, last]);
    });
    this.ticketYears.add(year);
  }

  /**
   * After a ticket collision (the sequence behind the stored tickets, e.g. restored data) or a missing
   * sequence: recreate it if needed and move it past the highest stored ticket. Never moves it back.
   */
  async repairTicketSequence(year: number): Promise<void> {
    this.ticketYears.delete(year);
    await this.ensureTicketSequence(year);
    await this.dataSource.transaction(async (em) => {
      await em.query(`SELECT pg_advisory_xact_lock(hashtext('incident_ticket_seq'))`);
      const last = await this.highestTicketNumber(em, year);
      if (last > 0)
        await em.query(`SELECT setval($1, greatest($2, (SELECT last_value FROM ${ticketSequenceName(year)})), true)`, [
          ticketSequenceName(year),
          last,
        ]);
    });
  }

  private async highestTicketNumber(em: EntityManager, year: number): Promise<number> {
    const [row]: { last: number | null }[] = await em.query(
      `SELECT max(right(ticket, 6)::integer) AS last FROM incidents WHERE ticket LIKE $1`,
      [`INC-${year}-%`],
    );
    return Number(row?.last ?? 0);
  }

  /** The next ticket number of `year` from its sequence (its own tiny statement, no lock). */
  async nextTicketNumber(year: number): Promise<number> {
    const [row]: { n: string }[] = await this.dataSource.query(`SELECT nextval($1::regclass) AS n`, [ticketSequenceName(year)]);
    return Number(row!.n);
  }

  /**
   * Adds a new incident and what came with it to the intake's single statement (every round trip
   * counts on the hot path): the incident row, its evidence rows, observables and first timeline
   * entry. Only the columns an intake sets; the rest take their defaults.
   */
  addIntake(stmt: SqlStatement, i: IncidentEntity, parts: IntakeParts): void {
    const p = (v: unknown, cast = 'text') => stmt.param(v, cast);
    const evidence = [...new Map(parts.evidence.map((f) => [f.sha256, f])).values()];
    const t = parts.timeline;
    const at = p(i.createdAt, 'timestamptz');
    const userId = p(parts.by.userId, 'uuid');
    const incident = stmt.with(
      'incident',
      `INSERT INTO incidents (id, ticket, status, source, reporter_name, reporter_organisation, reporter_unit, reporter_email,
                              reporter_phone_sealed, reporter_locale, title, description, occurred_at, affected_systems, category_code,
                              impact, urgency, priority, tlp, opd_unit_id, reported_at, sla_started_at, recommendation_due_at,
                              resolution_due_at, closure_due_at, tracking_token_hash, created_by, created_at, updated_at)
       VALUES (${p(i.id, 'uuid')}, ${p(i.ticket)}, ${p(i.status)}, ${p(i.source)}, ${p(i.reporterName)}, ${p(i.reporterOrganisation)}, ${p(i.reporterUnit)},
               ${p(i.reporterEmail)}, ${p(i.reporterPhoneSealed)}, ${p(i.reporterLocale)}, ${p(i.title)}, ${p(i.description)},
               ${p(i.occurredAt, 'timestamptz')}, ${p(i.affectedSystems, 'text[]')}, ${p(i.categoryCode)}, ${p(i.impact)}, ${p(i.urgency)},
               ${p(i.priority)}, ${p(i.tlp)}, ${p(i.opdUnitId, 'uuid')}, ${p(i.reportedAt, 'timestamptz')}, ${p(i.slaStartedAt, 'timestamptz')},
               ${p(i.recommendationDueAt, 'timestamptz')}, ${p(i.resolutionDueAt, 'timestamptz')}, ${p(i.closureDueAt, 'timestamptz')},
               ${p(i.trackingTokenHash)}, ${p(i.createdBy, 'uuid')}, ${at}, ${at})
       RETURNING id`,
    );
    if (evidence.length) {
      stmt.with(
        'evidence',
        `INSERT INTO incident_evidence (incident_id, sha256, size, file_name, content_type, uploader, uploaded_by, uploaded_at)
         SELECT i.id, f.sha256, f.size, f.file_name, f.content_type, ${p(parts.by.uploader)}, ${userId}, ${at}
           FROM ${incident} i,
                unnest(${p(
                  evidence.map((f) => f.sha256),
                  'text[]',
                )}, ${p(
                  evidence.map((f) => f.size),
                  'bigint[]',
                )},
                       ${p(
                         evidence.map((f) => f.fileName),
                         'text[]',
                       )}, ${p(
                         evidence.map((f) => f.contentType),
                         'text[]',
                       )}) AS f(sha256, size, file_name, content_type)`,
      );
    }
    if (parts.observables.length) {
      stmt.with(
        'observables',
        `INSERT INTO incident_observables (incident_id, type, value, added_by)
         SELECT i.id, o.type, o.value, ${userId}
           FROM ${incident} i, unnest(${p(
             parts.observables.map((o) => o.type),
             'text[]',
           )}, ${p(
             parts.observables.map((o) => o.value),
             'text[]',
           )}) AS o(type, value)`,
      );
    }
    stmt.with(
      'timeline',
      `INSERT INTO incident_timeline (incident_id, at, kind, from_status, to_status, actor_kind, actor_id, actor_name, body, detail, visible_to_reporter)
       SELECT i.id, ${at}, ${p(t.kind)}, NULL, ${p(i.status)}, ${p(t.actorKind)}, ${userId}, ${p(t.actorName)}, NULL, ${p(JSON.stringify(t.detail), 'jsonb')}, true
         FROM ${incident} i`,
    );
  }

  /**
   * Evidence rows for stored files; the same bytes twice for one incident are recorded once.
   * Returns the rows added, in the order given.
   */
  async insertEvidence(
    em: EntityManager,
    incidentId: string,
    files: readonly EvidenceRowInput[],
    by: { uploader: 'reporter' | 'staff'; userId: string | null; at: Date },
  ): Promise<AddedEvidence[]> {
    const unique = [...new Map(files.map((f) => [f.sha256, f])).values()];
    if (!unique.length) return [];
    const rows: { id: string; sha256: string }[] = await em.query(
      `INSERT INTO incident_evidence (incident_id, sha256, size, file_name, content_type, uploader, uploaded_by, uploaded_at)
       SELECT $1, f.sha256, f.size, f.file_name, f.content_type, $6, $7, $8
         FROM unnest($2::text[], $3::bigint[], $4::text[], $5::text[]) WITH ORDINALITY AS f(sha256, size, file_name, content_type, n)
        ORDER BY f.n
       ON CONFLICT (incident_id, sha256) DO NOTHING
       RETURNING id, sha256`,
      [
        incidentId,
        unique.map((f) => f.sha256),
        unique.map((f) => f.size),
        unique.map((f) => f.fileName),
        unique.map((f) => f.contentType),
        by.uploader,
        by.userId,
        by.at,
      ],
    );
    const ids = new Map(rows.map((r) => [r.sha256, r.id]));
    return unique
      .filter((f) => ids.has(f.sha256))
      .map((f) => ({ id: ids.get(f.sha256)!, sha256: f.sha256, size: f.size, fileName: f.fileName }));
  }

  /** Observables not yet recorded for the incident; returns the ids of those added, in the order given. */
  async insertObservables(
    em: EntityManager,
    incidentId: string,
    list: ReadonlyArray<{ type: ObservableType; value: string }>,
    addedBy: string | null,
  ): Promise<string[]> {
    if (!list.length) return [];
    const rows: { id: string; type: string; value: string }[] = await em.query(
      `INSERT INTO incident_observables (incident_id, type, value, added_by)
       SELECT $1, o.type, o.value, $4 FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS o(type, value, n) ORDER BY o.n
       ON CONFLICT (incident_id, type, value) DO NOTHING
       RETURNING id, type, value`,
      [incidentId, list.map((o) => o.type), list.map((o) => o.value), addedBy],
    );
    const ids = new Map(rows.map((r) => [`${r.type}\u0000${r.value}`, r.id]));
    return list.map((o) => ids.get(`${o.type}\u0000${o.value}`)).filter((x): x is string => !!x);
  }

  /** Whether any incident's evidence points at these bytes (the storage sweep keeps such files). */
  async evidenceReferenced(sha256: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(`SELECT 1 FROM incident_evidence WHERE sha256 = $1 LIMIT 1`, [sha256]);
    return rows.length > 0;
  }

  /** A batch of rows still holding a clear phone number, locked (skipping rows others hold) for the backfill. */
  legacyPhones(em: EntityManager, limit: number): Promise<Array<{ id: string; reporter_phone: string }>> {
    return em.query(
      `SELECT id, reporter_phone FROM incidents WHERE reporter_phone IS NOT NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
  }

  async sealLegacyPhone(em: EntityManager, id: string, sealed: string): Promise<void> {
    await em.query(`UPDATE incidents SET reporter_phone_sealed = $2, reporter_phone = NULL WHERE id = $1`, [id, sealed]);
  }

  /**
   * A queue or filtered list in one statement (the page, its names and the total), without entity
   * hydration: the staff queues are read far more than anything else.
   */
  async list(
    q: IncidentQueryDto,
    userId: string,
    now: Date,
  ): Promise<{ rows: Array<{ incident: IncidentEntity; names: IncidentNames }>; total: number }> {
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const where: string[] = [];
    if (q.team) {
      const team = q.team;
      where.push(`i.status = ANY(${p(INCIDENT_STATES.filter((st) => TEAM_OF_STATE[st] === team))}::text[])`);
    }
    if (q.status?.length) where.push(`i.status = ANY(${p(q.status)}::text[])`);
    if (q.priority) where.push(`i.priority = ${p(q.priority)}`);
    if (q.category) where.push(`i.category_code = ${p(q.category.trim().toLowerCase())}`);
    if (q.opdUnitId) where.push(`i.opd_unit_id = ${p(q.opdUnitId)}::uuid`);
    if (q.overdue !== undefined) {
      const overdue = overdueSql(p(now));
      where.push(q.overdue ? overdue : `NOT ${overdue}`);
    }
    if (q.assignedToMe) {
      const me = p(userId);
      where.push(
        `(i.assignee_helpdesk_id = ${me}::uuid OR i.assignee_data_id = ${me}::uuid OR i.assignee_analyst_id = ${me}::uuid OR i.assignee_handler_id = ${me}::uuid)`,
      );
    }
    if (q.q?.trim()) {
      const term = p(`%${escapeLike(q.q.trim().toLowerCase())}%`);
      where.push(
        `(lower(i.ticket) LIKE ${term} OR lower(i.title) LIKE ${term} OR lower(i.reporter_name) LIKE ${term}
          OR lower(coalesce(i.reporter_organisation, '')) LIKE ${term} OR lower(coalesce(i.reporter_email, '')) LIKE ${term})`,
      );
    }
    const order = (t: string) => (q.team ? `${t}.priority ASC, ${t}.reported_at ASC, ${t}.id ASC` : `${t}.reported_at DESC, ${t}.id ASC`);
    const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
    // The page is cut first (an index walk for the default order), names are looked up for its rows
    // only, and the total is a narrow count: a window count would drag every matching row through.
    const rows: Array<Record<string, unknown> & { total: string }> = await this.dataSource.query(
      `SELECT p.*,
              (SELECT name FROM org_units WHERE id = p.opd_unit_id) AS unit_name,
              (SELECT full_name FROM users WHERE id = p.assignee_helpdesk_id) AS a_hd_name,
              (SELECT full_name FROM users WHERE id = p.assignee_data_id) AS a_dt_name,
              (SELECT full_name FROM users WHERE id = p.assignee_analyst_id) AS a_an_name,
              (SELECT full_name FROM users WHERE id = p.assignee_handler_id) AS a_hn_name,
              (SELECT count(*) FROM incidents i ${filter}) AS total
         FROM (SELECT ${SUMMARY_COLUMNS} FROM incidents i ${filter}
                ORDER BY ${order('i')} LIMIT ${p(q.pageSize)} OFFSET ${p(offsetOf(q))}) p
        ORDER BY ${order('p')}`,
      params,
    );
    let total = rows[0] ? Number(rows[0].total) : 0;
    if (!rows.length && q.page > 1) {
      // Past the last page there is no row to carry the total: count on its own.
      const [c]: { n: number }[] = await this.dataSource.query(`SELECT count(*)::int AS n FROM incidents i ${filter}`, params.slice(0, -2));
      total = c?.n ?? 0;
    }
    return {
      total,
      rows: rows.map((r) => {
        const incident = incidentOfRow(r);
        const person = (id: string | null, name: unknown) => (id ? { id, name: typeof name === 'string' ? name : '' } : null);
        return {
          incident,
          names: {
            unitName: (r.unit_name as string | null) ?? null,
            assignees: {
              helpdesk: person(incident.assigneeHelpdeskId, r.a_hd_name),
              data: person(incident.assigneeDataId, r.a_dt_name),
              analysis: person(incident.assigneeAnalystId, r.a_an_name),
              handling: person(incident.assigneeHandlerId, r.a_hn_name),
            },
          },
        };
      }),
    };
  }

  async namesOf(incident: IncidentEntity): Promise<IncidentNames> {
    const ids = [incident.assigneeHelpdeskId, incident.assigneeDataId, incident.assigneeAnalystId, incident.assigneeHandlerId].filter(
      (x): x is string => !!x,
    );
    const users = await this.userNames(ids);
    const unit = incident.opdUnitId ? await this.dataSource.getRepository(OrgUnitEntity).findOneBy({ id: incident.opdUnitId }) : null;
    const person = (id: string | null) => (id ? { id, name: users.get(id) ?? '' } : null);
    return {
      unitName: unit?.name ?? null,
      assignees: {
        helpdesk: person(incident.assigneeHelpdeskId),
        data: person(incident.assigneeDataId),
        analysis: person(incident.assigneeAnalystId),
        handling: person(incident.assigneeHandlerId),
      },
    };
  }

  async userNames(ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const users = await this.dataSource
      .getRepository(UserEntity)
      .createQueryBuilder('u')
      .where('u.id IN (:...ids)', { ids: [...new Set(ids)] })
      .getMany();
    return new Map(users.map((u) => [u.id, u.fullName]));
  }

  timeline(incidentId: string, onlyForReporter = false): Promise<IncidentTimelineEntity[]> {
    return this.dataSource.getRepository(IncidentTimelineEntity).find({
      where: onlyForReporter ? { incidentId, visibleToReporter: true } : { incidentId },
      order: { id: 'ASC' },
    });
  }

  evidence(incidentId: string): Promise<IncidentEvidenceEntity[]> {
    return this.dataSource.getRepository(IncidentEvidenceEntity).find({ where: { incidentId }, order: { uploadedAt: 'ASC', id: 'ASC' } });
  }

  findEvidence(incidentId: string, evidenceId: string): Promise<IncidentEvidenceEntity | null> {
    return this.dataSource.getRepository(IncidentEvidenceEntity).findOneBy({ id: evidenceId, incidentId });
  }

  observables(incidentId: string): Promise<IncidentObservableEntity[]> {
    return this.dataSource.getRepository(IncidentObservableEntity).find({ where: { incidentId }, order: { type: 'ASC', value: 'ASC' } });
  }

  coordinations(incidentId: string): Promise<IncidentCoordinationEntity[]> {
    return this.dataSource
      .getRepository(IncidentCoordinationEntity)
      .find({ where: { incidentId }, order: { contactedAt: 'ASC', id: 'ASC' } });
  }

  /** Other incidents sharing an observable (same type and canonical value) with this one. */
  async correlated(incidentId: string, limit = 200): Promise<CorrelationRow[]> {
    const rows: Array<{
      incident_id: string;
      ticket: string;
      status: IncidentEntity['status'];
      title: string;
      reported_at: Date | string;
      type: ObservableType;
      value: string;
    }> = await this.dataSource.query(
      `SELECT o2.incident_id, i.ticket, i.status, i.title, i.reported_at, o2.type, o2.value
           FROM incident_observables o1
           JOIN incident_observables o2 ON o2.type = o1.type AND o2.value = o1.value AND o2.incident_id <> o1.incident_id
           JOIN incidents i ON i.id = o2.incident_id
          WHERE o1.incident_id = $1
          ORDER BY i.reported_at DESC, o2.type, o2.value
          LIMIT $2`,
      [incidentId, limit],
    );
    return rows.map((r) => ({
      incidentId: r.incident_id,
      ticket: r.ticket,
      status: r.status,
      title: r.title,
      reportedAt: new Date(r.reported_at),
      type: r.type,
      value: r.value,
    }));
  }

  /** Active users holding `role`, by name: the people a team can assign. */
  activeMembers(role: string): Promise<Array<{ id: string; name: string }>> {
    return this.dataSource.query(`SELECT id, full_name AS name FROM users WHERE $1 = ANY(roles) AND active ORDER BY full_name, username`, [
      role,
    ]);
  }
}
