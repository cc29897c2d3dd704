import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The built server with API_WORKERS: several processes on one port (node:cluster), on PostgreSQL
 * (the PostgreSQL of the machine, as .ci/run uses: TEST_DATABASE_URL or 127.0.0.1:5432/test; a
 * scratch database is created and dropped).
 */
const ENTRY = 'dist/apps/api/src/main.js';
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Process ids whose parent is `pid` (from /proc). */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function until<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v;
    } catch {
      // not yet
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('API_WORKERS (built server)', () => {
  it('refuses more than one worker on the embedded database, naming the variable', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sandi-cluster-'));
    try {
      const r = spawnSync(process.execPath, [ENTRY], { env: { ...process.env, API_WORKERS: '2', DATABASE_URL: '', DATA_DIR: dataDir, NODE_ENV: 'development' }, encoding: 'utf8', timeout: 60_000 });
      expect(r.status).toBe(78);
      expect(r.stderr).toContain('API_WORKERS: more than one worker needs DATABASE_URL');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  describe('two workers on PostgreSQL', () => {
    const dbName = `sandi_cluster_${randomBytes(5).toString('hex')}`;
    const dataDir = mkdtempSync(join(tmpdir(), 'sandi-cluster-'));
    let server: ChildProcess;
    let url: string;
    let output = '';
    const dbUrl = (() => {
      const u = new URL(ADMIN_URL);
      u.pathname = `/${dbName}`;
      return u.toString();
    })();
    const admin = async <T>(fn: (c: pg.Client) => Promise<T>, connection = ADMIN_URL): Promise<T> => {
      const c = new pg.Client({ connectionString: connection, connectionTimeoutMillis: 5000 });
      try {
        await c.connect();
      } catch (err) {
        throw new Error(`this suite needs the PostgreSQL at ${ADMIN_URL} (set TEST_DATABASE_URL): ${err instanceof Error ? err.message : String(err)}`);
      }
      try {
        return await fn(c);
      } finally {
        await c.end();
      }
    };

    beforeAll(async () => {
      await admin((c) => c.query(`CREATE DATABASE ${dbName}`));
      const port = await freePort();
      url = `http://127.0.0.1:${port}`;
      server = spawn(process.execPath, [ENTRY], {
        env: {
          ...process.env,
          NODE_ENV: 'production',
          API_WORKERS: '2',
          DATABASE_URL: dbUrl,
          DATABASE_POOL_SIZE: '3',
          DEMO_SEED: 'true',
          PORT: String(port),
          HOST: '127.0.0.1',
          PUBLIC_URL: url,
          DATA_DIR: dataDir,
          AUTH_JWT_SECRET: randomBytes(48).toString('base64url'),
          DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
          SCHEDULER_ENABLED: 'false',
          LOG_FORMAT: 'json',
          LOG_LEVEL: 'info',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      server.stdout!.on('data', (d: Buffer) => (output += d.toString()));
      server.stderr!.on('data', (d: Buffer) => (output += d.toString()));
      const listening = () => output.match(/Sandi listening on/g)?.length ?? 0;
      await until('two workers listening', async () => listening() === 2 && (await fetch(`${url}/health/ready`)).ok && childrenOf(server.pid!).length === 2, 90_000);
    });

    afterAll(async () => {
      if (server && server.exitCode === null) {
        server.kill('SIGKILL');
        for (const pid of childrenOf(server.pid!)) process.kill(pid, 'SIGKILL');
      }
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`)).catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('runs the migrations and the demo seed once, then both workers answer on one port', async () => {
      expect(output.match(/Demo data seeded/g)).toHaveLength(1);
      expect(output.match(/Sandi listening on/g)).toHaveLength(2);
      expect(output).toContain('Worker 1 is listening; starting 1 more');
      const users = await admin((c) => c.query<{ n: number }>(`SELECT count(*)::int AS n FROM users`), dbUrl);
      expect(users.rows[0]!.n).toBeGreaterThan(0);
      // Every worker has its own pool on the database, and logins work whichever answers.
      for (let i = 0; i < 6; i++) {
        const res = await fetch(`${url}/api/v1/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json', connection: 'close' }, body: JSON.stringify({ username: 'admin', password: 'Sandi#Demo2026' }) });
        expect(res.status).toBe(200);
      }
      const backends = await admin((c) => c.query<{ n: number }>(`SELECT count(DISTINCT client_port)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = 'sandi'`, [dbName]), dbUrl);
      expect(backends.rows[0]!.n).toBeGreaterThanOrEqual(2);
    });

    it('replaces a worker that dies, and keeps answering meanwhile', async () => {
      const [victim, survivor] = childrenOf(server.pid!);
      process.kill(victim!, 'SIGKILL');
      // Once the primary has seen the death, new connections go to the survivor while the replacement starts.
      await until('the primary noticing', () => /Worker \d+ exited with signal SIGKILL; replacing it/.test(output));
      for (let i = 0; i < 10; i++) {
        const res = await fetch(`${url}/health/live`, { headers: { connection: 'close' }, signal: AbortSignal.timeout(5000) });
        expect(res.status).toBe(200);
      }
      const now = await until('a replacement worker', () => {
        const kids = childrenOf(server.pid!);
        return kids.length === 2 && !kids.includes(victim!) ? kids : undefined;
      });
      expect(now).toContain(survivor);
      await until('the replacement listening', () => output.match(/Sandi listening on/g)?.length === 3);
      expect((await fetch(`${url}/health/ready`)).status).toBe(200);
      expect(output).toMatch(/Worker \d+ exited with signal SIGKILL; replacing it/);
      expect(output.match(/Demo data seeded/g)).toHaveLength(1);
    });

    it('stops gracefully on SIGTERM: the workers shut down, then the primary exits 0', async () => {
      const kids = childrenOf(server.pid!);
      const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
      server.kill('SIGTERM');
      expect(await exited).toBe(0);
      for (const pid of kids) expect(existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ')).toBe(false);
    });
  });
});
