import { execFileSync } from 'node:child_process';
import { createPrivateKey, randomBytes, X509Certificate, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A throwaway PKI made with the openssl CLI: root CA -> issuing CA -> signer certificates. */
export interface TestPki {
  dir: string;
  rootPem: string;
  root: Uint8Array;
  ca: Uint8Array;
  ecLeaf: TestSigner;
  rsaLeaf: TestSigner;
  rsa3072Leaf: TestSigner;
  cleanup(): void;
}

export interface TestSigner {
  commonName: string;
  key: KeyObject;
  keyPath: string;
  certPath: string;
  certificate: Uint8Array;
}

const EXTENSIONS = `
[root]
basicConstraints=critical,CA:TRUE
keyUsage=critical,keyCertSign,cRLSign
subjectKeyIdentifier=hash
[ca]
basicConstraints=critical,CA:TRUE,pathlen:0
keyUsage=critical,keyCertSign,cRLSign
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid:always
[leaf]
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,nonRepudiation
extendedKeyUsage=emailProtection
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid:always
`;

export const openssl = (args: string[], opts: { cwd?: string; input?: Uint8Array } = {}): Buffer =>
  execFileSync('openssl', args, { cwd: opts.cwd, input: opts.input, stdio: ['pipe', 'pipe', 'pipe'] });

export function createTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'sandi-pdf-pki-'));
  const path = (f: string) => join(dir, f);
  writeFileSync(path('ext.cnf'), EXTENSIONS);
  writeFileSync(path('req.cnf'), '[req]\ndistinguished_name=dn\nprompt=no\n[dn]\n');
  const serial = () => `0x${randomBytes(8).toString('hex')}`;

  const key = (name: string, algorithm: 'ec' | 'rsa2048' | 'rsa3072') => {
    const args =
      algorithm === 'ec'
        ? ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256']
        : ['-algorithm', 'RSA', '-pkeyopt', `rsa_keygen_bits:${algorithm === 'rsa2048' ? 2048 : 3072}`];
    openssl(['genpkey', ...args, '-out', path(`${name}.key`)]);
  };
  const csr = (name: string, subject: string) =>
    openssl([
      'req',
      '-new',
      '-config',
      path('req.cnf'),
      '-key',
      path(`${name}.key`),
      '-subj',
      subject,
      '-utf8',
      '-out',
      path(`${name}.csr`),
    ]);
  const issue = (name: string, issuer: string | null, section: string) =>
    openssl([
      'x509',
      '-req',
      '-in',
      path(`${name}.csr`),
      '-days',
      '365',
      '-set_serial',
      serial(),
      '-sha256',
      '-extfile',
      path('ext.cnf'),
      '-extensions',
      section,
      ...(issuer ? ['-CA', path(`${issuer}.pem`), '-CAkey', path(`${issuer}.key`)] : ['-signkey', path(`${name}.key`)]),
      '-out',
      path(`${name}.pem`),
    ]);
  const der = (name: string) => new Uint8Array(new X509Certificate(readFileSync(path(`${name}.pem`))).raw);

  key('root', 'ec');
  csr('root', '/C=ID/O=Sandi Uji/CN=Sandi Uji Root CA');
  issue('root', null, 'root');
  key('ca', 'ec');
  csr('ca', '/C=ID/O=Sandi Uji/CN=Sandi Uji Issuing CA');
  issue('ca', 'root', 'ca');

  const leaf = (name: string, algorithm: 'ec' | 'rsa2048' | 'rsa3072', commonName: string): TestSigner => {
    key(name, algorithm);
    csr(name, `/C=ID/O=Pemerintah Kota Contoh/OU=Dinas Komunikasi dan Informatika/CN=${commonName}/emailAddress=${name}@example.go.id`);
    issue(name, 'ca', 'leaf');
    return {
      commonName,
      key: createPrivateKey(readFileSync(path(`${name}.key`))),
      keyPath: path(`${name}.key`),
      certPath: path(`${name}.pem`),
      certificate: der(name),
    };
  };

  return {
    dir,
    rootPem: path('root.pem'),
    root: der('root'),
    ca: der('ca'),
    ecLeaf: leaf('ec-leaf', 'ec', 'Budi Santoso'),
    rsaLeaf: leaf('rsa-leaf', 'rsa2048', 'Siti Rahayu'),
    rsa3072Leaf: leaf('rsa3072-leaf', 'rsa3072', 'Made Wirawan'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
