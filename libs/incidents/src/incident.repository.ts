import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { offsetOf, OrgUnitEntity, UserEntity } from '@sandi/core';
import type { IncidentQueryDto } from './dto/query.dto.js';
import { IncidentCoordinationEntity } from './entities/incident-coordination.entity.js';
import { IncidentEvidenceEntity } from './entities/incident-evidence.entity.js';
import { IncidentObservableEntity } from './entities/incident-observable.entity.js';
import { IncidentTimelineEntity } from './entities/incident-timeline.entity.js';
import { IncidentEntity } from './entities/incident.entity.js';
import { INCIDENT_STATES, TEAM_OF_STATE, type Team } from './incident.workflow.js';
import type { ObservableType } from './observable.policy.js';

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

/** SQL for "past a due date whose work is not done" (the same rule as isOverdue in incident-sla.policy). */
export const OVERDUE_SQL = `(i.rejected_at IS NULL AND (
  (i.recommended_at IS NULL AND i.recommendation_due_at < :now) OR
  (i.resolved_at IS NULL AND i.resolution_due_at < :now) OR
  (i.closed_at IS NULL AND i.closure_due_at < :now)))`;

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The only code that reads incident tables with queries of its own. */
@Injectable()
export class IncidentRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The incident row, locked for the rest of the transaction; null when it does not exist. */
  lock(em: EntityManager, id: string): Promise<IncidentEntity | null> {
    return em.getRepository(IncidentEntity).createQueryBuilder('i').setLock('pessimistic_write').where('i.id = :id', { id }).getOne();
  }

  lockByTicket(em: EntityManager, ticket: string): Promise<IncidentEntity | null> {
    return em.getRepository(IncidentEntity).createQueryBuilder('i').setLock('pessimistic_write').where('i.ticket = :ticket', { ticket }).getOne();
  }

  findByTicket(ticket: string): Promise<IncidentEntity | null> {
    return this.dataSource.getRepository(IncidentEntity).findOneBy({ ticket });
  }

  findById(id: string): Promise<IncidentEntity | null> {
    return this.dataSource.getRepository(IncidentEntity).findOneBy({ id });
  }

  /** Next ticket sequence for `year`: the counter row is created or incremented, and stays locked until commit. */
  async nextTicketSequence(em: EntityManager, year: number): Promise<number> {
    const rows: { last_value: number }[] = await em.query(
      `INSERT INTO incident_ticket_counters (year, last_value) VALUES ($1, 1)
       ON CONFLICT (year) DO UPDATE SET last_value = incident_ticket_counters.last_value + 1
       RETURNING last_value`,
      [year],
    );
    return Number(rows[0]!.last_value);
  }

  async list(q: IncidentQueryDto, userId: string, now: Date): Promise<{ rows: Array<{ incident: IncidentEntity; names: IncidentNames }>; total: number }> {
    const qb = this.dataSource
      .getRepository(IncidentEntity)
      .createQueryBuilder('i')
      .leftJoin(OrgUnitEntity, 'unit', 'unit.id = i.opdUnitId')
      .addSelect('unit.name', 'unit_name')
      .leftJoin(UserEntity, 'a_hd', 'a_hd.id = i.assigneeHelpdeskId')
      .addSelect('a_hd.fullName', 'a_hd_name')
      .leftJoin(UserEntity, 'a_dt', 'a_dt.id = i.assigneeDataId')
      .addSelect('a_dt.fullName', 'a_dt_name')
      .leftJoin(UserEntity, 'a_an', 'a_an.id = i.assigneeAnalystId')
      .addSelect('a_an.fullName', 'a_an_name')
      .leftJoin(UserEntity, 'a_hn', 'a_hn.id = i.assigneeHandlerId')
      .addSelect('a_hn.fullName', 'a_hn_name');
    if (q.team) {
      const team = q.team;
      qb.andWhere('i.status IN (:...teamStates)', { teamStates: INCIDENT_STATES.filter((s) => TEAM_OF_STATE[s] === team) });
    }
    if (q.status?.length) qb.andWhere('i.status IN (:...statuses)', { statuses: q.status });
    if (q.priority) qb.andWhere('i.priority = :priority', { priority: q.priority });
    if (q.category) qb.andWhere('i.categoryCode = :category', { category: q.category.trim().toLowerCase() });
    if (q.opdUnitId) qb.andWhere('i.opdUnitId = :unitId', { unitId: q.opdUnitId });
    if (q.overdue !== undefined) qb.andWhere(q.overdue ? OVERDUE_SQL : `NOT ${OVERDUE_SQL}`, { now });
    if (q.assignedToMe) {
      qb.andWhere('(i.assigneeHelpdeskId = :me OR i.assigneeDataId = :me OR i.assigneeAnalystId = :me OR i.assigneeHandlerId = :me)', { me: userId });
    }
    if (q.q?.trim()) {
      const term = `%${escapeLike(q.q.trim().toLowerCase())}%`;
      qb.andWhere(
        `(lower(i.ticket) LIKE :term OR lower(i.title) LIKE :term OR lower(i.reporterName) LIKE :term
          OR lower(coalesce(i.reporterOrganisation, '')) LIKE :term OR lower(coalesce(i.reporterEmail, '')) LIKE :term)`,
        { term },
      );
    }
    if (q.team) qb.orderBy('i.priority', 'ASC').addOrderBy('i.reportedAt', 'ASC');
    else qb.orderBy('i.reportedAt', 'DESC');
    qb.addOrderBy('i.id', 'ASC').offset(offsetOf(q)).limit(q.pageSize);
    const [{ entities, raw }, total] = await Promise.all([qb.getRawAndEntities(), qb.getCount()]);
    return {
      total,
      rows: entities.map((incident, n) => {
        const r = raw[n] as Record<string, string | null>;
        const person = (id: string | null, name: string | null | undefined) => (id ? { id, name: name ?? '' } : null);
        return {
          incident,
          names: {
            unitName: r.unit_name ?? null,
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
    const ids = [incident.assigneeHelpdeskId, incident.assigneeDataId, incident.assigneeAnalystId, incident.assigneeHandlerId].filter((x): x is string => !!x);
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
    return this.dataSource.getRepository(IncidentCoordinationEntity).find({ where: { incidentId }, order: { contactedAt: 'ASC', id: 'ASC' } });
  }

  /** Other incidents sharing an observable (same type and canonical value) with this one. */
  async correlated(incidentId: string, limit = 200): Promise<CorrelationRow[]> {
    const rows: Array<{ incident_id: string; ticket: string; status: IncidentEntity['status']; title: string; reported_at: Date | string; type: ObservableType; value: string }> =
      await this.dataSource.query(
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

  /** Active users holding `role`, for team mail. */
  activeUsersWithRole(em: EntityManager, role: string): Promise<UserEntity[]> {
    return em
      .getRepository(UserEntity)
      .createQueryBuilder('u')
      .where(':role = ANY(u.roles) AND u.active', { role })
      .orderBy('u.username', 'ASC')
      .getMany();
  }
}
