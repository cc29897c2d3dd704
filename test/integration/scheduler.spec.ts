import { Global, Injectable, Module, type DynamicModule } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Test, type TestingModule } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigService } from '../../libs/core/src/config/config.service.js';
import { parseConfig } from '../../libs/core/src/config/config.schema.js';
import { requestContext } from '../../libs/core/src/context/request-context.js';
import { JobRegistry } from '../../libs/core/src/scheduler/job-registry.service.js';
import { JobRunner } from '../../libs/core/src/scheduler/job-runner.service.js';
import { slotFor } from '../../libs/core/src/scheduler/job-slot.util.js';
import { ScheduledJob, type JobContext } from '../../libs/core/src/scheduler/scheduled-job.decorator.js';
import { SchedulerModule } from '../../libs/core/src/scheduler/scheduler.module.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const configFor = (instance: string, env: Record<string, string> = {}) =>
  new ConfigService(parseConfig({ NODE_ENV: 'test', INSTANCE_ID: instance, SCHEDULER_ENABLED: 'true', ...env }));

interface RunRow {
  job: string;
  slot: Date;
  instance: string;
  status: string;
  finished_at: Date | null;
  error: string | null;
}

/** What the every-second test job did, across both application instances. */
const tickEffects: { slot: string; instance: string }[] = [];

@Injectable()
class TickJobs {
  @ScheduledJob({ name: 'test.tick', cron: '* * * * * *', periodMs: 1000 })
  async tick(ctx: JobContext): Promise<void> {
    tickEffects.push({ slot: ctx.slot.toISOString(), instance: ctx.instance });
    await sleep(50);
  }
}

/** Stands in for the application's global database and configuration providers. */
@Global()
@Module({})
class InfraModule {
  static with(dataSource: DataSource, config: ConfigService): DynamicModule {
    return {
      module: InfraModule,
      global: true,
      providers: [
        { provide: DataSource, useValue: dataSource },
        { provide: ConfigService, useValue: config },
      ],
      exports: [DataSource, ConfigService],
    };
  }
}

function appInstance(dataSource: DataSource, config: ConfigService): Promise<TestingModule> {
  return Test.createTestingModule({ imports: [InfraModule.with(dataSource, config), SchedulerModule], providers: [TickJobs] }).compile();
}

describe('scheduler', () => {
  let db: TestDatabase;
  let otherDs: DataSource;
  let a: JobRunner;
  let b: JobRunner;

  const runs = (job: string): Promise<RunRow[]> => db.dataSource.query(`SELECT * FROM job_runs WHERE job = $1 ORDER BY slot`, [job]);

  beforeAll(async () => {
    db = await createTestDatabase();
    otherDs = await db.openAnother();
    a = new JobRunner(db.dataSource, configFor('node-a'));
    b = new JobRunner(otherDs, configFor('node-b'));
  });
  afterAll(async () => db?.close());
  beforeEach(async () => {
    await db.dataSource.query(`DELETE FROM job_runs`);
  });

  it('runs each slot exactly once when two instances fire the same job together', async () => {
    const effects: { slot: string; instance: string }[] = [];
    const attempts: { slot: string; instance: string; outcome: string }[] = [];
    const base = slotFor(new Date(), 60_000).getTime();
    const slots = Array.from({ length: 8 }, (_, i) => new Date(base + i * 60_000));

    for (const slot of slots) {
      await Promise.all(
        [a, b].map(async (runner) => {
          const outcome = await runner.runExclusive('test.concurrent', slot, async (ctx) => {
            effects.push({ slot: ctx.slot.toISOString(), instance: ctx.instance });
            await sleep(20);
          });
          attempts.push({ slot: slot.toISOString(), instance: runner.instance, outcome });
        }),
      );
    }

    for (const slot of slots) {
      const here = attempts.filter((x) => x.slot === slot.toISOString());
      expect(here.map((x) => x.instance).sort()).toEqual(['node-a', 'node-b']); // both attempted
      expect(here.map((x) => x.outcome).sort()).toEqual(['ran', 'skipped']); // one ran
      expect(effects.filter((e) => e.slot === slot.toISOString())).toHaveLength(1);
    }
    expect(effects).toHaveLength(slots.length);

    const rows = await runs('test.concurrent');
    expect(rows.map((r) => r.slot.toISOString())).toEqual(slots.map((s) => s.toISOString()));
    expect(rows.every((r) => r.status === 'succeeded' && r.finished_at !== null && r.error === null)).toBe(true);
    // The recorded instance is the one whose side effect happened.
    for (const r of rows) {
      expect(effects.find((e) => e.slot === r.slot.toISOString())!.instance).toBe(r.instance);
    }
  });

  it('records a failing job as failed with its error, without throwing', async () => {
    const slot = slotFor(new Date(), 60_000);
    await expect(
      a.runExclusive('test.failing', slot, async () => {
        throw new Error('disk full');
      }),
    ).resolves.toBe('ran');
    const [row] = await runs('test.failing');
    expect(row).toMatchObject({ status: 'failed', instance: 'node-a' });
    expect(row!.error).toContain('disk full');
    expect(row!.finished_at).toBeInstanceOf(Date);
  });

  it('skips a slot that already ran, on any instance', async () => {
    const slot = slotFor(new Date(), 60_000);
    let calls = 0;
    const fn = async () => {
      calls++;
    };
    expect(await a.runExclusive('test.retry', slot, fn)).toBe('ran');
    expect(await a.runExclusive('test.retry', slot, fn)).toBe('skipped');
    expect(await b.runExclusive('test.retry', slot, fn)).toBe('skipped');
    expect(calls).toBe(1);
    expect(await b.runExclusive('test.retry', new Date(slot.getTime() + 60_000), fn)).toBe('ran');
    expect(calls).toBe(2);
  });

  it('does not overlap runs of one job, and lets a run abandoned past its lease go', async () => {
    const slot = slotFor(new Date(), 60_000);
    let release!: () => void;
    const longRun = a.runExclusive('test.long', slot, () => new Promise<void>((r) => (release = r)));
    await sleep(100);
    let ran = false;
    expect(
      await b.runExclusive('test.long', new Date(slot.getTime() + 60_000), async () => {
        ran = true;
      }),
    ).toBe('skipped');
    release();
    expect(await longRun).toBe('ran');
    expect(ran).toBe(false);

    // An instance that died mid-run leaves 'running' behind; after the lease it no longer blocks.
    await db.dataSource.query(
      `INSERT INTO job_runs (job, slot, instance, status, started_at) VALUES ('test.long', $1, 'node-dead', 'running', now() - interval '31 minutes')`,
      [new Date(slot.getTime() - 60_000)],
    );
    expect(await b.runExclusive('test.long', new Date(slot.getTime() + 120_000), async () => {})).toBe('ran');
    const dead = (await runs('test.long')).find((r) => r.instance === 'node-dead')!;
    expect(dead.status).toBe('failed');
    expect(dead.error).toMatch(/abandoned/);
  });

  it('runs the job as a system actor', async () => {
    let system: string | undefined;
    await a.runExclusive('test.actor', slotFor(new Date(), 60_000), async () => {
      system = requestContext.get()?.system;
    });
    expect(system).toBe('job:test.actor');
  });

  it('runs an every-second @ScheduledJob once per slot across two application instances', async () => {
    tickEffects.length = 0;
    const apps = [await appInstance(db.dataSource, configFor('app-a')), await appInstance(otherDs, configFor('app-b'))];
    try {
      await Promise.all(apps.map((app) => app.init()));
      expect(
        apps[0]!
          .get(JobRegistry)
          .list()
          .map((j) => j.name),
      ).toEqual(expect.arrayContaining(['test.tick', 'auth.sessions.purge', 'job_runs.purge']));
      expect(apps[0]!.get(SchedulerRegistry).getCronJob('test.tick').isActive).toBe(true);
      await sleep(4200);
    } finally {
      await Promise.all(apps.map((app) => app.close()));
    }

    const rows = await runs('test.tick');
    const slots = rows.map((r) => r.slot.toISOString());
    expect(new Set(slots).size).toBe(rows.length);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows.every((r) => r.status === 'succeeded')).toBe(true);
    expect(tickEffects).toHaveLength(rows.length);
    expect(tickEffects.map((e) => e.slot).sort()).toEqual([...slots].sort());
    for (const r of rows) expect(tickEffects.find((e) => e.slot === r.slot.toISOString())!.instance).toBe(r.instance);

    // Closed: no more runs.
    await sleep(1200);
    expect(await runs('test.tick')).toHaveLength(rows.length);
  });

  it('starts no timers when SCHEDULER_ENABLED is false, but can still run a job on demand', async () => {
    tickEffects.length = 0;
    const app = await appInstance(db.dataSource, configFor('app-off', { SCHEDULER_ENABLED: 'false' }));
    try {
      await app.init();
      expect(app.get(SchedulerRegistry).getCronJobs().size).toBe(0);
      expect(
        app
          .get(JobRegistry)
          .list()
          .find((j) => j.name === 'test.tick'),
      ).toMatchObject({ enabled: false, periodMs: 1000 });
      expect(await app.get(JobRegistry).trigger('test.tick')).toBe('ran');
      expect(tickEffects).toHaveLength(1);
    } finally {
      await app.close();
    }
  });

  it('purges old sessions and job runs in the core jobs', async () => {
    const app = await appInstance(db.dataSource, configFor('app-core', { SCHEDULER_ENABLED: 'false' }));
    try {
      await app.init();
      const [user] = await db.dataSource.query(
        `INSERT INTO users (username, full_name, email, password_hash) VALUES ('purge.test', 'Purge Test', 'purge@example.go.id', 'x') RETURNING id`,
      );
      const session = (hash: string, expires: string, revoked: string | null) =>
        db.dataSource.query(
          `INSERT INTO auth_sessions (user_id, family_id, refresh_hash, client, expires_at, revoked_at)
           VALUES ($1, gen_random_uuid(), $2, 'web', now() + $3::interval, now() + $4::interval)`,
          [user.id, hash.padEnd(64, '0'), expires, revoked],
        );
      await session('a', '-31 days', null); // expired long ago: purged
      await session('b', '-1 day', null); // expired recently: kept
      await session('c', '+1 day', '-40 days'); // revoked long ago: purged
      await session('d', '+1 day', '-2 days'); // revoked recently: kept
      await session('e', '+1 day', null); // live: kept
      await db.dataSource.query(
        `INSERT INTO job_runs (job, slot, instance, status, started_at) VALUES
           ('old.job', now() - interval '100 days', 'x', 'succeeded', now() - interval '100 days'),
           ('old.job', now() - interval '10 days', 'x', 'succeeded', now() - interval '10 days')`,
      );

      const registry = app.get(JobRegistry);
      expect(await registry.trigger('auth.sessions.purge')).toBe('ran');
      expect(await registry.trigger('job_runs.purge')).toBe('ran');

      const left: { refresh_hash: string }[] = await db.dataSource.query(`SELECT refresh_hash FROM auth_sessions ORDER BY refresh_hash`);
      expect(left.map((s) => s.refresh_hash[0])).toEqual(['b', 'd', 'e']);
      expect(await runs('old.job')).toHaveLength(1);
      expect((await runs('auth.sessions.purge'))[0]).toMatchObject({ status: 'succeeded', instance: 'app-core' });
    } finally {
      await app.close();
    }
  });
});
