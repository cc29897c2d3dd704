import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { ConfigService } from '../config/config.service.js';
import { JobRunner, type JobOutcome } from './job-runner.service.js';
import { slotFor } from './job-slot.util.js';
import { SCHEDULED_JOB, type JobContext, type ScheduledJobOptions } from './scheduled-job.decorator.js';

export interface JobDefinition {
  name: string;
  cron: string;
  periodMs: number;
  timeZone?: string;
  /** SCHEDULER_ENABLED and the job's own gate. */
  enabled: boolean;
}

interface RegisteredJob extends JobDefinition {
  run: (ctx: JobContext) => Promise<void>;
}

/**
 * Finds every `@ScheduledJob` method on the application's providers and, when SCHEDULER_ENABLED,
 * starts a cron timer for it (registered in @nestjs/schedule's SchedulerRegistry). Every fire goes
 * through JobRunner.runExclusive, so all instances may run timers and each slot still runs once.
 */
@Injectable()
export class JobRegistry implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(JobRegistry.name);
  private readonly jobs = new Map<string, RegisteredJob>();
  private readonly timers: CronJob[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly schedulerRegistry: SchedulerRegistry,
    private readonly runner: JobRunner,
    private readonly config: ConfigService,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
      const prototype = Object.getPrototypeOf(instance) as object | null;
      if (!prototype) continue;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const handler = (instance as Record<string, unknown>)[method];
        if (typeof handler !== 'function') continue;
        const options = this.reflector.get<ScheduledJobOptions | undefined>(SCHEDULED_JOB, handler);
        if (options) this.register(options, (ctx) => Promise.resolve(handler.call(instance, ctx)).then(() => undefined));
      }
    }
  }

  onApplicationBootstrap(): void {
    if (!this.config.get('SCHEDULER_ENABLED')) {
      this.logger.log(`Scheduler disabled on this instance (${this.jobs.size} jobs known)`);
      return;
    }
    for (const job of this.jobs.values()) {
      if (!job.enabled) continue;
      const timer = CronJob.from({
        cronTime: job.cron,
        // cron never fires before the scheduled time, so the fire time truncated to the period is the scheduled slot.
        onTick: () => void this.fire(job, new Date()),
        start: false,
        timeZone: job.timeZone ?? null,
        unrefTimeout: true,
        name: job.name,
      });
      this.schedulerRegistry.addCronJob(job.name, timer);
      timer.start();
      this.timers.push(timer);
    }
    this.logger.log(`Scheduler started ${this.timers.length} of ${this.jobs.size} jobs on ${this.runner.instance}`);
  }

  /** Stops the timers and waits for runs in progress, before the database goes away. */
  async onModuleDestroy(): Promise<void> {
    for (const timer of this.timers.splice(0)) {
      void timer.stop();
      if (this.schedulerRegistry.doesExist('cron', timer.name ?? '')) this.schedulerRegistry.deleteCronJob(timer.name!);
    }
    await Promise.allSettled([...this.inFlight]);
  }

  /** The known jobs, for the jobs page and the CLI. */
  list(): JobDefinition[] {
    return [...this.jobs.values()].map(({ run: _run, ...def }) => def);
  }

  /** Runs a job for the slot of `at` now (CLI `jobs:run`, tests), through the same once-per-slot rule. */
  trigger(name: string, at: Date = new Date()): Promise<JobOutcome> {
    const job = this.jobs.get(name);
    if (!job) throw new Error(`Unknown job '${name}'`);
    return this.track(this.runner.runExclusive(job.name, slotFor(at, job.periodMs), job.run));
  }

  private register(options: ScheduledJobOptions, run: RegisteredJob['run']): void {
    if (this.jobs.has(options.name)) throw new Error(`Scheduled job '${options.name}' is declared twice`);
    const enabled = this.config.get('SCHEDULER_ENABLED') && (options.enabled?.(this.config) ?? true);
    this.jobs.set(options.name, {
      name: options.name,
      cron: options.cron,
      periodMs: options.periodMs,
      timeZone: options.timeZone,
      enabled,
      run,
    });
  }

  private async fire(job: RegisteredJob, firedAt: Date): Promise<void> {
    try {
      await this.track(this.runner.runExclusive(job.name, slotFor(firedAt, job.periodMs), job.run));
    } catch (err) {
      // Claiming or recording failed (database unreachable): the next fire tries again.
      this.logger.error(`Job ${job.name} could not be scheduled: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.inFlight.add(p);
    const done = () => this.inFlight.delete(p);
    void p.then(done, done);
    return p;
  }
}
