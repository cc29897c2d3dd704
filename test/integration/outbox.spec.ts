import { createServer, type AddressInfo } from 'node:net';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigService } from '../../libs/core/src/config/config.service.js';
import { parseConfig } from '../../libs/core/src/config/config.schema.js';
import { MailTemplateError } from '../../libs/core/src/notify/mail-templates.js';
import { createMailTransport } from '../../libs/core/src/notify/notify.module.js';
import { NotifyException } from '../../libs/core/src/notify/notify.exception.js';
import { NotifyService } from '../../libs/core/src/notify/notify.service.js';
import { OutboxWorker } from '../../libs/core/src/notify/outbox.worker.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';

const PUBLIC_URL = 'https://sandi.example.go.id';

interface Row {
  id: string;
  to_address: string;
  status: string;
  attempts: number;
  next_attempt_at: Date;
  last_error: string | null;
  transport: string | null;
  message_id: string | null;
  sent_at: Date | null;
}

describe('mail outbox', () => {
  let db: TestDatabase;
  let sink: SmtpSink;

  const configFor = (env: Record<string, string | undefined> = {}) =>
    new ConfigService(parseConfig({ NODE_ENV: 'test', PUBLIC_URL, MAIL_FROM: 'Sandi <no-reply@sandi.example.go.id>', ...env }));
  const notify = () => new NotifyService(db.dataSource, configFor());
  const workerFor = (env: Record<string, string | undefined> = {}, ds: DataSource = db.dataSource) => {
    const config = configFor({ SMTP_URL: sink.url, ...env });
    return new OutboxWorker(ds, createMailTransport(config), config);
  };
  const rows = (): Promise<Row[]> => db.dataSource.query(`SELECT * FROM outbox_messages ORDER BY created_at, id`);
  const makeDue = () => db.dataSource.query(`UPDATE outbox_messages SET next_attempt_at = now() WHERE status = 'failed'`);
  const enqueueReset = (to = 'budi@kominfo.example.go.id', name = 'Budi Santoso') =>
    db.dataSource.transaction((em) =>
      notify().enqueue(em, { to, template: 'auth.password_reset_by_admin', vars: { name, username: 'budi.santoso' } }),
    );

  beforeAll(async () => {
    db = await createTestDatabase();
    sink = await startSmtpSink();
  });
  afterAll(async () => {
    await sink?.close();
    await db?.close();
  });
  beforeEach(async () => {
    await db.dataSource.query(`DELETE FROM outbox_messages`);
    sink.messages.length = 0;
    sink.rejectNext(0);
  });

  it('delivers a message enqueued in a committed transaction to the SMTP server, in Bahasa Indonesia', async () => {
    const id = await enqueueReset();
    expect((await rows())[0]).toMatchObject({ id, status: 'pending', attempts: 0 });

    expect(await workerFor().drainOnce()).toEqual({ sent: 1, failed: 0, dead: 0 });

    const [mail] = await sink.waitFor(1);
    expect(mail!.envelope.to).toEqual(['budi@kominfo.example.go.id']);
    expect(mail!.to).toContain('budi@kominfo.example.go.id');
    expect(mail!.from).toContain('no-reply@sandi.example.go.id');
    expect(mail!.subject).toBe('Kata sandi akun Sandi Anda telah direset');
    expect(mail!.text).toContain('Yth. Budi Santoso,');
    expect(mail!.text).toContain('Administrator telah mereset kata sandi akun Sandi Anda (budi.santoso)');
    expect(mail!.text).toContain('wajib menggantinya saat masuk berikutnya');
    expect(mail!.text).toContain(`Masuk: ${PUBLIC_URL}`);
    expect(mail!.html).toContain('<p>Yth. Budi Santoso,</p>');

    const [row] = await rows();
    expect(row).toMatchObject({ status: 'sent', attempts: 1, transport: 'smtp', last_error: null });
    expect(row!.sent_at).toBeInstanceOf(Date);
    expect(row!.message_id).toBe(`<${id}@sandi.example.go.id>`);
    expect(mail!.messageId).toBe(row!.message_id);
  });

  it('escapes variables in the HTML part only', async () => {
    await enqueueReset('budi@kominfo.example.go.id', '<b>Budi & "Co"</b>');
    await workerFor().drainOnce();
    const [mail] = await sink.waitFor(1);
    expect(mail!.text).toContain('Yth. <b>Budi & "Co"</b>,');
    expect(mail!.html).toContain('Yth. &lt;b&gt;Budi &amp; &quot;Co&quot;&lt;/b&gt;,');
    expect(mail!.html).not.toContain('<b>Budi');
  });

  it('leaves no message when the transaction rolls back', async () => {
    await expect(
      db.dataSource.transaction(async (em) => {
        await notify().enqueue(em, { to: 'budi@kominfo.example.go.id', template: 'system.test', vars: {} });
        throw new Error('change failed');
      }),
    ).rejects.toThrow('change failed');
    expect(await rows()).toHaveLength(0);
    expect(await workerFor().drainOnce()).toEqual({ sent: 0, failed: 0, dead: 0 });
    expect(sink.messages).toHaveLength(0);
  });

  it('refuses a bad address and a missing template variable at enqueue', async () => {
    const svc = notify();
    await expect(
      db.dataSource.transaction((em) => svc.enqueue(em, { to: 'budi@example.go.id, eve@evil.example', template: 'system.test', vars: {} })),
    ).rejects.toBeInstanceOf(NotifyException);
    await expect(
      db.dataSource.transaction((em) =>
        svc.enqueue(em, { to: 'budi@example.go.id', template: 'auth.account_locked', vars: { name: 'Budi' } as never }),
      ),
    ).rejects.toBeInstanceOf(MailTemplateError);
    expect(await rows()).toHaveLength(0);
  });

  it('retries after an SMTP rejection with backoff, then delivers once due', async () => {
    sink.rejectNext(1, 451);
    await enqueueReset();
    const worker = workerFor();

    expect(await worker.drainOnce()).toEqual({ sent: 0, failed: 1, dead: 0 });
    expect(sink.rejected).toBeGreaterThanOrEqual(1);
    let [row] = await rows();
    expect(row).toMatchObject({ status: 'failed', attempts: 1 });
    expect(row!.last_error).toMatch(/451/);
    const [{ wait }] = await db.dataSource.query(`SELECT extract(epoch FROM next_attempt_at - now())::float AS wait FROM outbox_messages`);
    expect(wait).toBeGreaterThan(20); // 30 s ± 20 %
    expect(wait).toBeLessThan(40);

    // Not due yet: nothing happens.
    expect(await worker.drainOnce()).toEqual({ sent: 0, failed: 0, dead: 0 });

    await makeDue();
    expect(await worker.drainOnce()).toEqual({ sent: 1, failed: 0, dead: 0 });
    await sink.waitFor(1);
    expect(sink.messages).toHaveLength(1);
    [row] = await rows();
    expect(row).toMatchObject({ status: 'sent', attempts: 2, last_error: null });
  });

  it('marks a message dead once MAIL_MAX_ATTEMPTS is reached, and stops trying', async () => {
    sink.rejectNext(10, 550, 'No such user here');
    await enqueueReset();
    const worker = workerFor({ MAIL_MAX_ATTEMPTS: '2' });

    expect(await worker.drainOnce()).toEqual({ sent: 0, failed: 1, dead: 0 });
    await makeDue();
    expect(await worker.drainOnce()).toEqual({ sent: 0, failed: 0, dead: 1 });
    const [row] = await rows();
    expect(row).toMatchObject({ status: 'dead', attempts: 2 });
    expect(row!.last_error).toMatch(/550/);

    await db.dataSource.query(`UPDATE outbox_messages SET next_attempt_at = now() - interval '1 hour'`);
    expect(await worker.drainOnce()).toEqual({ sent: 0, failed: 0, dead: 0 });
    expect(sink.messages).toHaveLength(0);
  });

  it('keeps the messages with a clear error when the SMTP server is unreachable', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const { port } = s.address() as AddressInfo;
        s.close(() => resolve(port));
      });
    });
    const first = await enqueueReset('budi@kominfo.example.go.id');
    await db.dataSource.query(`UPDATE outbox_messages SET next_attempt_at = now() - interval '1 minute'`); // drained first
    const second = await enqueueReset('ani@kominfo.example.go.id', 'Ani');

    const down = workerFor({ SMTP_URL: `smtp://mailer:s3cret-pass@127.0.0.1:${closedPort}` });
    expect(await down.drainOnce()).toEqual({ sent: 0, failed: 1, dead: 0 });
    const byId = new Map((await rows()).map((r) => [r.id, r]));
    expect(byId.get(first)).toMatchObject({ status: 'failed', attempts: 1 });
    expect(byId.get(first)!.last_error).toMatch(/ECONNREFUSED/);
    expect(byId.get(first)!.last_error).not.toContain('s3cret-pass');
    // The server is down, so the rest of the batch was given back untried: no attempt burnt.
    expect(byId.get(second)).toMatchObject({ status: 'pending', attempts: 0, last_error: null });

    // Nothing lost: once the server is back, both go out.
    await makeDue();
    expect(await workerFor().drainOnce()).toEqual({ sent: 2, failed: 0, dead: 0 });
    expect(await sink.waitFor(2)).toHaveLength(2);
  });

  it('takes over a stale claim of a worker that died mid-send', async () => {
    await enqueueReset();
    await db.dataSource.query(`UPDATE outbox_messages SET status = 'sending', attempts = 1, locked_until = now() - interval '1 second'`);
    expect(await workerFor().drainOnce()).toEqual({ sent: 1, failed: 0, dead: 0 });
    expect((await rows())[0]).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('delivers to the developer mailbox when SMTP_URL is unset', async () => {
    const id = await enqueueReset();
    const config = configFor();
    const transport = createMailTransport(config);
    expect(transport.name).toBe('devbox');

    expect(await new OutboxWorker(db.dataSource, transport, config).drainOnce()).toEqual({ sent: 1, failed: 0, dead: 0 });
    expect((await rows())[0]).toMatchObject({ id, status: 'sent', transport: 'devbox', attempts: 1 });
    expect(sink.messages).toHaveLength(0);

    const page = await notify().list({ page: 1, pageSize: 20 });
    expect(page.total).toBe(1);
    expect(page.items[0]).toMatchObject({
      id,
      to: 'budi@kominfo.example.go.id',
      subject: 'Kata sandi akun Sandi Anda telah direset',
      status: 'sent',
      transport: 'devbox',
      attempts: 1,
      lastError: null,
    });
    expect(page.items[0]!.text).toContain('Yth. Budi Santoso');
  });

  it('renders the English template when the locale is en, with times in WIB', async () => {
    await db.dataSource.transaction(async (em) => {
      await notify().enqueue(em, {
        to: 'ani@kominfo.example.go.id',
        template: 'auth.account_locked',
        locale: 'en',
        vars: { name: 'Ani', until: '2026-01-12T07:30:00.000Z' },
      });
      await notify().enqueue(em, {
        to: 'budi@kominfo.example.go.id',
        template: 'auth.account_locked',
        vars: { name: 'Budi', until: '2026-01-12T07:30:00.000Z' },
      });
    });
    await workerFor().drainOnce();
    const mails = await sink.waitFor(2);
    const en = mails.find((m) => m.envelope.to[0] === 'ani@kominfo.example.go.id')!;
    const id = mails.find((m) => m.envelope.to[0] === 'budi@kominfo.example.go.id')!;
    expect(en.subject).toBe('Your Sandi account is temporarily locked');
    expect(en.text).toContain('Dear Ani,');
    expect(en.text).toMatch(/try to sign in again after 12 January 2026.*14:30/);
    expect(id.subject).toBe('Akun Sandi Anda dikunci sementara');
    expect(id.text).toContain('setelah 12 Januari 2026 pukul 14.30 WIB');
  });

  it('never sends a message twice when two instances drain at the same time', async () => {
    const count = 40;
    await db.dataSource.transaction(async (em) => {
      const svc = notify();
      for (let i = 0; i < count; i++) {
        await svc.enqueue(em, { to: `user${i}@kominfo.example.go.id`, template: 'system.test', vars: {} });
      }
    });
    const other = await db.openAnother();
    const workers = [workerFor({}, db.dataSource), workerFor({}, other)];
    const drainAll = async (w: OutboxWorker) => {
      let sent = 0;
      for (;;) {
        const r = await w.drainOnce(5);
        sent += r.sent;
        if (r.sent + r.failed + r.dead === 0) return sent;
      }
    };
    const sentBy = await Promise.all(workers.map(drainAll));

    expect(sentBy[0]! + sentBy[1]!).toBe(count);
    await sink.waitFor(count);
    expect(sink.messages).toHaveLength(count);
    expect(new Set(sink.messages.map((m) => m.envelope.to[0])).size).toBe(count);
    const all = await rows();
    expect(all.every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
  });

  it('polls on its own once the application has started, and stops cleanly', async () => {
    const worker = workerFor({ MAIL_POLL_SECONDS: '1' });
    worker.onApplicationBootstrap();
    try {
      await enqueueReset();
      await sink.waitFor(1, 5000);
    } finally {
      await worker.onModuleDestroy();
    }
    expect((await rows())[0]).toMatchObject({ status: 'sent' });
  });
});
