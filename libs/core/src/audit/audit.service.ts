import { createHash } from 'node:crypto';
import { isSecretKey } from '../logging/redact.js';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, type FindOptionsWhere } from 'typeorm';
import { requestContext, type RequestContext } from '../context/request-context.js';
import { offsetOf, pageOf, type Page } from '../http/pagination.js';
import { AuditEventEntity } from './audit-event.entity.js';
import { canonicalJson, toCanonicalValue } from './canonical-json.js';
import type { AuditQueryDto } from './dto/audit-query.dto.js';

/** Key of the transaction-scoped advisory lock that serialises appends to the chain: ASCII "sandiAUD" as int8. */
export const AUDIT_CHAIN_LOCK_KEY = '8314047764644320580';
/** `prev_hash` of the first event. */
export const AUDIT_GENESIS_HASH = '0'.repeat(64);
export const AUDIT_REDACTED = '[REDACTED]';

/** Keys whose values never enter the audit trail, at any depth. */

export interface AuditRecordInput {
  action: string;
  entityType: string;
  entityId?: string | null;
  before?: unknown;
  after?: unknown;
  detail?: Record<string, unknown>;
}

export interface AuditBrokenLink {
  seq: string;
  reason: string;
}

export interface AuditVerifyResult {
  /** True when every event links to the one before and its hash matches its stored content. */
  ok: boolean;
  /** Events found intact, in seq order, before the first broken one (all of them when ok). */
  checked: number;
  /** Hash of the last intact event: the chain head when ok. Null when no event is intact. */
  headHash: string | null;
  firstBroken: AuditBrokenLink | null;
}

/** What the API shows of an event (no ip, no prev_hash). */
export interface AuditEventView {
  seq: string;
  occurredAt: string;
  actorId: string | null;
  actorName: string | null;
  actorRoles: string[];
  action: string;
  entityType: string;
  entityId: string | null;
  summary: Record<string, unknown>;
  requestId: string | null;
  hash: string;
}

/** Exactly the columns the hash covers, as they come back from the database. */
interface ChainContent {
  seq: string;
  occurredAt: string;
  actorId: string | null;
  actorName: string | null;
  actorRoles: string[];
  action: string;
  entityType: string;
  entityId: string | null;
  summary: Record<string, unknown>;
  requestId: string | null;
  ip: string | null;
}

interface AuditRow {
  seq: string;
  occurred_at: Date | string;
  actor_id: string | null;
  actor_name: string | null;
  actor_roles: string[];
  action: string;
  entity_type: string;
  entity_id: string | null;
  summary: Record<string, unknown>;
  request_id: string | null;
  ip: string | null;
  prev_hash: string;
  hash: string;
}

/** The hash of one event: sha256 over the previous hash and the canonical JSON of its content. */
export function auditEventHash(prevHash: string, content: ChainContent): string {
  return createHash('sha256')
    .update(prevHash + canonicalJson(content))
    .digest('hex');
}

/**
 * The hash-chained audit trail. Every state change writes its event through `record` inside the
 * same transaction as the change; `verify` re-walks the chain and names the first broken event.
 */
@Injectable()
export class AuditService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Appends one event to the chain using the caller's transaction, so it commits or rolls back with
   * the change it describes. Who and which request come from the request context. The transaction
   * must run at READ COMMITTED (the default): the head is read after the chain lock is granted and
   * must see the event committed by the writer that held the lock before.
   */
  async record(em: EntityManager, input: AuditRecordInput): Promise<AuditEventEntity> {
    if (!em.queryRunner?.isTransactionActive) {
      throw new Error('AuditService.record must be given the entity manager of an open transaction');
    }
    const action = boundedText('action', input.action, 100);
    const entityType = boundedText('entityType', input.entityType, 100);
    const entityId = input.entityId == null ? null : boundedText('entityId', input.entityId, 100);
    const actor = actorOf(requestContext.get());
    // The summary is stored as jsonb and hashed; normalise it first so what is hashed is what is read back.
    const summary = redactSecrets(toCanonicalValue({ before: input.before, after: input.after, detail: input.detail })) as Record<string, unknown>;

    const [lock]: { isolation: string }[] = await em.query(
      `SELECT current_setting('transaction_isolation') AS isolation, pg_advisory_xact_lock($1::bigint) AS locked`,
      [AUDIT_CHAIN_LOCK_KEY],
    );
    if (lock.isolation !== 'read committed') {
      throw new Error(`AuditService.record needs a READ COMMITTED transaction, not ${lock.isolation}: a snapshot taken before the chain lock cannot see the current head`);
    }
    // The database clock, read under the lock, keeps occurred_at in chain order across instances.
    const [head]: { now: Date | string; seq: string | null; hash: string | null }[] = await em.query(
      `SELECT clock_timestamp() AS now, h.seq, h.hash
         FROM (SELECT 1) AS one
         LEFT JOIN (SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1) AS h ON true`,
    );
    const content: ChainContent = {
      seq: head.seq == null ? '1' : (BigInt(head.seq) + 1n).toString(),
      // timestamptz keeps microseconds; a JS Date keeps milliseconds. Store only what reads back exactly.
      occurredAt: new Date(Math.floor(new Date(head.now).getTime())).toISOString(),
      ...actor,
      action,
      entityType,
      entityId,
      summary,
    };
    const prevHash = head.hash ?? AUDIT_GENESIS_HASH;
    const hash = auditEventHash(prevHash, content);

    await em.query(
      `INSERT INTO audit_events
         (seq, occurred_at, actor_id, actor_name, actor_roles, action, entity_type, entity_id, summary, request_id, ip, prev_hash, hash)
       VALUES ($1::bigint, $2::timestamptz, $3::uuid, $4, $5::text[], $6, $7, $8, $9::jsonb, $10, $11, $12, $13)`,
      [
        content.seq,
        content.occurredAt,
        content.actorId,
        content.actorName,
        content.actorRoles,
        content.action,
        content.entityType,
        content.entityId,
        canonicalJson(content.summary),
        content.requestId,
        content.ip,
        prevHash,
        hash,
      ],
    );
    return Object.assign(new AuditEventEntity(), { ...content, occurredAt: new Date(content.occurredAt), prevHash, hash });
  }

  /**
   * Walks the whole chain in seq order, a batch at a time, recomputing every hash from the stored
   * columns. Stops at the first broken event. Cutting events off the end leaves a valid shorter
   * chain; compare `headHash` with a copy kept elsewhere to detect that.
   */
  async verify(options: { batchSize?: number } = {}): Promise<AuditVerifyResult> {
    const batchSize = options.batchSize ?? 500;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError('batchSize must be a positive integer');
    let checked = 0;
    let lastSeq = 0n;
    let lastHash: string | null = null;
    const broken = (seq: string, reason: string): AuditVerifyResult => ({ ok: false, checked, headHash: lastHash, firstBroken: { seq, reason } });

    for (;;) {
      // Rows are only ever appended and event N+1 cannot commit before event N, so no snapshot is needed.
      const rows: AuditRow[] = await this.dataSource.query(
        `SELECT seq, occurred_at, actor_id, actor_name, actor_roles, action, entity_type, entity_id,
                summary, request_id, ip, prev_hash, hash
           FROM audit_events WHERE seq > $1::bigint ORDER BY seq LIMIT $2`,
        [lastSeq.toString(), batchSize],
      );
      for (const row of rows) {
        const seq = BigInt(row.seq);
        if (seq !== lastSeq + 1n) return broken(seq.toString(), `sequence gap after ${lastSeq}`);
        const expectedPrev = lastHash ?? AUDIT_GENESIS_HASH;
        if (row.prev_hash !== expectedPrev) {
          return broken(seq.toString(), lastHash ? `prev_hash does not link to event ${lastSeq}` : 'prev_hash is not the genesis value');
        }
        if (auditEventHash(row.prev_hash, contentOf(row)) !== row.hash) return broken(seq.toString(), 'hash mismatch: content changed');
        checked += 1;
        lastSeq = seq;
        lastHash = row.hash;
      }
      if (rows.length < batchSize) return { ok: true, checked, headHash: lastHash, firstBroken: null };
    }
  }

  /** Events newest first, filtered by the optional fields of the query. */
  async list(query: AuditQueryDto): Promise<Page<AuditEventView>> {
    const where: FindOptionsWhere<AuditEventEntity> = {};
    if (query.action) where.action = query.action;
    if (query.entityType) where.entityType = query.entityType;
    if (query.entityId) where.entityId = query.entityId;
    if (query.actorId) where.actorId = query.actorId;
    const [rows, total] = await this.dataSource.getRepository(AuditEventEntity).findAndCount({
      where,
      order: { seq: 'DESC' },
      skip: offsetOf(query),
      take: query.pageSize,
    });
    return pageOf(rows.map(viewOf), total, query);
  }
}

function actorOf(ctx: RequestContext | undefined): Pick<ChainContent, 'actorId' | 'actorName' | 'actorRoles' | 'requestId' | 'ip'> {
  const user = ctx?.user;
  const name = ctx?.system ? `system:${ctx.system}` : (user?.fullName ?? null);
  return {
    actorId: user ? canonicalUuid(user.id) : null,
    actorName: clip(name, 200),
    actorRoles: (user?.roles ?? []).map(wellFormed),
    requestId: clip(ctx?.requestId ?? null, 100),
    ip: clip(ctx?.ip ?? null, 64),
  };
}

function contentOf(row: AuditRow): ChainContent {
  return {
    seq: String(row.seq),
    occurredAt: new Date(row.occurred_at).toISOString(),
    actorId: row.actor_id,
    actorName: row.actor_name,
    actorRoles: row.actor_roles,
    action: row.action,
    entityType: row.entity_type,
    entityId: row.entity_id,
    summary: row.summary,
    requestId: row.request_id,
    ip: row.ip,
  };
}

function viewOf(e: AuditEventEntity): AuditEventView {
  return {
    seq: String(e.seq),
    occurredAt: new Date(e.occurredAt).toISOString(),
    actorId: e.actorId,
    actorName: e.actorName,
    actorRoles: e.actorRoles,
    action: e.action,
    entityType: e.entityType,
    entityId: e.entityId,
    summary: e.summary,
    requestId: e.requestId,
    hash: e.hash,
  };
}

/** Replaces the value of every secret-looking key, at any depth, in a plain JSON value. */
export function redactSecrets(value: unknown): unknown {
  if (typeof value === 'string') return wellFormed(value);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(redactSecrets);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[wellFormed(k)] = isSecretKey(k) ? AUDIT_REDACTED : redactSecrets(v);
  return out;
}

/*
 * What is hashed must be byte for byte what the database gives back, so text is normalised the way
 * PostgreSQL would store it instead of letting the database change it silently: lone surrogates
 * become U+FFFD (as the UTF-8 encoder does), uuids take their canonical form, and over-long values
 * are refused (varchar(n) would silently cut trailing spaces) or, for context values, cut short.
 */
function wellFormed(s: string): string {
  return Buffer.from(s, 'utf8').toString('utf8');
}

function boundedText(field: string, value: string, max: number): string {
  const s = wellFormed(value);
  const length = [...s].length;
  if (length === 0 || length > max) throw new RangeError(`audit ${field} must be 1 to ${max} characters, got ${length}`);
  return s;
}

function clip(value: string | null, max: number): string | null {
  if (value == null) return null;
  const chars = [...wellFormed(value)];
  return chars.length > max ? chars.slice(0, max).join('') : chars.join('');
}

function canonicalUuid(id: string): string {
  const hex = id.replace(/^\{|\}$/g, '').replace(/-/g, '').toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(hex)) throw new TypeError(`audit actor id is not a UUID: ${id}`);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
