// Benchmark of the SOC intake and staff queue on real PostgreSQL, printed beside the raw pgbench
// single-row insert rate measured on the same database in the same run. Not part of `npm test`.
//   npm run bench:incidents            (BENCH_DATABASE_URL, BENCH_SECONDS, BENCH_CONNECTIONS to tune)
// The server runs as in production: NODE_ENV=production, JSON logs at the default level (info, one
// access line per request, to /dev/null), the production pool size; only the public rate limit is
// raised (to its maximum) so the load is not refused, which the probe and the non-2xx column check.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';

const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
/** Unmeasured load first, so the figures are of a warm server (JIT, pools, caches), as in production. */
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const DB = 'sandi_bench';

function withDb(url, db) {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

async function query(url, sql) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql)).rows;
  } finally {
    await c.end();
  }
}

async function admin(sql) {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function startServer(dbUrl) {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'sandi-bench-'));
  const child = spawn(process.execPath, [process.env.BENCH_SERVER_ENTRY ?? 'dist/apps/api/src/main.js'], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      AUTH_JWT_SECRET: 'bench-only-secret-bench-only-secret-0123456789',
      DATA_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
      DATABASE_URL: dbUrl,
      DATABASE_POOL_SIZE: '20',
      DEMO_SEED: 'true',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
      RATE_LIMIT_PUBLIC_PER_MINUTE: '100000',
      RATE_LIMIT_LOGIN_PER_MINUTE: '1000',
      SCHEDULER_ENABLED: 'false',
      MAIL_POLL_SECONDS: '3600',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 240; i++) {
    try {
      if (child.exitCode !== null) throw new Error('server exited during start');
      if ((await fetch(`${url}/health/ready`)).ok) return { url, child, dataDir };
    } catch {
      /* starting */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill('SIGKILL');
  throw new Error('server did not start');
}

function run(opts) {
  return new Promise((resolve, reject) => {
    autocannon({ duration: SECONDS, connections: CONNECTIONS, ...opts }, (err, res) => (err ? reject(err) : resolve(res)));
  });
}

/** CPU seconds (user + system, all threads) a process has used, from /proc; null where there is none. */
function cpuSeconds(pid) {
  const file = `/proc/${pid}/stat`;
  if (!existsSync(file)) return null;
  const stat = readFileSync(file, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

/** Runs a load and notes the server's CPU time per answered request. */
async function measured(server, opts) {
  const before = cpuSeconds(server.child.pid);
  const result = await run(opts);
  const after = cpuSeconds(server.child.pid);
  result.cpuMsPerRequest = before === null || after === null ? null : ((after - before) * 1000) / Math.max(1, result.requests.total);
  return result;
}

function multipartBody() {
  const boundary = 'sandibenchboundary';
  const fields = {
    reporterName: 'Bench Reporter',
    reporterOrganisation: 'Dinas Kesehatan',
    reporterEmail: 'bench@example.go.id',
    title: 'Halaman situs diubah (bench)',
    description: 'Halaman utama situs menampilkan konten yang tidak sah.',
    category: 'web-defacement',
    locale: 'id',
  };
  const parts = Object.entries(fields).map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`);
  const head = Buffer.from(
    parts.join('') +
      `--${boundary}\r\nContent-Disposition: form-data; name="evidence"; filename="screenshot.txt"\r\nContent-Type: text/plain\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  // Every report brings a file of its own (4 KiB, its first bytes a counter): each is a new file in
  // storage, as real evidence is, not the same bytes found again.
  let n = 0;
  const body = () => {
    const file = Buffer.alloc(4096, 'A');
    file.write(`${process.pid}-${n++}-`, 0, 'latin1');
    return Buffer.concat([head, file, tail]);
  };
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

function pgbenchInsertRate(dbUrl) {
  const dir = mkdtempSync(join(tmpdir(), 'sandi-pgbench-'));
  const script = join(dir, 'insert.sql');
  writeFileSync(script, "INSERT INTO bench_raw (payload) VALUES ('x');\n");
  execFileSync('psql', [
    dbUrl,
    '-qc',
    'DROP TABLE IF EXISTS bench_raw; CREATE TABLE bench_raw (id bigserial PRIMARY KEY, payload text, created_at timestamptz DEFAULT now())',
  ]);
  const out = execFileSync('pgbench', ['-n', '-f', script, '-c', String(CONNECTIONS), '-j', '2', '-T', String(SECONDS), dbUrl], {
    encoding: 'utf8',
  });
  rmSync(dir, { recursive: true, force: true });
  const m = /tps = ([\d.]+)/.exec(out);
  if (!m) throw new Error(`could not read pgbench output:\n${out}`);
  return Number(m[1]);
}

const fmt = (n) => n.toFixed(1).padStart(9);

async function main() {
  await admin(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${DB}`);
  const dbUrl = withDb(ADMIN_URL, DB);
  const server = await startServer(dbUrl);
  try {
    const token = await fetch(`${server.url}/api/v1/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'helpdesk', password: 'Sandi#Demo2026' }),
    }).then((r) => r.json());
    if (!token.accessToken) throw new Error(`login failed: ${JSON.stringify(token)}`);

    const { body, contentType } = multipartBody();
    const probe = await fetch(`${server.url}/api/v1/public/incidents`, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: body(),
    });
    if (probe.status !== 201) throw new Error(`intake probe answered ${probe.status}: ${await probe.text()}`);
    // The limit the load runs under: far above what one client IP can send here (non-2xx would show it).
    const limit = probe.headers.get('x-ratelimit-limit-public') ?? probe.headers.get('x-ratelimit-limit');
    const intakeRequest = {
      method: 'POST',
      path: '/api/v1/public/incidents',
      headers: { 'content-type': contentType },
      setupRequest: (req) => ({ ...req, body: body() }),
    };

    const queueRequest = { url: `${server.url}/api/v1/incidents?pageSize=20`, headers: { authorization: `Bearer ${token.accessToken}` } };
    if (WARMUP_SECONDS > 0) {
      await run({ url: server.url, requests: [intakeRequest], duration: WARMUP_SECONDS });
      await run({ ...queueRequest, duration: WARMUP_SECONDS });
    }
    const [{ n: before }] = await query(dbUrl, `SELECT count(*)::int AS n FROM incidents`);
    const intake = await measured(server, { url: server.url, requests: [intakeRequest] });
    const queue = await measured(server, queueRequest);
    // What this HTTP stack answers at most on this machine: a route that does nothing (health probe).
    const ceiling = await measured(server, { url: `${server.url}/health/live` });
    const raw = pgbenchInsertRate(dbUrl);
    const [{ n: stored }] = await query(dbUrl, `SELECT count(*)::int AS n FROM incidents`);

    const cpu = (r) => (r.cpuMsPerRequest === null ? '' : `  server CPU ${r.cpuMsPerRequest.toFixed(2)} ms/req`);
    const row = (name, r) =>
      `${name.padEnd(30)}${fmt(r.requests.average)} req/s  p50 ${fmt(r.latency.p50)} ms  p99 ${fmt(r.latency.p99)} ms  non-2xx ${r.non2xx}  errors ${r.errors}${cpu(r)}`;
    console.log(
      `\nSandi incidents benchmark — ${SECONDS}s per run, ${CONNECTIONS} connections, PostgreSQL ${new URL(dbUrl).host}, ${cpus().length} CPUs`,
    );
    console.log(
      `server: NODE_ENV=production, JSON logs at info, public rate limit ${limit ?? '100000'}/min, ${WARMUP_SECONDS}s warm-up per route`,
    );
    console.log(row('public intake (4 KiB file)', intake));
    console.log(row('staff queue read', queue));
    console.log(row('HTTP ceiling (GET /health/live)', ceiling));
    console.log(`${'pgbench single-row insert'.padEnd(30)}${fmt(raw)} tx/s   (reference, same database, same run)`);
    console.log(
      `reports stored by the intake run: ${stored - before} (${intake.requests.total} answered within the run, the rest were in flight at its end)`,
    );
    const ratio = intake.requests.average / raw;
    console.log(
      `\nintake / raw insert = ${(ratio * 100).toFixed(1)} % (target >= 25 %), intake p99 ${intake.latency.p99} ms (target < 100 ms): ` +
        (ratio >= 0.25 && intake.latency.p99 < 100 ? 'TARGET MET' : 'TARGET NOT MET'),
    );
    if (ratio < 0.25) {
      console.log(
        `(${(0.25 * raw).toFixed(0)} req/s would be needed; even the no-op route answers ${ceiling.requests.average.toFixed(0)} req/s on this machine)`,
      );
    }
  } finally {
    server.child.kill('SIGTERM');
    rmSync(server.dataDir, { recursive: true, force: true });
    await admin(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`).catch(() => {});
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
