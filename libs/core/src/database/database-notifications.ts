import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isEmbeddedDatabase } from './pglite.driver.js';

/**
 * What a subscriber is told. `live` and `lost` bracket the periods in which every notification of
 * the channel is delivered: between `lost` and the next `live`, notifications may be missed, so a
 * cache kept fresh by them must not be trusted then.
 */
export interface NotificationHandler {
  message(payload: string): void;
  /** The LISTEN is (again) in place. Anything before this call may have been missed. */
  live(): void;
  /** The connection is gone: notifications may be missed until `live` is called again. */
  lost(): void;
}

export interface NotificationSubscription {
  /** True while the LISTEN is in place. */
  readonly live: boolean;
  close(): Promise<void>;
}

/** The part of node-postgres's Client this service uses. */
interface PgListenClient {
  connect(): Promise<void>;
  query(sql: string): Promise<unknown>;
  end(): Promise<void>;
  on(event: 'notification', cb: (msg: { channel: string; payload?: string }) => void): void;
  on(event: 'error' | 'end', cb: (err?: Error) => void): void;
  removeAllListeners(): void;
}

interface PgPoolLike {
  Client: new (options: object) => PgListenClient;
  options: object;
}

interface PgliteListenPool {
  listen(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>>;
}

const CHANNEL = /^[a-z_][a-z0-9_]{0,62}$/;
const HEARTBEAT_MS = 15_000;
const MAX_BACKOFF_MS = 30_000;

interface Channel {
  name: string;
  handlers: Set<NotificationHandler>;
  /** PGlite: the unlisten function while listening. */
  unlisten?: () => Promise<void>;
}

/**
 * PostgreSQL LISTEN/NOTIFY for the libraries' in-memory caches, so that a change made by any API
 * instance (or by SQL run by hand: the notifications come from triggers) drops the entries at once.
 *
 * On PostgreSQL one dedicated connection listens on every channel (not one of the pool's). When it
 * breaks — or a heartbeat query every 15 s fails, for a connection that died without a word — the
 * subscribers are told `lost`, and the service reconnects with backoff (1 s doubling to 30 s) and
 * tells them `live` once the LISTENs are back. On the embedded database (one process by
 * construction) the LISTEN is PGlite's own.
 */
@Injectable()
export class DatabaseNotifications implements OnApplicationShutdown {
  private readonly logger = new Logger(DatabaseNotifications.name);
  private readonly channels = new Map<string, Channel>();
  private client: PgListenClient | null = null;
  private connecting: Promise<void> | null = null;
  private connected = false;
  private heartbeat: NodeJS.Timeout | null = null;
  private retry: NodeJS.Timeout | null = null;
  private backoffMs = 1000;
  private stopped = false;

  constructor(private readonly dataSource: DataSource) {}

  /** Subscribes to `channel` (lowercase identifier). `handler.live()` is called once the LISTEN is in place. */
  subscribe(channel: string, handler: NotificationHandler): NotificationSubscription {
    if (!CHANNEL.test(channel)) throw new Error(`DatabaseNotifications: not a channel name: ${channel}`);
    if (this.stopped) throw new Error('DatabaseNotifications: the application is shutting down');
    let ch = this.channels.get(channel);
    const added = !ch;
    if (!ch) {
      ch = { name: channel, handlers: new Set() };
      this.channels.set(channel, ch);
    }
    ch.handlers.add(handler);
    const entry = ch;
    const isLive = () => (this.isPglite() ? !!entry.unlisten : this.connected);
    if (this.isPglite()) {
      if (added) void this.listenPglite(entry);
      else if (entry.unlisten) handler.live();
    } else if (this.connected && !added) {
      handler.live();
    } else if (this.connected && added) {
      void this.listenPg(entry);
    } else {
      this.ensureConnected();
    }
    return {
      get live() {
        return isLive();
      },
      close: async () => {
        entry.handlers.delete(handler);
        if (entry.handlers.size > 0) return;
        this.channels.delete(entry.name);
        if (entry.unlisten) await entry.unlisten().catch(() => undefined);
        entry.unlisten = undefined;
        if (this.connected && this.client) await this.client.query(`UNLISTEN ${entry.name}`).catch(() => undefined);
      },
    };
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.clearTimers();
    const client = this.client;
    this.client = null;
    this.connected = false;
    if (client) {
      client.removeAllListeners();
      await client.end().catch(() => undefined);
    }
    for (const ch of this.channels.values()) {
      if (ch.unlisten) await ch.unlisten().catch(() => undefined);
      ch.unlisten = undefined;
    }
  }

  private isPglite(): boolean {
    return isEmbeddedDatabase(this.dataSource);
  }

  private async listenPglite(ch: Channel): Promise<void> {
    try {
      const pool = (this.dataSource.driver as unknown as { master: PgliteListenPool }).master;
      ch.unlisten = await pool.listen(ch.name, (payload) => this.deliver(ch, payload));
      for (const h of ch.handlers) h.live();
    } catch (err) {
      this.logger.warn(`LISTEN ${ch.name} on the embedded database failed: ${describe(err)}`);
    }
  }

  private async listenPg(ch: Channel): Promise<void> {
    try {
      await this.client!.query(`LISTEN ${ch.name}`);
      for (const h of ch.handlers) h.live();
    } catch (err) {
      this.logger.warn(`LISTEN ${ch.name} failed: ${describe(err)}`);
      this.drop();
    }
  }

  private deliver(ch: Channel, payload: string): void {
    for (const h of ch.handlers) {
      try {
        h.message(payload);
      } catch (err) {
        this.logger.error(`Notification handler for ${ch.name} failed: ${describe(err)}`);
      }
    }
  }

  private ensureConnected(): void {
    if (this.connecting || this.connected || this.stopped || this.retry) return;
    this.connecting = this.connect().finally(() => {
      this.connecting = null;
    });
  }

  private async connect(): Promise<void> {
    const pool = (this.dataSource.driver as unknown as { master: PgPoolLike }).master;
    const client = new pool.Client({ ...pool.options, application_name: 'sandi-listen', keepAlive: true });
    this.client = client;
    client.on('notification', (msg) => {
      const ch = this.channels.get(msg.channel);
      if (ch) this.deliver(ch, msg.payload ?? '');
    });
    client.on('error', (err) => {
      if (this.client === client) this.logger.warn(`Notification connection failed: ${describe(err)}`);
      if (this.client === client) this.drop();
    });
    client.on('end', () => {
      if (this.client === client) this.drop();
    });
    try {
      await client.connect();
      for (const ch of this.channels.values()) await client.query(`LISTEN ${ch.name}`);
    } catch (err) {
      if (this.client === client) {
        this.logger.warn(`Notification connection could not be opened: ${describe(err)}`);
        this.drop();
      }
      return;
    }
    if (this.client !== client || this.stopped) return;
    this.connected = true;
    this.backoffMs = 1000;
    this.heartbeat = setInterval(() => {
      client.query('SELECT 1').catch(() => {
        if (this.client === client) this.drop();
      });
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
    for (const ch of this.channels.values()) for (const h of ch.handlers) h.live();
  }

  /** The connection is unusable: tell the subscribers, close it, and try again later. */
  private drop(): void {
    const client = this.client;
    const wasConnected = this.connected;
    this.client = null;
    this.connected = false;
    this.clearTimers();
    if (client) {
      client.removeAllListeners();
      client.on('error', () => undefined);
      void client.end().catch(() => undefined);
    }
    if (wasConnected) for (const ch of this.channels.values()) for (const h of ch.handlers) h.lost();
    if (this.stopped || this.channels.size === 0) return;
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, MAX_BACKOFF_MS);
    this.retry = setTimeout(() => {
      this.retry = null;
      this.ensureConnected();
    }, delay);
    this.retry.unref();
  }

  private clearTimers(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    if (this.retry) clearTimeout(this.retry);
    this.heartbeat = null;
    this.retry = null;
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
