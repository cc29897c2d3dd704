import { AuditEventEntity } from '../audit/audit-event.entity.js';
import { SessionEntity } from '../auth/session.entity.js';
import { UserEntity } from '../auth/user.entity.js';
import { OutboxMessageEntity } from '../notify/outbox-message.entity.js';
import { OrgUnitEntity } from '../organisation/org-unit.entity.js';
import { PositionEntity } from '../organisation/position.entity.js';
import { JobRunEntity } from '../scheduler/job-run.entity.js';
import { CoreSchema1763800000000 } from './migrations/1763800000000-core-schema.js';
import { AuditPending1765065600000 } from './migrations/1765065600000-audit-pending.js';
import { RateLimitCounters1795392000001 } from './migrations/1795392000001-rate-limit-counters.js';
import { SystemStateEntity } from './system-state.entity.js';

export const CORE_ENTITIES = [
  OrgUnitEntity,
  PositionEntity,
  UserEntity,
  SessionEntity,
  AuditEventEntity,
  OutboxMessageEntity,
  JobRunEntity,
  SystemStateEntity,
];

export const CORE_MIGRATIONS = [CoreSchema1763800000000, AuditPending1765065600000, RateLimitCounters1795392000001];
