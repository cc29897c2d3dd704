/**
 * Test-only helpers for the PKI specs (not exported from index.ts): a root + issuing CA per key
 * algorithm and end-entity certificates from it.
 */
import type { KeyObject } from 'node:crypto';
import { type CertificateIssuer, type IssueCertificateOptions, createIssuingCa, createRootCa, issueCertificate } from './ca.util.js';
import type { CertificateInfo } from './certificate.util.js';
import { type KeyAlgorithm, type KeyPair, generateKeyPair } from './key.util.js';

export interface TestCa {
  algorithm: KeyAlgorithm;
  root: CertificateInfo;
  rootKeys: KeyPair;
  issuing: CertificateInfo;
  issuingKeys: KeyPair;
  /** The issuing CA as a signer. */
  issuer: CertificateIssuer;
}

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export async function makeTestCa(algorithm: KeyAlgorithm = 'ecdsa-p256', org = 'Pemerintah Daerah Uji'): Promise<TestCa> {
  const rootKeys = await generateKeyPair(algorithm);
  const now = Date.now();
  const root = await createRootCa({
    keys: rootKeys,
    subject: { commonName: `${org} Root CA`, organization: org, country: 'ID' },
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 20 * 365 * DAY),
  });
  const issuingKeys = await generateKeyPair(algorithm);
  const issuing = await createIssuingCa({
    keys: issuingKeys,
    issuer: { certificate: root.der, privateKey: rootKeys.privateKey },
    subject: { commonName: `${org} Issuing CA`, organization: org, country: 'ID' },
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 10 * 365 * DAY),
    caIssuersUrl: 'http://pki.example.go.id/ca/root.crt',
  });
  return { algorithm, root, rootKeys, issuing, issuingKeys, issuer: { certificate: issuing.der, privateKey: issuingKeys.privateKey } };
}

export interface TestLeaf {
  cert: CertificateInfo;
  keys: KeyPair;
}

export async function makeLeaf(ca: TestCa, overrides: Partial<IssueCertificateOptions> & { keys?: KeyPair } = {}): Promise<TestLeaf> {
  const keys = overrides.keys ?? (await generateKeyPair(ca.algorithm));
  const now = Date.now();
  const cert = await issueCertificate({
    issuer: ca.issuer,
    publicKey: keys.publicKey as KeyObject,
    subject: {
      commonName: 'Siti Rahmawati',
      email: 'siti@dinkes.example.go.id',
      organization: 'Pemerintah Daerah Uji',
      organizationalUnit: 'Dinas Kesehatan',
      title: 'Kepala Seksi',
      country: 'ID',
    },
    email: 'siti@dinkes.example.go.id',
    notBefore: new Date(now - HOUR),
    notAfter: new Date(now + 365 * DAY),
    crlUrl: 'http://pki.example.go.id/crl',
    ocspUrl: 'http://pki.example.go.id/ocsp',
    caIssuersUrl: 'http://pki.example.go.id/ca/issuing.crt',
    ...overrides,
  });
  return { cert, keys };
}

/** Calls `fn` and returns the PkiError code it throws (or 'no error'). */
export async function errorCode(fn: () => unknown): Promise<string> {
  try {
    await fn();
    return 'no error';
  } catch (err) {
    return (err as { code?: string }).code ?? `non-coded ${String(err)}`;
  }
}
