import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ConfigService } from '../config/config.service.js';
import { requestContext } from '../context/request-context.js';
import { describeSendError, isServerUnavailable, MAIL_TRANSPORT, type MailTransport, type OutgoingMail } from './mail-transport.js';
import { CLAIM_LEASE_SECONDS, retryDelaySeconds, statusAfterFailure } from './outbox.policy.js';

export interface DrainResult {
  sent: number;
  failed: number;
  dead: number;
}

interface ClaimedRow {
  id: string;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  attempts: number;
}

const BATCH_SIZE = 20;
/** Bounds one poller tick when the outbox is backed up, so shutdown never waits long. */
const MAX_BATCHES_PER_TICK = 10;

/**
 * Delivers the outbox. Any number of instances may run it: a message is claimed with
 * FOR UPDATE SKIP LOCKED in a one-statement transaction, sent with no transaction open, then
 * recorded. A worker that dies mid-send leaves a 'sending' claim that another takes over once
 * `locked_until` passes, so delivery is at least once (with a stable Message-ID), never lost.
 */
@Injectable()
export class OutboxWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(OutboxWorker.name);
  private timer?: NodeJS.Timeout;
  private tickInFlight?: Promise<void>;
  private stopping = false;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(MAIL_TRANSPORT) private readonly transport: MailTransport,
    private readonly config: ConfigService,
  ) {}

  onApplicationBootstrap(): void {
    this.stopping = false;
    this.timer = setInterval(() => void this.tick(), this.config.get('MAIL_POLL_SECONDS') * 1000);
    // The HTTP server keeps the process alive; a CLI command that loads this module must still exit.
    this.timer.unref();
    this.logger.log(`Outbox worker polling every ${this.config.get('MAIL_POLL_SECONDS')} s via ${this.transport.name}`);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.tickInFlight;
    await this.transport.close?.();
  }

  /** One poller tick; skipped while the previous one still runs; never throws. */
  tick(): Promise<void> {
    if (this.tickInFlight) return this.tickInFlight;
    const run = requestContext.runAsSystem('mail:outbox', async () => {
      try {
        for (let batch = 0; batch < MAX_BATCHES_PER_TICK && !this.stopping; batch++) {
          const { result: r, claimed, stoppedEarly } = await this.drain(BATCH_SIZE);
          if (claimed > 0) this.logger.log(`Outbox: ${r.sent} sent, ${r.failed} failed, ${r.dead} dead`);
          if (claimed < BATCH_SIZE || stoppedEarly) break;
        }
      } catch (err) {
        this.logger.error(`Outbox tick failed: ${describeSendError(err)}`, err instanceof Error ? err.stack : undefined);
      }
    });
    this.tickInFlight = run.finally(() => {
      this.tickInFlight = undefined;
    });
    return this.tickInFlight;
  }

  /** Claims up to `limit` due messages and tries each once. */
  async drainOnce(limit = BATCH_SIZE): Promise<DrainResult> {
    return (await this.drain(limit)).result;
  }

  private async drain(limit: number): Promise<{ result: DrainResult; claimed: number; stoppedEarly: boolean }> {
    const claimed = await this.claim(limit);
    const deadline = Date.now() + (CLAIM_LEASE_SECONDS * 1000) / 2;
    const result: DrainResult = { sent: 0, failed: 0, dead: 0 };
    for (let i = 0; i < claimed.length; i++) {
      const outcome = await this.deliver(claimed[i]!);
      result[outcome.status]++;
      // Server unreachable, or the batch is running long: give the untried rest back untouched rather
      // than burn their attempts, or let our lease lapse and have another worker send them twice.
      if (i + 1 < claimed.length && (outcome.serverDown || Date.now() > deadline)) {
        await this.release(claimed.slice(i + 1));
        return { result, claimed: claimed.length, stoppedEarly: true };
      }
    }
    return { result, claimed: claimed.length, stoppedEarly: false };
  }

  /**
   * Due = pending/failed whose time has come, or a 'sending' claim whose owner let the lease lapse.
   * The CTE keeps it one statement (one short transaction) and makes the result a plain row list on
   * both PostgreSQL and PGlite.
   */
  private async claim(limit: number): Promise<ClaimedRow[]> {
    return this.dataSource.query(
      `WITH due AS (
         SELECT id FROM outbox_messages
         WHERE (status IN ('pending', 'failed') AND next_attempt_at <= now())
            OR (status = 'sending' AND locked_until < now())
         ORDER BY next_attempt_at
         LIMIT $1
         FOR UPDATE SKIP LOCKED
       ), claimed AS (
         UPDATE outbox_messages m
         SET status = 'sending', locked_until = now() + make_interval(secs => $2::double precision), attempts = m.attempts + 1
         FROM due WHERE m.id = due.id
         RETURNING m.id, m.to_address, m.subject, m.text_body, m.html_body, m.attempts, m.next_attempt_at
       )
       SELECT id, to_address, subject, text_body, html_body, attempts FROM claimed ORDER BY next_attempt_at`,
      [limit, CLAIM_LEASE_SECONDS],
    ) as Promise<ClaimedRow[]>;
  }

  private async deliver(row: ClaimedRow): Promise<{ status: keyof DrainResult; serverDown?: boolean }> {
    const mail: OutgoingMail = { id: row.id, to: row.to_address, subject: row.subject, text: row.text_body, html: row.html_body };
    let messageId: string;
    try {
      ({ messageId } = await this.transport.send(mail));
    } catch (err) {
      return { status: await this.recordFailure(row, describeSendError(err)), serverDown: isServerUnavailable(err) };
    }
    // `attempts` fences the update: if our lease lapsed and another worker re-claimed the row, it owns it now.
    await this.dataSource.query(
      `WITH u AS (
         UPDATE outbox_messages
         SET status = 'sent', sent_at = now(), message_id = $3, transport = $4, locked_until = NULL, last_error = NULL
         WHERE id = $1 AND status = 'sending' AND attempts = $2
         RETURNING 1
       ) SELECT count(*)::int AS n FROM u`,
      [row.id, row.attempts, messageId.slice(0, 300), this.transport.name],
    );
    return { status: 'sent' };
  }

  /** Undoes the claim of messages that were not tried: same status and due time as before, attempt not counted. */
  private async release(rows: ClaimedRow[]): Promise<void> {
    for (const row of rows) {
      await this.dataSource.query(
        `WITH u AS (
           UPDATE outbox_messages
           SET status = CASE WHEN attempts > 1 THEN 'failed' ELSE 'pending' END, attempts = attempts - 1, locked_until = NULL
           WHERE id = $1 AND status = 'sending' AND attempts = $2
           RETURNING 1
         ) SELECT count(*)::int AS n FROM u`,
        [row.id, row.attempts],
      );
    }
  }

  private async recordFailure(row: ClaimedRow, error: string): Promise<'failed' | 'dead'> {
    const status = statusAfterFailure(row.attempts, this.config.get('MAIL_MAX_ATTEMPTS'));
    const delay = retryDelaySeconds(row.attempts);
    await this.dataSource.query(
      `WITH u AS (
         UPDATE outbox_messages
         SET status = $3::varchar,
             next_attempt_at = CASE WHEN $3::varchar = 'dead' THEN next_attempt_at ELSE now() + make_interval(secs => $4::double precision) END,
             last_error = $5, transport = $6, locked_until = NULL
         WHERE id = $1 AND status = 'sending' AND attempts = $2
         RETURNING 1
       ) SELECT count(*)::int AS n FROM u`,
      [row.id, row.attempts, status, delay, error, this.transport.name],
    );
    if (status === 'dead') this.logger.error(`Mail ${row.id} is dead after ${row.attempts} attempts: ${error}`);
    else this.logger.warn(`Mail ${row.id} attempt ${row.attempts} failed, retry in ${delay} s: ${error}`);
    return status;
  }
}
