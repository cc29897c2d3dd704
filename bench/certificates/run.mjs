// Benchmark of the certificate service's PKI core and OCSP endpoint: issuance, the CRL builder and the
// OCSP responder, printed beside OpenSSL doing the same job on the same machine in the same run. Not
// part of `npm test`.
//   npm run bench:certificates   (= npm run build:server, then this script for ECDSA P-256 and RSA-2048)
// Tuning: BENCH_ALG (ecdsa-p256 | rsa-2048), BENCH_CRL_ENTRIES (100000), BENCH_SECONDS (10),
// BENCH_CONNECTIONS (8), BENCH_WARMUP_SECONDS (3), BENCH_DATABASE_URL (the local `test` database;
// a scratch database sandi_bench_certificates is created and dropped), BENCH_SERVER_ENTRY (another
// build of the API server), BENCH_API_WORKERS (1: the server's API_WORKERS), BENCH_ONLY=ocsp (skip
// issuance and CRL), BENCH_OPENSSL_MULTI=N (adds `openssl ocsp -multi N`, N responder processes,
// beside the first table's rows), PKI_MODULE (another compiled copy of libs/certificates/src/pki).
//
// CRL: `openssl ca -gencrl` over an index.txt with the same revoked entries (wall time of the whole
// command, median of 3; its fixed cost is shown with a one-entry index) against `buildCrl` in-process
// (median of 5 after a warm-up).
//
// OCSP: the product's real endpoint — the built API server (dist/, NODE_ENV=production, JSON access
// logs at info to /dev/null) on PostgreSQL, POST /api/v1/pki/ocsp — against `openssl ocsp -index …
// -port` signing with the same CA key over an index.txt of the same certificates. The bench decrypts
// the server's issuing CA key (it knows DATA_ENCRYPTION_KEY), issues one holder certificate with it
// and stores it and the revoked entries in the server's `certificates` table. Both servers get the
// same OpenSSL-made requests (one CertID, status "good"; checked with `openssl ocsp` first), of two
// kinds: with a nonce (openssl's client default: every answer signed for it) and without (RFC 5019,
// as browsers and CDNs ask: our server may serve a pre-produced answer; openssl signs anyway). The
// client is ApacheBench `ab` (C, one thread) for every server, the same concurrency and duration:
//   - keep-alive (`ab -k`): openssl answers HTTP/1.0 and closes every connection, ab reconnects;
//   - one connection per request (`ab` without -k).
// (wrk cannot be used: `openssl ocsp -port` never answers its requests.) Each of our runs follows an
// unmeasured warm-up. Reference lines: `respond()` signing every answer behind a bare node:http
// server (statuses in a Map), node:http answering a fixed body, and one answer's CPU in-process.
import { execFileSync, spawn } from 'node:child_process';
import { createHash, createPrivateKey, hkdfSync, sign } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import http from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const MODULE = process.env.PKI_MODULE ?? fileURLToPath(new URL('../../dist/libs/certificates/src/pki/index.js', import.meta.url));
const pki = await import(pathToFileURL(MODULE).href);

/** Child process: our responder behind node:http, statuses from index.txt in a Map. */
async function serve(dir, port, mode) {
  if (mode === 'fixed') {
    // No OCSP work at all: what any node:http server answers here at most.
    const fixed = Buffer.alloc(300, 0x30);
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/ocsp-response', 'content-length': fixed.length });
        res.end(fixed);
      });
    });
    server.listen(port, '127.0.0.1', () => process.send?.('ready'));
    return;
  }
  const issuer = readFileSync(join(dir, 'iss.pem'), 'utf8');
  const key = createPrivateKey(readFileSync(join(dir, 'iss.key')));
  const responder = pki.createOcspResponder({ issuerCertificate: issuer, signerKey: key });
  const statuses = new Map();
  for (const line of readFileSync(join(dir, 'index.txt'), 'utf8').split('\n')) {
    const [flag, , rev, serial] = line.split('\t');
    if (!serial) continue;
    const s = BigInt(`0x${serial}`).toString(16);
    if (flag === 'V') statuses.set(s, { status: 'good' });
    else if (flag === 'R') {
      const [when, reason] = rev.split(',');
      statuses.set(s, { status: 'revoked', revokedAt: parseIndexTime(when), ...(reason ? { reason } : {}) });
    }
  }
  const lookup = async (serial) => statuses.get(serial) ?? { status: 'unknown' };
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = req.method === 'GET' ? Buffer.from(decodeURIComponent(req.url.slice(1)), 'base64') : Buffer.concat(chunks);
      void responder.respond(body, lookup).then((out) => {
        res.writeHead(200, { 'content-type': 'application/ocsp-response', 'content-length': out.length });
        res.end(out);
      });
    });
  });
  server.listen(port, '127.0.0.1', () => process.send?.('ready'));
}

function parseIndexTime(s) {
  const m = /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/.exec(s);
  return new Date(Date.UTC(2000 + Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
}

function indexTime(d) {
  return d.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z';
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function freePort() {
  return new Promise((resolve) => {
    const s = createNetServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** openssl's CA database: the revoked entries plus one valid certificate (the one the requests ask about). */
function writeOpensslIndex(file, revoked, goodSerial, expiry) {
  const line = (r, i) => `R\t${expiry}\t${indexTime(r.revokedAt)},${r.reason}\t${r.serial.toUpperCase()}\tunknown\t/CN=holder ${i}`;
  writeFileSync(file, [...revoked.map(line), `V\t${expiry}\t\t${goodSerial.toUpperCase()}\tunknown\t/CN=Bench Holder`].join('\n') + '\n');
}

/** CPU seconds (user + system, all threads) a process and its child processes (API workers) have used, from /proc; null where there is none. */
function cpuSeconds(pid) {
  const file = `/proc/${pid}/stat`;
  if (!existsSync(file)) return null;
  let total = 0;
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(d) === pid || Number(f[1]) === pid) total += (Number(f[11]) + Number(f[12])) / 100;
    } catch {
      /* gone meanwhile */
    }
  }
  return total;
}

/** CPU seconds of every local PostgreSQL process (the server's queries run in its backends); null without /proc. */
function postgresCpuSeconds() {
  if (!existsSync('/proc')) return null;
  let total = 0;
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      if (!stat.includes('(postgres)')) continue;
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += (Number(f[11]) + Number(f[12])) / 100;
    } catch {
      /* gone meanwhile */
    }
  }
  return total;
}

/** The whole machine's CPU ticks (busy, total) from /proc/stat, to show how saturated a run left it. */
function machineTicks() {
  if (!existsSync('/proc/stat')) return null;
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = f[3] + (f[4] ?? 0);
  const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const BENCH_DB = 'sandi_bench_certificates';
const DATA_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString('base64');

function withDb(url, db) {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

async function withClient(url, fn) {
  const { default: pg } = await import('pg');
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** API server processes (API_WORKERS): 1 by default, as openssl's responder is one process. */
const API_WORKERS = Number(process.env.BENCH_API_WORKERS ?? 1);

/** The built API server, as in production, on a scratch PostgreSQL database; the local CA is created at start. */
async function startApiServer(alg, dbUrl) {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'sandi-bench-'));
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    process.execPath,
    [process.env.BENCH_SERVER_ENTRY ?? fileURLToPath(new URL('../../dist/apps/api/src/main.js', import.meta.url))],
    {
      env: {
        ...process.env,
        NODE_ENV: 'production',
        AUTH_JWT_SECRET: 'bench-only-secret-bench-only-secret-0123456789',
        DATA_ENCRYPTION_KEY,
        DATABASE_URL: dbUrl,
        DEMO_SEED: 'true',
        PORT: String(port),
        HOST: '127.0.0.1',
        PUBLIC_URL: url,
        DATA_DIR: dataDir,
        LOG_LEVEL: 'info',
        LOG_FORMAT: 'json',
        SCHEDULER_ENABLED: 'false',
        MAIL_POLL_SECONDS: '3600',
        CERT_RA_ADAPTER: 'local',
        CA_KEY_ALGORITHM: alg,
        API_WORKERS: String(API_WORKERS),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  // Logs are read only to count the workers that listen (the access log stays at info, as in production).
  let listening = 0;
  child.stdout.on('data', (d) => (listening += (d.toString().match(/Sandi listening on/g) ?? []).length));
  for (let i = 0; i < 240; i++) {
    try {
      if (child.exitCode !== null) throw new Error('server exited during start');
      if (listening >= API_WORKERS && (await fetch(`${url}/health/ready`)).ok) return { url, child, dataDir };
    } catch {
      /* starting */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill('SIGKILL');
  throw new Error('server did not start');
}

/**
 * The server's CA, and the bench's certificates in its database: the issuing CA key is decrypted as
 * LocalCaService does (a passphrase derived from DATA_ENCRYPTION_KEY), a holder certificate is
 * issued with it and stored as active, the revoked entries are stored as revoked.
 */
async function seedCertificates(dbUrl, alg, revoked, dir) {
  return withClient(dbUrl, async (c) => {
    const { rows } = await c.query(`SELECT kind, certificate, private_key FROM cert_authorities WHERE active`);
    const issuing = rows.find((r) => r.kind === 'issuing');
    const root = rows.find((r) => r.kind === 'root');
    if (!issuing || !root) throw new Error('the server did not create its local CA');
    const passphrase = Buffer.from(
      hkdfSync('sha256', Buffer.from(DATA_ENCRYPTION_KEY, 'base64'), Buffer.alloc(0), 'sandi/local-ca-key/v1', 32),
    ).toString('base64url');
    const key = await pki.decryptPrivateKey(issuing.private_key, passphrase);
    const now = new Date();
    const leafKeys = await pki.generateKeyPair(alg);
    const leaf = await pki.issueCertificate({
      issuer: { certificate: issuing.certificate, privateKey: key },
      publicKey: leafKeys.publicKey,
      subject: { commonName: 'Bench Holder', organization: 'Sandi', email: 'bench.holder@example.go.id' },
      email: 'bench.holder@example.go.id',
      notBefore: now,
      notAfter: new Date(now.getTime() + 365 * 86_400_000),
    });
    const [holder] = (
      await c.query(
        `INSERT INTO cert_holders (nik_sealed, nik_index, nik_masked, full_name, email, position_title, org_unit_id)
         VALUES ('bench', repeat('0', 64), '3174********0001', 'Bench Holder', 'bench.holder@example.go.id', 'Bench', (SELECT id FROM org_units ORDER BY code LIMIT 1))
         RETURNING id`,
      )
    ).rows;
    await c.query(
      `INSERT INTO certificates (holder_id, adapter, serial, subject, email, key_algorithm, not_before, not_after, der, fingerprint, status)
       VALUES ($1, 'local', $2, $3, 'bench.holder@example.go.id', $4, $5, $6, $7, $8, 'active')`,
      [
        holder.id,
        leaf.serial,
        leaf.subject,
        alg,
        leaf.notBefore,
        leaf.notAfter,
        leaf.der,
        createHash('sha256').update(leaf.der).digest('hex'),
      ],
    );
    await c.query(
      `INSERT INTO certificates (holder_id, adapter, serial, subject, email, key_algorithm, not_before, not_after, der, fingerprint, status, revoked_at, revocation_reason)
       SELECT $1, 'local', r.serial, 'CN=holder', 'holder@example.go.id', $2, now(), now() + interval '1 year', decode('00', 'hex'),
              encode(sha256(convert_to(r.serial, 'UTF8')), 'hex'), 'revoked', r.revoked_at, r.reason
       FROM unnest($3::text[], $4::timestamptz[], $5::text[]) AS r(serial, revoked_at, reason)`,
      [holder.id, alg, revoked.map((r) => r.serial), revoked.map((r) => r.revokedAt), revoked.map((r) => r.reason)],
    );
    await c.query('ANALYZE certificates');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'root.pem'), pki.toPem(root.certificate));
    writeFileSync(join(dir, 'iss.pem'), pki.toPem(issuing.certificate));
    writeFileSync(join(dir, 'iss.key'), key.export({ type: 'pkcs8', format: 'pem' }));
    writeFileSync(join(dir, 'leaf.pem'), leaf.pem);
    return leaf;
  });
}

/** One `ab` run (HTTP/1.0, a new connection per request); its figures, and its own CPU time (bash `times`). */
function abRun(url, reqFile, seconds, connections, keepAlive = false) {
  let out;
  try {
    out = execFileSync(
      'bash',
      [
        '-c',
        `ab -q -r ${keepAlive ? '-k ' : ''}-s 10 -t "$1" -n 100000000 -c "$2" -p "$3" -T application/ocsp-request "$4" && times`,
        'ab',
        String(seconds),
        String(connections),
        reqFile,
        url,
      ],
      { encoding: 'utf8', maxBuffer: 1 << 24, stdio: ['ignore', 'pipe', 'pipe'] },
    );
  } catch (err) {
    throw new Error(`ab against ${url} failed: ${String(err.stderr ?? err.message).trim()}`);
  }
  const num = (re) => {
    const m = re.exec(out);
    return m ? Number(m[1]) : NaN;
  };
  const times = out
    .trim()
    .split('\n')
    .at(-1)
    .split(/\s+/)
    .map((t) => {
      const m = /^(\d+)m([\d.]+)s$/.exec(t);
      return m ? Number(m[1]) * 60 + Number(m[2]) : 0;
    });
  const rps = num(/Requests per second:\s+([\d.]+)/);
  if (!Number.isFinite(rps)) throw new Error(`could not read ab's output:\n${out}`);
  return {
    rps,
    total: num(/Complete requests:\s+(\d+)/),
    p50: num(/^\s+50%\s+(\d+)/m),
    p99: num(/^\s+99%\s+(\d+)/m),
    connectErrors: num(/Connect: (\d+)/) || 0,
    receiveErrors: num(/Receive: (\d+)/) || 0,
    exceptions: num(/Exceptions: (\d+)/) || 0,
    lengthDiffers: num(/Length: (\d+)/) || 0,
    non2xx: num(/Non-2xx responses:\s+(\d+)/) || 0,
    keptAlive: num(/Keep-Alive requests:\s+(\d+)/) || 0,
    clientCpu: times[0] + (times[1] ?? 0),
  };
}

/** Runs `load` and notes the server's and the machine's CPU. */
async function measured(pid, load) {
  const cpu0 = cpuSeconds(pid);
  const db0 = postgresCpuSeconds();
  const m0 = machineTicks();
  const r = await load();
  const cpu1 = cpuSeconds(pid);
  const db1 = postgresCpuSeconds();
  const m1 = machineTicks();
  r.serverCpuMs = cpu0 === null || cpu1 === null ? null : ((cpu1 - cpu0) * 1000) / Math.max(1, r.total);
  r.dbCpuMs = db0 === null || db1 === null ? null : ((db1 - db0) * 1000) / Math.max(1, r.total);
  r.machineBusy = m0 && m1 ? (m1.busy - m0.busy) / Math.max(1, m1.total - m0.total) : null;
  return r;
}

function startOpensslResponder(dir, port, multi) {
  // Its log (a line per request) goes to /dev/null, as our server's does: a pipe to this process
  // would cost this process (the load generator) CPU, and block openssl whenever ab blocks us.
  const child = spawn(
    'openssl',
    [
      'ocsp',
      '-index',
      join(dir, 'index.txt'),
      '-port',
      String(port),
      '-rsigner',
      join(dir, 'iss.pem'),
      '-rkey',
      join(dir, 'iss.key'),
      '-CA',
      join(dir, 'iss.pem'),
      '-nmin',
      '60',
      '-resp_no_certs',
      '-ignore_err',
      ...(multi ? ['-multi', String(multi)] : []),
    ],
    // Its own process group: with -multi, the workers must go with it (SIGTERM leaves them spinning).
    { stdio: 'ignore', detached: true },
  );
  // Readiness from a real OCSP exchange: a bare TCP probe wedges `openssl ocsp -port`.
  const ready = (async () => {
    for (let i = 0; i < 200; i++) {
      if (child.exitCode !== null) throw new Error(`openssl ocsp exited with ${child.exitCode}`);
      try {
        checkResponder(dir, `http://127.0.0.1:${port}/`);
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    throw new Error('openssl ocsp did not answer');
  })();
  return { child, ready };
}

/** `openssl ocsp` as a client: the responder at `url` must say "good" for the leaf, with a verified signature. */
function checkResponder(dir, url) {
  const out = execFileSync(
    'openssl',
    ['ocsp', '-issuer', join(dir, 'iss.pem'), '-cert', join(dir, 'leaf.pem'), '-url', url, '-CAfile', join(dir, 'root.pem')],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  if (!out.includes('leaf.pem: good')) throw new Error(`${url} did not answer "good":\n${out}`);
}

function haveTool(cmd, args) {
  try {
    execFileSync(cmd, args, { stdio: 'pipe' });
    return true;
  } catch (err) {
    return err.code !== 'ENOENT' && err.status !== 127;
  }
}

async function ocspBench({ alg, revoked, expiry, seconds, connections, dir }) {
  const warmup = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
  const multi = Number(process.env.BENCH_OPENSSL_MULTI ?? 0);
  const haveAb = haveTool('ab', ['-V']);
  await withClient(ADMIN_URL, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${BENCH_DB} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${BENCH_DB}`);
  });
  const dbUrl = withDb(ADMIN_URL, BENCH_DB);
  const server = await startApiServer(alg, dbUrl);
  const children = [];
  try {
    const leaf = await seedCertificates(dbUrl, alg, revoked, dir);
    writeOpensslIndex(join(dir, 'index.txt'), revoked, leaf.serial, expiry);
    writeFileSync(join(dir, 'index.txt.attr'), 'unique_subject = no\n');
    // The two kinds of request relying parties send: with a nonce (openssl's client by default; the
    // answer must be signed for it) and without (RFC 5019: browsers, CDNs, `openssl ocsp -no_nonce`).
    const kinds = [
      { name: 'with nonce', args: [] },
      { name: 'no nonce (RFC 5019)', args: ['-no_nonce'] },
    ].map((k, i) => {
      const reqFile = join(dir, `req-${i}.der`);
      execFileSync('openssl', ['ocsp', '-issuer', join(dir, 'iss.pem'), '-cert', join(dir, 'leaf.pem'), ...k.args, '-reqout', reqFile], {
        stdio: 'pipe',
      });
      return { ...k, reqFile, body: readFileSync(reqFile) };
    });
    const ours = `${server.url}/api/v1/pki/ocsp`;
    checkResponder(dir, ours);

    // A fresh `openssl ocsp` for every run: it serves one connection at a time and blocks on a
    // connection a load generator left open at the end of the previous run.
    const withOpenssl = async (multiProcesses, fn) => {
      const port = await freePort();
      const o = startOpensslResponder(dir, port, multiProcesses);
      children.push(o.child);
      try {
        await o.ready;
        return await fn(`http://127.0.0.1:${port}/`, o.child.pid);
      } finally {
        try {
          process.kill(-o.child.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
    };
    const reference = async (mode) => {
      const port = await freePort();
      const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--serve', dir, String(port), mode], {
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        env: { ...process.env },
      });
      children.push(child);
      await new Promise((resolve) => child.once('message', resolve));
      return { url: `http://127.0.0.1:${port}/`, pid: child.pid };
    };
    const bare = await reference('respond');
    checkResponder(dir, bare.url);
    const fixed = await reference('fixed');

    const pct = (x) => (x === null ? '   ?' : `${(x * 100).toFixed(0).padStart(3)}%`);
    const msText = (x) => (Number.isFinite(x) ? (x < 10 ? x.toFixed(2) : x.toFixed(0)) : '?').padStart(5);
    const row = (name, r, note = '') =>
      `  ${name.padEnd(46)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${msText(r.p50)} ms  p99 ${msText(r.p99)} ms  ` +
      `server CPU ${r.serverCpuMs === null ? '?' : r.serverCpuMs.toFixed(3)} ms/req${r.dbCpuMs >= 0.001 ? ` + PostgreSQL ${r.dbCpuMs.toFixed(3)}` : ''}, client CPU ${((r.clientCpu * 1000) / Math.max(1, r.total)).toFixed(3)} ms/req, machine busy ${pct(r.machineBusy)}${note}`;
    const verdict = (ours, theirs, ceiling) =>
      `  ratio Sandi / openssl: ${(ours.rps / theirs.rps).toFixed(2)}×   (target ≥ 2×: ${ours.rps >= 2 * theirs.rps ? 'met' : 'NOT met'}; ` +
      `2× openssl = ${(2 * theirs.rps).toFixed(0)} req/s, node:http doing no work answers ${ceiling.rps.toFixed(0)} req/s here)`;
    const summary = [];

    console.log(
      `\nOCSP (one CertID per request, status good; ${revoked.length + 1} certificates in openssl's index and in the server's table; ${seconds}s per run, ${connections} concurrent clients, ${cpus().length} CPUs; load average before: ${readLoad()})`,
    );
    console.log(
      `  product endpoint: POST ${ours} of the built API server (NODE_ENV=production, PostgreSQL ${new URL(dbUrl).host}, API_WORKERS=${API_WORKERS}, statuses kept under LISTEN/NOTIFY, CERT_OCSP_CACHE_SECONDS=${process.env.CERT_OCSP_CACHE_SECONDS ?? 'default'}), ${warmup}s unmeasured warm-up per run`,
    );
    console.log('  openssl ocsp -port signs every answer (with or without a nonce) and closes every connection (HTTP/1.0).');

    if (!haveAb) {
      console.log('\n  SKIPPED — ApacheBench `ab` is not installed (Debian/Ubuntu: apt-get install apache2-utils).');
    } else {
      const abRow = (name, r) =>
        row(
          name,
          r,
          `, ${r.non2xx} non-2xx, errors ${r.connectErrors + r.receiveErrors + r.exceptions}${r.keptAlive ? `, ${r.keptAlive} on kept-alive connections` : ''}`,
        );
      const modes = [
        {
          name: 'keep-alive',
          keepAlive: true,
          title: 'keep-alive (ab -k: HTTP/1.0 keep-alive; openssl closes every connection and ab reconnects)',
        },
        { name: 'one connection per request', keepAlive: false, title: 'one connection per request (ab, HTTP/1.0 without keep-alive)' },
      ];
      console.log(
        `  client: ApacheBench (C, one thread) for every server; ab's percentiles are whole ms; "length differs" failures are not counted as errors (DER signatures vary in length).`,
      );
      for (const mode of modes) {
        const load =
          (url, k, secs = seconds) =>
          async () =>
            abRun(url, k.reqFile, secs, connections, mode.keepAlive);
        for (const k of kinds) {
          console.log(`\n  ${mode.title}, ${k.name}:`);
          const o = await withOpenssl(0, (url, pid) => measured(pid, load(url, k)));
          console.log(abRow('openssl ocsp -index … -port', o));
          if (warmup > 0) await load(ours, k, warmup)();
          const us = await measured(server.child.pid, load(ours, k));
          console.log(abRow('Sandi POST /api/v1/pki/ocsp', us));
          if (k === kinds[0]) {
            const b = await measured(bare.pid, load(bare.url, k));
            console.log(abRow('(reference) respond() signing every answer', b));
            mode.fixed = await measured(fixed.pid, load(fixed.url, k));
            console.log(abRow('(reference) node:http, fixed answer, no work', mode.fixed));
            if (multi > 0) {
              const m = await withOpenssl(multi, (url, pid) => measured(pid, load(url, k)));
              console.log(abRow(`openssl ocsp … -multi ${multi} (server CPU: parent only)`, m));
              console.log(`  ratio Sandi / openssl -multi ${multi}: ${(us.rps / m.rps).toFixed(2)}×`);
            }
          }
          console.log(verdict(us, o, mode.fixed));
          summary.push({ mode: mode.name, kind: k.name, ours: us.rps, openssl: o.rps });
        }
      }
    }

    if (summary.length) {
      console.log('\n  OCSP summary (req/s):');
      for (const s of summary) {
        console.log(
          `    ${`${s.mode}, ${s.kind}`.padEnd(50)} Sandi ${s.ours.toFixed(0).padStart(6)}  openssl ${s.openssl.toFixed(0).padStart(6)}  ${(s.ours / s.openssl).toFixed(2)}×  ${s.ours >= 2 * s.openssl ? 'target met' : 'target NOT met'}`,
        );
      }
    }
    const body = kinds[0].body;

    // The responder alone in this process, one answer at a time, signing on the calling thread: the
    // CPU one answer costs (parse, look-up, encode, ECDSA sign), next to the signature by itself.
    const responder = pki.createOcspResponder({
      issuerCertificate: readFileSync(join(dir, 'iss.pem'), 'utf8'),
      signerKey: createPrivateKey(readFileSync(join(dir, 'iss.key'))),
      signOnLoop: true,
    });
    const good = { status: 'good' };
    const perAnswer = (fn) => {
      for (let i = 0; i < 500; i++) fn();
      const count = 5000;
      const t = process.hrtime.bigint();
      for (let i = 0; i < count; i++) fn();
      return Number(process.hrtime.bigint() - t) / 1e3 / count;
    };
    const us = perAnswer(() => responder.respondNow(body, () => good));
    const key = createPrivateKey(readFileSync(join(dir, 'iss.key')));
    const tbs = Buffer.alloc(200, 1);
    const signUs = perAnswer(() => sign('sha256', tbs, key));
    console.log(
      `\n  (reference) one answer with a nonce, alone in this process: ${us.toFixed(1)} µs of CPU (${Math.round(1e6 / us)} per second and core), of which the ${alg.startsWith('rsa') ? 'RSA' : 'ECDSA'} signature ${signUs.toFixed(1)} µs — the same OpenSSL call openssl's responder makes`,
    );
  } finally {
    for (const c of children) c.kill();
    server.child.kill('SIGTERM');
    await new Promise((r) => (server.child.exitCode !== null ? r() : server.child.once('exit', r)));
    rmSync(server.dataDir, { recursive: true, force: true });
    await withClient(ADMIN_URL, (c) => c.query(`DROP DATABASE IF EXISTS ${BENCH_DB} WITH (FORCE)`)).catch(() => {});
  }
}

function readLoad() {
  return existsSync('/proc/loadavg') ? readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ') : '?';
}

async function main() {
  const alg = process.env.BENCH_ALG ?? 'ecdsa-p256';
  const n = Number(process.env.BENCH_CRL_ENTRIES ?? 100_000);
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 8);
  const dir = mkdtempSync(join(tmpdir(), 'sandi-pki-bench-'));
  try {
    console.log(
      `PKI bench: ${alg}, ${n} CRL entries, OCSP ${seconds}s × ${connections} connections, openssl ${execFileSync('openssl', ['version']).toString().trim()}`,
    );
    const now = new Date();
    const rootKeys = await pki.generateKeyPair(alg);
    const root = await pki.createRootCa({ keys: rootKeys, subject: { commonName: 'Bench Root CA', organization: 'Sandi' } });
    const issKeys = await pki.generateKeyPair(alg);
    const iss = await pki.createIssuingCa({
      keys: issKeys,
      issuer: { certificate: root.der, privateKey: rootKeys.privateKey },
      subject: { commonName: 'Bench Issuing CA', organization: 'Sandi' },
    });
    const leafKeys = await pki.generateKeyPair(alg);
    const leaf = await pki.issueCertificate({
      issuer: { certificate: iss.der, privateKey: issKeys.privateKey },
      publicKey: leafKeys.publicKey,
      subject: { commonName: 'Bench Holder' },
      notBefore: now,
      notAfter: new Date(now.getTime() + 365 * 86_400_000),
    });
    writeFileSync(join(dir, 'root.pem'), root.pem);
    writeFileSync(join(dir, 'iss.pem'), iss.pem);
    writeFileSync(join(dir, 'iss.key'), issKeys.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    writeFileSync(join(dir, 'leaf.pem'), leaf.pem);

    const reasons = ['keyCompromise', 'superseded', 'cessationOfOperation', 'affiliationChanged'];
    const revoked = Array.from({ length: n }, (_, i) => ({
      serial: pki.randomSerial(),
      revokedAt: new Date(now.getTime() - Math.floor(Math.random() * 365 * 86_400_000)),
      reason: reasons[i % reasons.length],
    }));
    const expiry = indexTime(new Date(now.getTime() + 365 * 86_400_000));
    const writeIndex = (entries) => writeOpensslIndex(join(dir, 'index.txt'), entries, leaf.serial, expiry);
    writeFileSync(join(dir, 'index.txt.attr'), 'unique_subject = no\n');
    writeFileSync(
      join(dir, 'ca.cnf'),
      `[ ca ]\ndefault_ca = CA_default\n[ CA_default ]\ndir = ${dir}\ndatabase = $dir/index.txt\ncertificate = $dir/iss.pem\nprivate_key = $dir/iss.key\n` +
        `default_md = sha256\ndefault_crl_days = 1\ncrlnumber = $dir/crlnumber\ncrl_extensions = crl_ext\n[ crl_ext ]\nauthorityKeyIdentifier = keyid:always\n`,
    );
    const gencrl = () => {
      writeFileSync(join(dir, 'crlnumber'), '01\n');
      const t = process.hrtime.bigint();
      execFileSync('openssl', ['ca', '-gencrl', '-config', join(dir, 'ca.cnf'), '-out', join(dir, 'openssl.crl')], { stdio: 'pipe' });
      return Number(process.hrtime.bigint() - t) / 1e6;
    };

    if (process.env.BENCH_ONLY !== 'ocsp') {
      // --- Issuance: a holder key pair and its certificate, as the local CA does at the passphrase step + RA approval.
      const issueN = Number(process.env.BENCH_ISSUE_COUNT ?? (alg === 'ecdsa-p256' ? 200 : 40));
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < issueN; i++) {
        const k = await pki.generateKeyPair(alg);
        await pki.issueCertificate({
          issuer: { certificate: iss.der, privateKey: issKeys.privateKey },
          publicKey: k.publicKey,
          subject: { commonName: `Holder ${i}`, organization: 'Sandi', email: `h${i}@example.go.id` },
          email: `h${i}@example.go.id`,
          crlUrl: 'http://127.0.0.1/crl',
          ocspUrl: 'http://127.0.0.1/ocsp',
          notBefore: now,
          notAfter: new Date(now.getTime() + 365 * 86_400_000),
        });
      }
      const oursIssueMs = Number(process.hrtime.bigint() - t0) / 1e6;
      const newkey =
        alg === 'ecdsa-p256' ? ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'] : ['-newkey', `rsa:${alg.split('-')[1]}`];
      const opensslN = Math.max(10, Math.floor(issueN / 4));
      writeFileSync(
        join(dir, 'ext.cnf'),
        'keyUsage=critical,digitalSignature,nonRepudiation\nextendedKeyUsage=emailProtection,1.3.6.1.5.5.7.3.36\nsubjectAltName=email:h@example.go.id\n',
      );
      const t1 = process.hrtime.bigint();
      for (let i = 0; i < opensslN; i++) {
        execFileSync(
          'openssl',
          [
            'req',
            '-new',
            ...newkey,
            '-nodes',
            '-keyout',
            join(dir, 'h.key'),
            '-subj',
            `/CN=Holder ${i}/O=Sandi`,
            '-out',
            join(dir, 'h.csr'),
          ],
          { stdio: 'pipe' },
        );
        execFileSync(
          'openssl',
          [
            'x509',
            '-req',
            '-in',
            join(dir, 'h.csr'),
            '-CA',
            join(dir, 'iss.pem'),
            '-CAkey',
            join(dir, 'iss.key'),
            '-set_serial',
            String(1000 + i),
            '-days',
            '365',
            '-sha256',
            '-extfile',
            join(dir, 'ext.cnf'),
            '-out',
            join(dir, 'h.pem'),
          ],
          { stdio: 'pipe' },
        );
      }
      const opensslIssueMs = Number(process.hrtime.bigint() - t1) / 1e6;
      console.log(`\nIssuance (${alg}: key pair + certificate)`);
      console.log(
        `  openssl req -newkey + x509 -req (two commands per certificate) ${(opensslN / (opensslIssueMs / 1000)).toFixed(0).padStart(7)} certificates/s   (${opensslN} in ${opensslIssueMs.toFixed(0)} ms)`,
      );
      console.log(
        `  generateKeyPair + issueCertificate (in process)                ${(issueN / (oursIssueMs / 1000)).toFixed(0).padStart(7)} certificates/s   (${issueN} in ${oursIssueMs.toFixed(0)} ms)`,
      );

      // --- CRL
      writeIndex(revoked.slice(0, 1));
      const opensslFixed = median([gencrl(), gencrl(), gencrl()]);
      writeIndex(revoked);
      const opensslFull = median([gencrl(), gencrl(), gencrl()]);
      const issuer = { certificate: iss.der, privateKey: issKeys.privateKey };
      const build = () =>
        pki.buildCrl({ issuer, thisUpdate: now, nextUpdate: new Date(now.getTime() + 86_400_000), crlNumber: 1n, revoked });
      await build();
      const ours = [];
      let crl;
      for (let i = 0; i < 5; i++) {
        const t = process.hrtime.bigint();
        crl = await build();
        ours.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
      writeFileSync(join(dir, 'ours.crl'), crl);
      execFileSync('openssl', ['crl', '-inform', 'DER', '-in', join(dir, 'ours.crl'), '-CAfile', join(dir, 'iss.pem'), '-noout'], {
        stdio: 'pipe',
      });
      const opensslSize = execFileSync('openssl', ['crl', '-in', join(dir, 'openssl.crl'), '-outform', 'DER'], {
        maxBuffer: 1 << 28,
      }).length;
      console.log(`\nCRL with ${n} entries`);
      console.log(
        `  openssl ca -gencrl (whole command)   ${opensslFull.toFixed(0).padStart(7)} ms   (${opensslSize} bytes; same command with 1 entry: ${opensslFixed.toFixed(0)} ms)`,
      );
      console.log(
        `  buildCrl (in process)               ${median(ours).toFixed(0).padStart(7)} ms   (${crl.length} bytes; runs: ${ours.map((x) => x.toFixed(0)).join(', ')} ms; verified by openssl crl)`,
      );
    }

    // --- OCSP
    await ocspBench({ alg, revoked, expiry, seconds, connections, dir: join(dir, 'ocsp') });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--serve') {
  await serve(process.argv[3], Number(process.argv[4]), process.argv[5]);
} else {
  await main();
}
