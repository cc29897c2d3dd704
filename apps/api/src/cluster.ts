import type { Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';

/** How many API processes API_WORKERS asks for (0 = one per core). */
export function workerCount(configured: number, cores = availableParallelism()): number {
  return configured === 0 ? Math.max(1, cores) : configured;
}

/** The part of node:cluster the supervisor uses (a fake in the unit tests). */
export interface ClusterLike {
  fork(env?: Record<string, string>): Worker;
  on(event: 'exit', listener: (worker: Worker, code: number | null, signal: string | null) => void): unknown;
  on(event: 'listening', listener: (worker: Worker) => void): unknown;
}

export interface SupervisorOptions {
  workers: number;
  cluster: ClusterLike;
  log: (level: 'info' | 'warn' | 'error', message: string) => void;
  /** Called once everything has stopped: the process exit code. */
  exit: (code: number) => void;
  /** A worker that dies is replaced after this delay. Default 1 s. */
  restartDelayMs?: number;
  /** More than this many replacements within restartWindowMs: give up (a crash loop). Default 5 / 60 s. */
  maxRestarts?: number;
  restartWindowMs?: number;
  /** Workers still running this long after SIGTERM are killed. Default 30 s. */
  stopTimeoutMs?: number;
}

/**
 * The primary process of an API_WORKERS > 1 deployment: it runs no application itself. Worker 1
 * starts first and alone, so the migrations and the demo seed run once; the others follow once it
 * listens, with both turned off. A worker that dies is replaced (unless they keep dying: then the
 * whole server stops, so the service manager sees the failure). `stop()` (SIGTERM/SIGINT) asks
 * each worker to shut down gracefully and exits when all have.
 *
 * Everything else the workers share already works across processes: sessions and rate limits are
 * in the database, scheduled jobs and the audit chain take advisory locks, the outbox claims with
 * SKIP LOCKED, and in-memory caches are dropped by LISTEN/NOTIFY.
 */
export class ClusterSupervisor {
  private readonly live = new Set<Worker>();
  private readonly restarts: number[] = [];
  private firstListening = false;
  private stopping = false;
  private exitCode = 0;
  private stopTimer: NodeJS.Timeout | null = null;

  constructor(private readonly o: SupervisorOptions) {}

  start(): void {
    const { cluster } = this.o;
    cluster.on('listening', (worker) => {
      if (this.firstListening || this.stopping) return;
      this.firstListening = true;
      this.o.log('info', `Worker ${worker.id} is listening; starting ${this.o.workers - 1} more`);
      for (let i = 1; i < this.o.workers; i++) this.fork();
    });
    cluster.on('exit', (worker, code, signal) => this.exited(worker, code, signal));
    this.o.log('info', `Starting ${this.o.workers} API workers`);
    this.live.add(cluster.fork());
  }

  /** Graceful stop: SIGTERM to every worker, SIGKILL after stopTimeoutMs. */
  stop(code = 0): void {
    if (this.stopping) return;
    this.stopping = true;
    this.exitCode = code;
    if (this.live.size === 0) return this.o.exit(code);
    for (const w of this.live) w.process.kill('SIGTERM');
    this.stopTimer = setTimeout(() => {
      for (const w of this.live) w.process.kill('SIGKILL');
    }, this.o.stopTimeoutMs ?? 30_000);
    this.stopTimer.unref();
  }

  private fork(): void {
    this.live.add(this.o.cluster.fork({ DATABASE_MIGRATE_ON_START: 'false', DEMO_SEED: 'false' }));
  }

  private exited(worker: Worker, code: number | null, signal: string | null): void {
    this.live.delete(worker);
    if (this.stopping) {
      if (this.live.size === 0) {
        if (this.stopTimer) clearTimeout(this.stopTimer);
        this.o.exit(this.exitCode);
      }
      return;
    }
    const how = signal ? `signal ${signal}` : `code ${code}`;
    if (!this.firstListening) {
      // The first worker failed to start (bad configuration, database unreachable, failed migration):
      // starting others would fail the same way.
      this.o.log('error', `Worker ${worker.id} exited with ${how} before listening; stopping`);
      this.stop(code || 1);
      return;
    }
    const now = Date.now();
    const window = this.o.restartWindowMs ?? 60_000;
    while (this.restarts.length && this.restarts[0]! < now - window) this.restarts.shift();
    if (this.restarts.length >= (this.o.maxRestarts ?? 5)) {
      this.o.log(
        'error',
        `Worker ${worker.id} exited with ${how}; ${this.restarts.length} replacements in ${window / 1000} s already, stopping`,
      );
      this.stop(1);
      return;
    }
    this.restarts.push(now);
    this.o.log('warn', `Worker ${worker.id} exited with ${how}; replacing it`);
    // Not unref'd: with every worker gone, this timer is what keeps the primary alive.
    setTimeout(() => {
      if (!this.stopping) this.fork();
    }, this.o.restartDelayMs ?? 1000);
  }
}
