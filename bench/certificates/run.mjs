// Benchmark of the certificate service's PKI core: issuance, the CRL builder and the OCSP responder, printed beside OpenSSL doing the same
// job on the same machine in the same run. Not part of `npm test`.
//   npm run bench:certificates   (= npm run build:server, then this script for ECDSA P-256 and RSA-2048)
//   PKI_MODULE=/path/to/compiled/pki/index.js node bench/certificates/run.mjs   (any compiled copy of libs/certificates/src/pki)
// Tuning: BENCH_ALG (ecdsa-p256 | rsa-2048), BENCH_CRL_ENTRIES (100000), BENCH_SECONDS (10), BENCH_CONNECTIONS (8).
//
// CRL: `openssl ca -gencrl` over an index.txt with the same revoked entries (wall time of the whole
// command, median of 3; its fixed cost is shown with a one-entry index) against `buildCrl` in-process
// (median of 5 after a warm-up). OCSP: autocannon POSTs one OpenSSL-made request (with nonce) to
// `openssl ocsp -port` (same index, same CA key) and to a node:http server around `respond()` in a
// child process, each for BENCH_SECONDS.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPrivateKey } from 'node:crypto';
import { fileURLToPath, pathToFileURL } from 'node:url';

const MODULE = process.env.PKI_MODULE ?? fileURLToPath(new URL('../../dist/libs/certificates/src/pki/index.js', import.meta.url));
const pki = await import(pathToFileURL(MODULE).href);

if (process.argv[2] === '--serve') {
  await serve(process.argv[3], Number(process.argv[4]));
} else {
  await main();
}

/** Child process: our responder behind node:http, statuses from index.txt in a Map. */
async function serve(dir, port) {
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

async function main() {
  const { default: autocannon } = await import('autocannon');
  const alg = process.env.BENCH_ALG ?? 'ecdsa-p256';
  const n = Number(process.env.BENCH_CRL_ENTRIES ?? 100_000);
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 8);
  const dir = mkdtempSync(join(tmpdir(), 'sandi-pki-bench-'));
  try {
    console.log(`PKI bench: ${alg}, ${n} CRL entries, OCSP ${seconds}s × ${connections} connections, openssl ${execFileSync('openssl', ['version']).toString().trim()}`);
    const now = new Date();
    const rootKeys = await pki.generateKeyPair(alg);
    const root = await pki.createRootCa({ keys: rootKeys, subject: { commonName: 'Bench Root CA', organization: 'Sandi' } });
    const issKeys = await pki.generateKeyPair(alg);
    const iss = await pki.createIssuingCa({ keys: issKeys, issuer: { certificate: root.der, privateKey: rootKeys.privateKey }, subject: { commonName: 'Bench Issuing CA', organization: 'Sandi' } });
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
    const line = (r, i) => `R\t${expiry}\t${indexTime(r.revokedAt)},${r.reason}\t${r.serial.toUpperCase()}\tunknown\t/CN=holder ${i}`;
    const writeIndex = (entries) =>
      writeFileSync(join(dir, 'index.txt'), [...entries.map(line), `V\t${expiry}\t\t${leaf.serial.toUpperCase()}\tunknown\t/CN=Bench Holder`].join('\n') + '\n');
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
    const newkey = alg === 'ecdsa-p256' ? ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'] : ['-newkey', `rsa:${alg.split('-')[1]}`];
    const opensslN = Math.max(10, Math.floor(issueN / 4));
    writeFileSync(join(dir, 'ext.cnf'), 'keyUsage=critical,digitalSignature,nonRepudiation\nextendedKeyUsage=emailProtection,1.3.6.1.5.5.7.3.36\nsubjectAltName=email:h@example.go.id\n');
    const t1 = process.hrtime.bigint();
    for (let i = 0; i < opensslN; i++) {
      execFileSync('openssl', ['req', '-new', ...newkey, '-nodes', '-keyout', join(dir, 'h.key'), '-subj', `/CN=Holder ${i}/O=Sandi`, '-out', join(dir, 'h.csr')], { stdio: 'pipe' });
      execFileSync('openssl', ['x509', '-req', '-in', join(dir, 'h.csr'), '-CA', join(dir, 'iss.pem'), '-CAkey', join(dir, 'iss.key'), '-set_serial', String(1000 + i), '-days', '365', '-sha256', '-extfile', join(dir, 'ext.cnf'), '-out', join(dir, 'h.pem')], { stdio: 'pipe' });
    }
    const opensslIssueMs = Number(process.hrtime.bigint() - t1) / 1e6;
    console.log(`\nIssuance (${alg}: key pair + certificate)`);
    console.log(`  openssl req -newkey + x509 -req (two commands per certificate) ${(opensslN / (opensslIssueMs / 1000)).toFixed(0).padStart(7)} certificates/s   (${opensslN} in ${opensslIssueMs.toFixed(0)} ms)`);
    console.log(`  generateKeyPair + issueCertificate (in process)                ${(issueN / (oursIssueMs / 1000)).toFixed(0).padStart(7)} certificates/s   (${issueN} in ${oursIssueMs.toFixed(0)} ms)`);

    // --- CRL
    writeIndex(revoked.slice(0, 1));
    const opensslFixed = median([gencrl(), gencrl(), gencrl()]);
    writeIndex(revoked);
    const opensslFull = median([gencrl(), gencrl(), gencrl()]);
    const issuer = { certificate: iss.der, privateKey: issKeys.privateKey };
    const build = () => pki.buildCrl({ issuer, thisUpdate: now, nextUpdate: new Date(now.getTime() + 86_400_000), crlNumber: 1n, revoked });
    await build();
    const ours = [];
    let crl;
    for (let i = 0; i < 5; i++) {
      const t = process.hrtime.bigint();
      crl = await build();
      ours.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    writeFileSync(join(dir, 'ours.crl'), crl);
    execFileSync('openssl', ['crl', '-inform', 'DER', '-in', join(dir, 'ours.crl'), '-CAfile', join(dir, 'iss.pem'), '-noout'], { stdio: 'pipe' });
    const opensslSize = execFileSync('openssl', ['crl', '-in', join(dir, 'openssl.crl'), '-outform', 'DER'], { maxBuffer: 1 << 28 }).length;
    console.log(`\nCRL with ${n} entries`);
    console.log(`  openssl ca -gencrl (whole command)   ${opensslFull.toFixed(0).padStart(7)} ms   (${opensslSize} bytes; same command with 1 entry: ${opensslFixed.toFixed(0)} ms)`);
    console.log(`  buildCrl (in process)               ${median(ours).toFixed(0).padStart(7)} ms   (${crl.length} bytes; runs: ${ours.map((x) => x.toFixed(0)).join(', ')} ms; verified by openssl crl)`);

    // --- OCSP
    execFileSync('openssl', ['ocsp', '-issuer', join(dir, 'iss.pem'), '-cert', join(dir, 'leaf.pem'), '-reqout', join(dir, 'req.der')], { stdio: 'pipe' });
    const body = readFileSync(join(dir, 'req.der'));
    // Readiness comes from the servers themselves: a bare TCP probe wedges `openssl ocsp -port`.
    const run = async (name, port, ready, extraHeaders = {}) => {
      await ready;
      const r = await autocannon({
        url: `http://127.0.0.1:${port}/`,
        method: 'POST',
        headers: { 'content-type': 'application/ocsp-request', ...extraHeaders },
        body,
        connections,
        duration: seconds,
      });
      console.log(
        `  ${name.padEnd(36)} ${r.requests.average.toFixed(0).padStart(7)} req/s   p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, ${r['2xx']} ok, ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`,
      );
      return r.requests.average;
    };
    console.log(`\nOCSP (index of ${n + 1} certificates, one CertID + nonce per request)`);
    const p1 = await freePort();
    const openssl = spawn(
      'openssl',
      ['ocsp', '-index', join(dir, 'index.txt'), '-port', String(p1), '-rsigner', join(dir, 'iss.pem'), '-rkey', join(dir, 'iss.key'), '-CA', join(dir, 'iss.pem'), '-nmin', '60', '-resp_no_certs', '-ignore_err'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const opensslReady = new Promise((resolve, reject) => {
      let seen = '';
      const onData = (c) => {
        seen += c.toString();
        if (seen.includes('waiting for OCSP client connections')) resolve();
      };
      openssl.stdout.on('data', onData);
      openssl.stderr.on('data', onData);
      openssl.on('exit', (code) => reject(new Error(`openssl ocsp exited with ${code}: ${seen}`)));
    });
    let a;
    try {
      a = await run('openssl ocsp -port', p1, opensslReady);
    } finally {
      openssl.kill();
    }
    const p2 = await freePort();
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--serve', dir, String(p2)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: { ...process.env } });
    const ourReady = new Promise((resolve) => child.once('message', resolve));
    let b;
    let c;
    try {
      b = await run('respond() behind node:http', p2, ourReady);
      c = await run('  the same, Connection: close', p2, ourReady, { connection: 'close' });
    } finally {
      child.kill();
    }
    console.log(`  ratio: ${(b / a).toFixed(1)}× with keep-alive (openssl answers HTTP/1.0 and closes), ${(c / a).toFixed(1)}× one connection per request`);

    // The responder alone, sequentially in this process: parse, lookup, encode, sign.
    const responder = pki.createOcspResponder({ issuerCertificate: iss.der, signerKey: issKeys.privateKey });
    const good = { status: 'good' };
    for (let i = 0; i < 500; i++) await responder.respond(body, () => good);
    const count = 5000;
    const t = process.hrtime.bigint();
    for (let i = 0; i < count; i++) await responder.respond(body, () => good);
    const us = Number(process.hrtime.bigint() - t) / 1e3 / count;
    console.log(`  respond() alone, one core: ${us.toFixed(0)} µs per response (${Math.round(1e6 / us)} per second)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
