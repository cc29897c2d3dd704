import { createHash } from 'node:crypto';
import { isSecretKey } from '../logging/redact.js';
import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource, type EntityManager, type FindOptionsWhere } from 'typeorm';
import { requestContext, type RequestContext } from '../context/request-context.js';
import { SqlStatement } from '../database/sql-statement.js';
import { offsetOf, pageOf, type Page } from '../http/pagination.js';
import { AuditEventEntity } from './audit-event.entity.js';
import { canonicalJson, toCanonicalValue } from './canonical-json.js';
import type { AuditQueryDto } from './dto/audit-query.dto.js';

/** Key of the transaction-scoped advisory lock that serialises appends to the chain: ASCII "sandiAUD" as int8. */
export const AUDIT_CHAIN_LOCK_KEY = '8314047764644320580';
/** `prev_hash` of the first event. */
export const AUDIT_GENESIS_HASH = '0'.repeat(64);
export const AUDIT_REDACTED = '[REDACTED]';
/** Most queued events one sealing transaction links into the chain. */
export const AUDIT_SEAL_BATCH = 500;
/** How often queued events are sealed when nobody flushes them (a crash between commit and flush). */
const AUDIT_SEAL_INTERVAL_MS = 5_000;
/** How long `flushSoon` waits, so that events queued meanwhile are sealed in the same batch. */
const AUDIT_SEAL_DELAY_MS = 5;

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
 * The hash-chained audit trail. Every state change writes its event inside the same transaction as
 * the change, in one of two ways:
 * - `record` links the event into the chain at once: it takes the chain lock (a transaction-scoped
 *   advisory lock) and holds it until the caller commits, so it returns the event's seq and hash.
 * - `append` queues the event in `audit_pending` (no lock, so concurrent writers do not wait for each
 *   other); `flush` then links every committed queued event, in queue order, in short batched
 *   transactions under the same lock. Hot paths (the public incident intake) use this: the chain
 *   stays gap-free and verifiable, and the lock is held for one batch instead of a whole request.
 * `verify` and `list` flush first, so readers never miss a committed event; a timer flushes what a
 * crash between a commit and its flush left queued.
 */
@Injectable()
export class AuditService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(AuditService.name);
  private sealing: Promise<number> | undefined;
  private sealingNext: Promise<number> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private soon: NodeJS.Timeout | undefined;
  /** Background sealing runs only in a started application (a service built by hand seals on flush). */
  private background = false;
  /** Something was queued since the last sealing run started. */
  private knownQueued = false;

  constructor(private readonly dataSource: DataSource) {}

  onApplicationBootstrap(): void {
    this.background = true;
    this.timer = setInterval(() => this.sealInBackground(), AUDIT_SEAL_INTERVAL_MS);
    this.timer.unref();
  }

  /** Before the database closes: seal what is queued, so a clean stop leaves nothing behind. */
  async beforeApplicationShutdown(): Promise<void> {
    this.background = false;
    clearInterval(this.timer);
    clearTimeout(this.soon);
    this.timer = this.soon = undefined;
    await this.flush().catch(() => undefined);
  }

  /**
   * Seals queued events in a moment, in the background, batched with whatever else is queued by
   * then: what a hot path calls after its commit instead of waiting for `flush`. Readers lose
   * nothing meanwhile (`list` and `verify` flush first).
   */
  flushSoon(): void {
    if (!this.background) return;
    this.knownQueued = true;
    if (this.soon) return;
    this.soon = setTimeout(() => {
      this.soon = undefined;
      this.sealInBackground();
    }, AUDIT_SEAL_DELAY_MS);
  }

  private sealInBackground(): void {
    this.flush().catch((err: unknown) =>
      this.logger.warn(`Sealing queued audit events failed; retried later: ${err instanceof Error ? err.message : String(err)}`),
    );
  }

  /**
   * Appends one event to the chain using the caller's transaction, so it commits or rolls back with
   * the change it describes. Who and which request come from the request context. The transaction
   * must run at READ COMMITTED (the default): the head is read after the chain lock is granted and
   * must see the event committed by the writer that held the lock before. The lock is held until the
   * caller commits: make this the last statement of the transaction.
   */
  async record(em: EntityManager, input: AuditRecordInput): Promise<AuditEventEntity> {
    if (!em.queryRunner?.isTransactionActive) {
      throw new Error('AuditService.record must be given the entity manager of an open transaction');
    }
    const event = prepareEvent(input);

    const [lock]: { isolation: string }[] = await em.query(
      `SELECT current_setting('transaction_isolation') AS isolation, pg_advisory_xact_lock($1::bigint) AS locked`,
      [AUDIT_CHAIN_LOCK_KEY],
    );
    if (lock.isolation !== 'read committed') {
      throw new Error(
        `AuditService.record needs a READ COMMITTED transaction, not ${lock.isolation}: a snapshot taken before the chain lock cannot see the current head`,
      );
    }
    // The database clock, read under the lock, keeps occurred_at in chain order across instances.
    const [head]: { now: Date | string; seq: string | null; hash: string | null }[] = await em.query(
      `SELECT clock_timestamp() AS now, h.seq, h.hash
         FROM (SELECT 1) AS one
         LEFT JOIN (SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1) AS h ON true`,
    );
    const [linked] = linkEvents(head, [{ ...event, occurredAt: msIso(head.now) }]);
    await insertLinked(em, [linked!]);
    return Object.assign(new AuditEventEntity(), {
      ...linked!.content,
      occurredAt: new Date(linked!.content.occurredAt),
      prevHash: linked!.prevHash,
      hash: linked!.hash,
    });
  }

  /**
   * Queues one event in the caller's transaction (it commits or rolls back with the change) without
   * taking the chain lock. Its actor, request and time are fixed now; its seq and hash when it is
   * sealed. After the commit call `flushSoon()`, or `flush()` (never inside a transaction) to seal it
   * before going on.
   */
  async append(em: EntityManager, input: AuditRecordInput): Promise<void> {
    if (!em.queryRunner?.isTransactionActive) {
      throw new Error('AuditService.append must be given the entity manager of an open transaction');
    }
    const stmt = new SqlStatement();
    this.appendIn(stmt, input);
    await em.query(...stmt.build());
  }

  /**
   * `append` as a part of the caller's single statement (see SqlStatement): the event is queued
   * exactly when that statement succeeds.
   */
  appendIn(stmt: SqlStatement, input: AuditRecordInput): void {
    const e = prepareEvent(input);
    const p = (v: unknown, cast?: string) => stmt.param(v, cast);
    // Milliseconds only, like occurred_at in the chain: what is hashed must read back exactly.
    stmt.with(
      'audit_queued',
      `INSERT INTO audit_pending (occurred_at, actor_id, actor_name, actor_roles, action, entity_type, entity_id, summary, request_id, ip)
       VALUES (date_trunc('milliseconds', clock_timestamp()), ${p(e.actorId, 'uuid')}, ${p(e.actorName, 'text')}, ${p(e.actorRoles, 'text[]')}, ${p(e.action, 'text')},
               ${p(e.entityType, 'text')}, ${p(e.entityId, 'text')}, ${p(canonicalJson(e.summary), 'jsonb')}, ${p(e.requestId, 'text')}, ${p(e.ip, 'text')})`,
    );
  }

  /**
   * Links every committed queued event into the chain, oldest first, in batches; returns how many.
   * Concurrent callers in this process share one sealing run at a time (a caller arriving during a
   * run waits for the next one, which is sure to see its commit); instances take turns on the lock.
   */
  flush(): Promise<number> {
    if (!this.sealing) {
      const run = this.sealQueued().finally(() => {
        if (this.sealing === run) this.sealing = undefined;
      });
      this.sealing = run;
      return run;
    }
    this.sealingNext ??= this.sealing
      .catch(() => 0)
      .then(() => {
        this.sealingNext = undefined;
        return this.flush();
      });
    return this.sealingNext;
  }

  private async sealQueued(): Promise<number> {
    // A run asked for by flushSoon knows there is work; others look first, to spare an empty lock round.
    const known = this.knownQueued;
    this.knownQueued = false;
    if (!known) {
      const [{ queued }]: { queued: boolean }[] = await this.dataSource.query(`SELECT EXISTS (SELECT 1 FROM audit_pending) AS queued`);
      if (!queued) return 0;
    }
    let sealed = 0;
    for (;;) {
      const n = await this.dataSource.transaction((em) => this.sealBatch(em));
      sealed += n;
      if (n < AUDIT_SEAL_BATCH) return sealed;
    }
  }

  private async sealBatch(em: EntityManager): Promise<number> {
    await em.query(`SELECT pg_advisory_xact_lock($1::bigint)`, [AUDIT_CHAIN_LOCK_KEY]);
    // A new statement, so a new READ COMMITTED snapshot: it sees the head the previous lock holder committed.
    const rows: Array<PendingRow & { head_seq: string | null; head_hash: string | null }> = await em.query(
      `WITH taken AS (
         DELETE FROM audit_pending WHERE id IN (SELECT id FROM audit_pending ORDER BY id LIMIT $1)
         RETURNING id, occurred_at, actor_id, actor_name, actor_roles, action, entity_type, entity_id, summary, request_id, ip
       )
       SELECT t.*, h.seq AS head_seq, h.hash AS head_hash
         FROM taken t LEFT JOIN (SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1) AS h ON true
        ORDER BY t.id`,
      [AUDIT_SEAL_BATCH],
    );
    if (!rows.length) return 0;
    const linked = linkEvents(
      { seq: rows[0]!.head_seq, hash: rows[0]!.head_hash },
      rows.map((r) => ({
        occurredAt: new Date(r.occurred_at).toISOString(),
        actorId: r.actor_id,
        actorName: r.actor_name,
        actorRoles: r.actor_roles,
        action: r.action,
        entityType: r.entity_type,
        entityId: r.entity_id,
        summary: r.summary,
        requestId: r.request_id,
        ip: r.ip,
      })),
    );
    await insertLinked(em, linked);
    return linked.length;
  }

  /**
   * Walks the whole chain in seq order, a batch at a time, recomputing every hash from the stored
   * columns. Stops at the first broken event. Cutting events off the end leaves a valid shorter
   * chain; compare `headHash` with a copy kept elsewhere to detect that.
   */
  async verify(options: { batchSize?: number } = {}): Promise<AuditVerifyResult> {
    const batchSize = options.batchSize ?? 500;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError('batchSize must be a positive integer');
    await this.flush();
    let checked = 0;
    let lastSeq = 0n;
    let lastHash: string | null = null;
    const broken = (seq: string, reason: string): AuditVerifyResult => ({
      ok: false,
      checked,
      headHash: lastHash,
      firstBroken: { seq, reason },
    });

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
    await this.flush();
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

/** An event's content before it has a place in the chain. */
type UnlinkedEvent = Omit<ChainContent, 'seq'>;

interface PendingRow {
  id: string;
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
}

interface LinkedEvent {
  content: ChainContent;
  prevHash: string;
  hash: string;
}

/** Checks and normalises an event and takes who and which request from the context, now. */
function prepareEvent(input: AuditRecordInput): Omit<UnlinkedEvent, 'occurredAt'> {
  const action = boundedText('action', input.action, 100);
  const entityType = boundedText('entityType', input.entityType, 100);
  const entityId = input.entityId == null ? null : boundedText('entityId', input.entityId, 100);
  // The summary is stored as jsonb and hashed; normalise it first so what is hashed is what is read back.
  const summary = redactSecrets(toCanonicalValue({ before: input.before, after: input.after, detail: input.detail })) as Record<
    string,
    unknown
  >;
  return { ...actorOf(requestContext.get()), action, entityType, entityId, summary };
}

/** Gives events consecutive seqs after `head` and links each to the hash before it. */
function linkEvents(head: { seq: string | null; hash: string | null }, events: UnlinkedEvent[]): LinkedEvent[] {
  let seq = head.seq == null ? 0n : BigInt(head.seq);
  let prevHash = head.hash ?? AUDIT_GENESIS_HASH;
  return events.map((e) => {
    seq += 1n;
    const content: ChainContent = { seq: seq.toString(), ...e };
    const hash = auditEventHash(prevHash, content);
    const linked = { content, prevHash, hash };
    prevHash = hash;
    return linked;
  });
}

async function insertLinked(em: EntityManager, events: LinkedEvent[]): Promise<void> {
  const params: unknown[] = [];
  const values = events.map(({ content: c, prevHash, hash }) => {
    const n = params.length;
    params.push(
      c.seq,
      c.occurredAt,
      c.actorId,
      c.actorName,
      c.actorRoles,
      c.action,
      c.entityType,
      c.entityId,
      canonicalJson(c.summary),
      c.requestId,
      c.ip,
      prevHash,
      hash,
    );
    return `($${n + 1}::bigint, $${n + 2}::timestamptz, $${n + 3}::uuid, $${n + 4}, $${n + 5}::text[], $${n + 6}, $${n + 7}, $${n + 8}, $${n + 9}::jsonb, $${n + 10}, $${n + 11}, $${n + 12}, $${n + 13})`;
  });
  await em.query(
    `INSERT INTO audit_events
       (seq, occurred_at, actor_id, actor_name, actor_roles, action, entity_type, entity_id, summary, request_id, ip, prev_hash, hash)
     VALUES ${values.join(', ')}`,
    params,
  );
}

/** timestamptz keeps microseconds; a JS Date keeps milliseconds. Store only what reads back exactly. */
function msIso(at: Date | string): string {
  return new Date(Math.floor(new Date(at).getTime())).toISOString();
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
  const hex = id
    .replace(/^\{|\}$/g, '')
    .replace(/-/g, '')
    .toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(hex)) throw new TypeError(`audit actor id is not a UUID: ${id}`);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
