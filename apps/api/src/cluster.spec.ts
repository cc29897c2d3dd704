import { EventEmitter } from 'node:events';
import type { Worker } from 'node:cluster';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ClusterSupervisor, workerCount, type ClusterLike } from './cluster.js';

/** Stands for node:cluster: forks record their env; workers are killed or die on demand. */
class FakeCluster extends EventEmitter implements ClusterLike {
  readonly forks: Array<{ worker: Worker; env?: Record<string, string>; signals: string[] }> = [];
  fork(env?: Record<string, string>): Worker {
    const signals: string[] = [];
    const worker = { id: this.forks.length + 1, process: { kill: (s: string) => signals.push(s) } } as unknown as Worker;
    this.forks.push({ worker, env, signals });
    return worker;
  }
  listening(i: number): void {
    this.emit('listening', this.forks[i]!.worker);
  }
  die(i: number, code: number | null, signal: string | null = null): void {
    this.emit('exit', this.forks[i]!.worker, code, signal);
  }
}

function supervisor(workers: number, extra: Partial<ConstructorParameters<typeof ClusterSupervisor>[0]> = {}) {
  const cluster = new FakeCluster();
  const logs: string[] = [];
  const exit = vi.fn();
  const s = new ClusterSupervisor({ workers, cluster, log: (level, m) => logs.push(`${level}: ${m}`), exit, ...extra });
  s.start();
  return { s, cluster, logs, exit };
}

describe('ClusterSupervisor', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('counts one worker per core for 0', () => {
    expect(workerCount(0, 8)).toBe(8);
    expect(workerCount(3, 8)).toBe(3);
    expect(workerCount(0, 0)).toBe(1);
  });

  it('starts the first worker alone (migrations, demo seed), the others once it listens, without either', () => {
    const { cluster } = supervisor(3);
    expect(cluster.forks).toHaveLength(1);
    expect(cluster.forks[0]!.env).toBeUndefined();
    cluster.listening(0);
    expect(cluster.forks).toHaveLength(3);
    for (const f of cluster.forks.slice(1)) expect(f.env).toEqual({ DATABASE_MIGRATE_ON_START: 'false', DEMO_SEED: 'false' });
    cluster.listening(1); // the others listening changes nothing
    expect(cluster.forks).toHaveLength(3);
  });

  it('stops with the exit code when the first worker fails before listening', () => {
    const { cluster, exit, logs } = supervisor(4);
    cluster.die(0, 78);
    expect(exit).toHaveBeenCalledWith(78);
    expect(cluster.forks).toHaveLength(1);
    expect(logs.at(-1)).toMatch(/^error: Worker 1 exited with code 78 before listening/);
  });

  it('replaces a worker that dies, after a delay, and gives up on a crash loop', () => {
    const { cluster, exit, logs } = supervisor(2, { restartDelayMs: 1000, maxRestarts: 2, restartWindowMs: 60_000 });
    cluster.listening(0);
    cluster.die(1, null, 'SIGSEGV');
    expect(logs.at(-1)).toBe('warn: Worker 2 exited with signal SIGSEGV; replacing it');
    expect(cluster.forks).toHaveLength(2);
    vi.advanceTimersByTime(1000);
    expect(cluster.forks).toHaveLength(3);
    expect(cluster.forks[2]!.env).toEqual({ DATABASE_MIGRATE_ON_START: 'false', DEMO_SEED: 'false' });
    cluster.die(2, 1);
    vi.advanceTimersByTime(1000);
    expect(cluster.forks).toHaveLength(4);
    // a third death within the minute: the whole server stops (SIGTERM to the survivors)
    cluster.die(3, 1);
    expect(logs.at(-1)).toMatch(/2 replacements in 60 s already, stopping/);
    expect(cluster.forks[0]!.signals).toEqual(['SIGTERM']);
    cluster.die(0, 0);
    expect(exit).toHaveBeenCalledWith(1);
  });

  it('forgets replacements older than the window', () => {
    const { cluster, exit } = supervisor(2, { maxRestarts: 1, restartWindowMs: 10_000, restartDelayMs: 10 });
    cluster.listening(0);
    cluster.die(1, 1);
    vi.advanceTimersByTime(11_000);
    cluster.die(2, 1);
    vi.advanceTimersByTime(10);
    expect(cluster.forks).toHaveLength(4);
    expect(exit).not.toHaveBeenCalled();
  });

  it('stops gracefully: SIGTERM to each worker, exit once all are gone, SIGKILL after the timeout; no replacements meanwhile', () => {
    const { s, cluster, exit } = supervisor(2, { stopTimeoutMs: 5000 });
    cluster.listening(0);
    s.stop();
    s.stop(); // a second signal changes nothing
    expect(cluster.forks.map((f) => f.signals)).toEqual([['SIGTERM'], ['SIGTERM']]);
    cluster.die(0, 0);
    vi.advanceTimersByTime(2000);
    expect(cluster.forks).toHaveLength(2); // not replaced
    expect(exit).not.toHaveBeenCalled();
    vi.advanceTimersByTime(3000);
    expect(cluster.forks[1]!.signals).toEqual(['SIGTERM', 'SIGKILL']);
    cluster.die(1, null, 'SIGKILL');
    expect(exit).toHaveBeenCalledWith(0);
  });
});
