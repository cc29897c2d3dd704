import { EventEmitter } from 'node:events';
import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DatabaseNotifications, type NotificationHandler } from './database-notifications.js';

/** Stands for node-postgres's Client: records the SQL, fails on demand, can be made to drop. */
class FakeClient extends EventEmitter {
  static made: FakeClient[] = [];
  static failConnect = 0;
  readonly sql: string[] = [];
  ended = false;
  failQueries = false;
  constructor(readonly options: Record<string, unknown>) {
    super();
    FakeClient.made.push(this);
  }
  async connect(): Promise<void> {
    if (FakeClient.failConnect > 0) {
      FakeClient.failConnect--;
      throw new Error('connection refused');
    }
  }
  async query(sql: string): Promise<unknown> {
    if (this.failQueries) throw new Error('terminated');
    this.sql.push(sql);
    return {};
  }
  async end(): Promise<void> {
    this.ended = true;
  }
  notify(channel: string, payload: string): void {
    this.emit('notification', { channel, payload });
  }
}

function pgDataSource(): DataSource {
  return {
    options: {},
    driver: { master: { Client: FakeClient, options: { connectionString: 'postgres://x/y' } } },
  } as unknown as DataSource;
}

function recorder(): NotificationHandler & { events: string[] } {
  const events: string[] = [];
  return { events, message: (p) => events.push(`message:${p}`), live: () => events.push('live'), lost: () => events.push('lost') };
}

const flush = () => new Promise((r) => setImmediate(r));

describe('DatabaseNotifications on PostgreSQL', () => {
  beforeEach(() => {
    FakeClient.made = [];
    FakeClient.failConnect = 0;
    vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval', 'clearTimeout', 'clearInterval'] });
    vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('listens on a connection of its own, delivers notifications, and tells each subscriber live', async () => {
    const service = new DatabaseNotifications(pgDataSource());
    const a = recorder();
    const b = recorder();
    const sub = service.subscribe('certificates_status', a);
    await flush();
    const client = FakeClient.made[0]!;
    expect(client.options).toMatchObject({ connectionString: 'postgres://x/y', application_name: 'sandi-listen', keepAlive: true });
    expect(client.sql).toEqual(['LISTEN certificates_status']);
    expect(sub.live).toBe(true);
    service.subscribe('certificates_status', b); // already listening: live at once, no second LISTEN
    client.notify('certificates_status', '1a2b');
    client.notify('other_channel', 'ignored');
    expect(a.events).toEqual(['live', 'message:1a2b']);
    expect(b.events).toEqual(['live', 'message:1a2b']);
    expect(client.sql).toEqual(['LISTEN certificates_status']);
    await service.onApplicationShutdown();
    expect(client.ended).toBe(true);
  });

  it('on a broken connection says lost, reconnects with backoff, LISTENs again and says live', async () => {
    FakeClient.failConnect = 1;
    const service = new DatabaseNotifications(pgDataSource());
    const a = recorder();
    const sub = service.subscribe('certificates_status', a);
    await flush();
    expect(sub.live).toBe(false);
    expect(a.events).toEqual([]); // never live yet: nothing to lose
    await vi.advanceTimersByTimeAsync(1000);
    const second = FakeClient.made[1]!;
    expect(second.sql).toEqual(['LISTEN certificates_status']);
    expect(a.events).toEqual(['live']);
    second.emit('error', new Error('server closed the connection'));
    expect(a.events).toEqual(['live', 'lost']);
    expect(sub.live).toBe(false);
    expect(second.ended).toBe(true);
    await vi.advanceTimersByTimeAsync(999);
    expect(FakeClient.made).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1); // 1 s: the backoff starts over after a connection that worked
    const third = FakeClient.made[2]!;
    expect(third.sql).toEqual(['LISTEN certificates_status']);
    expect(a.events).toEqual(['live', 'lost', 'live']);
    // notifications from the dropped connection are no longer delivered
    second.notify('certificates_status', 'stale');
    third.notify('certificates_status', 'fresh');
    expect(a.events.at(-1)).toBe('message:fresh');
    expect(a.events).not.toContain('message:stale');
    await service.onApplicationShutdown();
  });

  it('LISTENs on a channel subscribed while the connection is being opened', async () => {
    const service = new DatabaseNotifications(pgDataSource());
    const a = recorder();
    const b = recorder();
    service.subscribe('certificates_status', a);
    service.subscribe('other_channel', b); // before the connection is up
    await flush();
    const client = FakeClient.made[0]!;
    expect(client.sql).toEqual(['LISTEN certificates_status', 'LISTEN other_channel']);
    expect(b.events).toEqual(['live']);
    client.notify('other_channel', 'x');
    expect(b.events).toEqual(['live', 'message:x']);
    await service.onApplicationShutdown();
  });

  it('notices a connection that died silently through its heartbeat', async () => {
    const service = new DatabaseNotifications(pgDataSource());
    const a = recorder();
    service.subscribe('certificates_status', a);
    await flush();
    const client = FakeClient.made[0]!;
    client.failQueries = true;
    await vi.advanceTimersByTimeAsync(15_000);
    expect(a.events).toEqual(['live', 'lost']);
    await vi.advanceTimersByTimeAsync(1000);
    expect(a.events).toEqual(['live', 'lost', 'live']);
    await service.onApplicationShutdown();
  });

  it('unsubscribes, refuses bad channel names, and stops reconnecting at shutdown', async () => {
    const service = new DatabaseNotifications(pgDataSource());
    expect(() => service.subscribe('bad name; DROP TABLE x', recorder())).toThrow(/not a channel name/);
    const a = recorder();
    const sub = service.subscribe('certificates_status', a);
    await flush();
    const client = FakeClient.made[0]!;
    await sub.close();
    expect(client.sql).toEqual(['LISTEN certificates_status', 'UNLISTEN certificates_status']);
    client.notify('certificates_status', 'after');
    expect(a.events).toEqual(['live']);
    service.subscribe('certificates_status', recorder());
    await flush();
    await service.onApplicationShutdown();
    client.emit('end');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeClient.made).toHaveLength(1);
    expect(() => service.subscribe('certificates_status', recorder())).toThrow(/shutting down/);
  });
});

describe('DatabaseNotifications on the embedded database', () => {
  it('uses PGlite LISTEN: live once listening, messages after commit, unlisten on close', async () => {
    const { PGlite } = await import('@electric-sql/pglite');
    const { createPgliteDriver } = await import('./pglite.driver.js');
    const db = await PGlite.create();
    const Pool = createPgliteDriver({ shared: db }).Pool;
    const master = new Pool();
    const service = new DatabaseNotifications({ options: { driver: {} }, driver: { master } } as unknown as DataSource);
    const a = recorder();
    const sub = service.subscribe('certificates_status', a);
    await vi.waitFor(() => expect(a.events).toEqual(['live']));
    expect(sub.live).toBe(true);
    await db.transaction(async (tx) => {
      await tx.query(`SELECT pg_notify('certificates_status', 'in-tx')`);
      expect(a.events).toEqual(['live']); // not before the commit
    });
    await vi.waitFor(() => expect(a.events).toEqual(['live', 'message:in-tx']));
    await db.query(`SELECT pg_notify('certificates_status', 'rolled-back')`).then(async () => {
      await db.transaction(async (tx) => {
        await tx.query(`SELECT pg_notify('certificates_status', 'never')`);
        await tx.rollback();
      });
    });
    await vi.waitFor(() => expect(a.events).toContain('message:rolled-back'));
    await sub.close();
    await db.query(`SELECT pg_notify('certificates_status', 'after-close')`);
    await new Promise((r) => setTimeout(r, 20));
    expect(a.events).toEqual(['live', 'message:in-tx', 'message:rolled-back']);
    await service.onApplicationShutdown();
    await db.close();
  });
});
