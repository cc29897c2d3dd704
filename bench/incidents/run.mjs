// Benchmark of the SOC intake and staff queue on real PostgreSQL, printed beside the raw pgbench
// single-row insert rate measured on the same database in the same run. Not part of `npm test`.
//   npm run bench:incidents            (BENCH_DATABASE_URL, BENCH_SECONDS, BENCH_CONNECTIONS to tune)
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';

const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const DB = 'sandi_bench';

function withDb(url, db) {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
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
  const child = spawn(process.execPath, ['dist/apps/api/src/main.js'], {
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
      LOG_LEVEL: 'warn',
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
  const parts = Object.entries(fields).map(
    ([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`,
  );
  const file = Buffer.alloc(4096, 'A');
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="evidence"; filename="screenshot.txt"\r\nContent-Type: text/plain\r\n\r\n`;
  const body = Buffer.concat([Buffer.from(parts.join('') + head), file, Buffer.from(`\r\n--${boundary}--\r\n`)]);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

function pgbenchInsertRate(dbUrl) {
  const dir = mkdtempSync(join(tmpdir(), 'sandi-pgbench-'));
  const script = join(dir, 'insert.sql');
  writeFileSync(script, "INSERT INTO bench_raw (payload) VALUES ('x');\n");
  execFileSync('psql', [dbUrl, '-qc', 'DROP TABLE IF EXISTS bench_raw; CREATE TABLE bench_raw (id bigserial PRIMARY KEY, payload text, created_at timestamptz DEFAULT now())']);
  const out = execFileSync('pgbench', ['-n', '-f', script, '-c', String(CONNECTIONS), '-j', '2', '-T', String(SECONDS), dbUrl], { encoding: 'utf8' });
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
    const probe = await fetch(`${server.url}/api/v1/public/incidents`, { method: 'POST', headers: { 'content-type': contentType }, body });
    if (probe.status !== 201) throw new Error(`intake probe answered ${probe.status}: ${await probe.text()}`);

    const intake = await run({ url: `${server.url}/api/v1/public/incidents`, method: 'POST', headers: { 'content-type': contentType }, body });
    const queue = await run({ url: `${server.url}/api/v1/incidents?pageSize=20`, headers: { authorization: `Bearer ${token.accessToken}` } });
    const raw = pgbenchInsertRate(dbUrl);

    const row = (name, r) =>
      `${name.padEnd(28)}${fmt(r.requests.average)} req/s  p50 ${fmt(r.latency.p50)} ms  p99 ${fmt(r.latency.p99)} ms  non-2xx ${r.non2xx}  errors ${r.errors}`;
    console.log(`\nSandi incidents benchmark — ${SECONDS}s per run, ${CONNECTIONS} connections, PostgreSQL ${new URL(dbUrl).host}`);
    console.log(row('public intake (4 KiB file)', intake));
    console.log(row('staff queue read', queue));
    console.log(`${'pgbench single-row insert'.padEnd(28)}${fmt(raw)} tx/s   (reference, same database, same run)`);
    const ratio = intake.requests.average / raw;
    console.log(
      `\nintake / raw insert = ${(ratio * 100).toFixed(1)} % (target >= 25 %), intake p99 ${intake.latency.p99} ms (target < 100 ms): ` +
        (ratio >= 0.25 && intake.latency.p99 < 100 ? 'TARGET MET' : 'TARGET NOT MET'),
    );
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
