import { type KeyObject, createPublicKey, randomBytes } from 'node:crypto';
import { bitString, explicit, integer, sequence, truncateToSecond, unsignedInteger, x509Time } from './der.util.js';
import { type CertificateInfo, type CertificateInput, parseCertificate, parseCertificateDer, rawOf } from './certificate.util.js';
import { type CertificateProfile, type PolicyInput, profileExtensions } from './certificate-profile.js';
import { assertAcceptableKey, keyIdentifier, signatureAlgorithmFor, signWithAsync, spkiOf } from './key.util.js';
import { type DistinguishedName, checkEmail, encodeName } from './name.util.js';
import { PkiError, PkiErrorCode } from './pki.exception.js';

/** A CA that signs: its certificate and its private key. */
export interface CertificateIssuer {
  certificate: CertificateInput | CertificateInfo;
  privateKey: KeyObject;
}

/** What issuance returns: the parsed certificate (der, pem, serial, subject, notBefore, notAfter, fingerprint …). */
export type IssuedCertificate = CertificateInfo;

/** A serial can be given as hex (any case, colons allowed) or as a bigint. */
export type SerialInput = string | bigint;

const YEAR = 365.25 * 86_400_000;

/**
 * A fresh serial: 16 random bytes with the top bit cleared (positive) and the next one set, so it
 * always encodes in exactly 16 bytes and prints as 32 hex digits — 126 bits of randomness, above
 * the 64 that CA/Browser Forum rules ask for.
 */
export function randomSerial(): string {
  const b = randomBytes(16);
  b[0] = (b[0]! & 0x3f) | 0x40;
  return b.toString('hex');
}

/** Serial as the canonical lowercase hex (no leading zeros) and its unsigned magnitude bytes. */
export function normalizeSerial(serial: SerialInput): { hex: string; bytes: Buffer } {
  let v: bigint;
  if (typeof serial === 'bigint') {
    v = serial;
  } else if (typeof serial === 'string' && /^(?:[0-9a-fA-F]{1,2}:)*[0-9a-fA-F]+$/.test(serial)) {
    v = BigInt(`0x${serial.replace(/:/g, '')}`);
  } else {
    throw new PkiError(PkiErrorCode.InvalidArgument, `serial must be hex or a bigint, got ${JSON.stringify(String(serial))}`);
  }
  if (v <= 0n) throw new PkiError(PkiErrorCode.InvalidArgument, 'serial must be positive');
  const hex = v.toString(16);
  if (hex.length > 40) throw new PkiError(PkiErrorCode.InvalidArgument, 'serial must fit in 20 octets');
  return { hex, bytes: Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex') };
}

interface ResolvedIssuer {
  info: CertificateInfo;
  name: Buffer;
  keyId: Buffer;
  privateKey: KeyObject;
}

function resolveIssuer(issuer: CertificateIssuer): ResolvedIssuer {
  const info = parseCertificate(issuer.certificate);
  const raw = rawOf(info);
  if (!info.isCA || (raw.keyUsagePresent && !info.keyUsage.includes('keyCertSign'))) {
    throw new PkiError(PkiErrorCode.NotACa, `issuer ${info.subject} is not a CA certificate`);
  }
  assertKeyPair(issuer.privateKey, info.publicKey, `issuer ${info.subject}`);
  const keyId = info.subjectKeyIdentifier ? Buffer.from(info.subjectKeyIdentifier, 'hex') : keyIdentifier(raw.spki);
  return { info, name: raw.subjectName, keyId, privateKey: issuer.privateKey };
}

function assertKeyPair(privateKey: KeyObject, publicKey: KeyObject | null, what: string): void {
  if (privateKey?.type !== 'private') throw new PkiError(PkiErrorCode.InvalidArgument, `${what}: a private KeyObject is needed`);
  if (!publicKey || !createPublicKey(privateKey).equals(publicKey)) {
    throw new PkiError(PkiErrorCode.KeyMismatch, `${what}: the private key does not match the public key`);
  }
}

function checkValidity(notBefore: Date, notAfter: Date, issuer?: CertificateInfo): { notBefore: Date; notAfter: Date } {
  if (
    !(notBefore instanceof Date) ||
    !(notAfter instanceof Date) ||
    Number.isNaN(notBefore.getTime()) ||
    Number.isNaN(notAfter.getTime())
  ) {
    throw new PkiError(PkiErrorCode.InvalidValidity, 'notBefore and notAfter must be valid dates');
  }
  const nb = truncateToSecond(notBefore);
  const na = truncateToSecond(notAfter);
  if (nb.getTime() >= na.getTime()) throw new PkiError(PkiErrorCode.InvalidValidity, 'notBefore must be before notAfter');
  if (issuer && na.getTime() > issuer.notAfter.getTime()) {
    throw new PkiError(
      PkiErrorCode.InvalidValidity,
      `notAfter ${na.toISOString()} is after the issuer's notAfter ${issuer.notAfter.toISOString()}`,
    );
  }
  return { notBefore: nb, notAfter: na };
}

interface BuildInput {
  profile: CertificateProfile;
  issuerName: Buffer;
  authorityKeyId: Buffer;
  signerKey: KeyObject;
  subject: DistinguishedName;
  subjectKey: KeyObject;
  serial?: SerialInput;
  notBefore: Date;
  notAfter: Date;
  pathLength?: number;
  email?: string;
  crlUrl?: string;
  ocspUrl?: string;
  caIssuersUrl?: string;
  policies?: readonly PolicyInput[];
  extendedKeyUsage?: readonly string[];
}

/** Assembles, signs and re-parses (so the caller gets exactly what a relying party will read). */
async function build(input: BuildInput): Promise<CertificateInfo> {
  const alg = signatureAlgorithmFor(input.signerKey);
  const spki = spkiOf(input.subjectKey);
  const subjectName = input.profile === 'root-ca' ? input.issuerName : encodeName(input.subject);
  if (input.email !== undefined) checkEmail(input.email);
  const extensions = profileExtensions(input.profile, {
    subjectKeyIdentifier: keyIdentifier(spki),
    authorityKeyIdentifier: input.authorityKeyId,
    ...(input.pathLength !== undefined ? { pathLength: input.pathLength } : {}),
    ...(input.email !== undefined ? { email: input.email } : {}),
    ...(input.crlUrl !== undefined ? { crlUrl: input.crlUrl } : {}),
    ...(input.ocspUrl !== undefined ? { ocspUrl: input.ocspUrl } : {}),
    ...(input.caIssuersUrl !== undefined ? { caIssuersUrl: input.caIssuersUrl } : {}),
    ...(input.policies !== undefined ? { policies: input.policies } : {}),
    ...(input.extendedKeyUsage !== undefined ? { extendedKeyUsage: input.extendedKeyUsage } : {}),
  });
  const serial = normalizeSerial(input.serial ?? randomSerial());
  const tbs = sequence(
    explicit(0, integer(2)),
    unsignedInteger(serial.bytes),
    alg.algorithmIdentifier,
    input.issuerName,
    sequence(x509Time(input.notBefore), x509Time(input.notAfter)),
    subjectName,
    spki,
    explicit(3, extensions),
  );
  const signature = await signWithAsync(input.signerKey, alg, tbs);
  return parseCertificateDer(sequence(tbs, alg.algorithmIdentifier, bitString(signature)));
}

export interface CreateRootCaOptions {
  /** The root's own key pair (the private key self-signs). */
  keys: { publicKey: KeyObject; privateKey: KeyObject };
  subject: DistinguishedName;
  /** Default: now. */
  notBefore?: Date;
  /** Default: notBefore + 20 years. */
  notAfter?: Date;
  serial?: SerialInput;
  /** Omitted by default (no limit below the root). */
  pathLength?: number;
  policies?: readonly PolicyInput[];
}

/** A self-signed root CA: basicConstraints CA (critical), keyUsage keyCertSign + cRLSign (critical), SKI = AKI. */
export async function createRootCa(options: CreateRootCaOptions): Promise<IssuedCertificate> {
  const { keys } = options;
  assertKeyPair(keys?.privateKey, keys?.publicKey ?? null, 'root CA');
  const nb = options.notBefore ?? new Date();
  const validity = checkValidity(nb, options.notAfter ?? new Date(nb.getTime() + 20 * YEAR));
  const name = encodeName(options.subject);
  return build({
    profile: 'root-ca',
    issuerName: name,
    authorityKeyId: keyIdentifier(spkiOf(keys.publicKey)),
    signerKey: keys.privateKey,
    subject: options.subject,
    subjectKey: keys.publicKey,
    ...validity,
    ...(options.serial !== undefined ? { serial: options.serial } : {}),
    ...(options.pathLength !== undefined ? { pathLength: options.pathLength } : {}),
    ...(options.policies !== undefined ? { policies: options.policies } : {}),
  });
}

export interface CreateIssuingCaOptions {
  /** The issuing CA's key pair (only the public key is certified). */
  keys: { publicKey: KeyObject };
  /** The root that signs. */
  issuer: CertificateIssuer;
  subject: DistinguishedName;
  /** Default: now. */
  notBefore?: Date;
  /** Default: notBefore + 10 years (must not outlive the root). */
  notAfter?: Date;
  serial?: SerialInput;
  /** Default 0: this CA issues end-entity certificates only. */
  pathLength?: number;
  /** The root's CRL, if it publishes one. */
  crlUrl?: string;
  /** The root's OCSP responder, if any. */
  ocspUrl?: string;
  /** Where the root certificate can be downloaded. */
  caIssuersUrl?: string;
  policies?: readonly PolicyInput[];
}

/** An intermediate (issuing) CA signed by `issuer`: CA with pathLen 0, digitalSignature (for OCSP) + keyCertSign + cRLSign. */
export async function createIssuingCa(options: CreateIssuingCaOptions): Promise<IssuedCertificate> {
  const issuer = resolveIssuer(options.issuer);
  const nb = options.notBefore ?? new Date();
  const validity = checkValidity(nb, options.notAfter ?? new Date(nb.getTime() + 10 * YEAR), issuer.info);
  return build({
    profile: 'issuing-ca',
    issuerName: issuer.name,
    authorityKeyId: issuer.keyId,
    signerKey: issuer.privateKey,
    subject: options.subject,
    subjectKey: publicKeyOf(options.keys),
    ...validity,
    pathLength: options.pathLength ?? 0,
    ...(options.serial !== undefined ? { serial: options.serial } : {}),
    ...(options.crlUrl !== undefined ? { crlUrl: options.crlUrl } : {}),
    ...(options.ocspUrl !== undefined ? { ocspUrl: options.ocspUrl } : {}),
    ...(options.caIssuersUrl !== undefined ? { caIssuersUrl: options.caIssuersUrl } : {}),
    ...(options.policies !== undefined ? { policies: options.policies } : {}),
  });
}

function publicKeyOf(keys: { publicKey: KeyObject } | undefined): KeyObject {
  const k = keys?.publicKey;
  if (!k || (k.type !== 'public' && k.type !== 'private')) throw new PkiError(PkiErrorCode.InvalidArgument, 'a public KeyObject is needed');
  return k.type === 'private' ? createPublicKey(k) : k;
}

export interface IssueCertificateOptions {
  issuer: CertificateIssuer;
  /** The holder's public key (EC P-256 or RSA ≥ 2048). */
  publicKey: KeyObject;
  subject: DistinguishedName;
  /** rfc822Name subjectAltName (the address S/MIME and PDF readers show). */
  email?: string;
  notBefore: Date;
  notAfter: Date;
  /** Default: a fresh `randomSerial()`. */
  serial?: SerialInput;
  crlUrl?: string;
  ocspUrl?: string;
  caIssuersUrl?: string;
  policies?: readonly PolicyInput[];
  /** Default: emailProtection + documentSigning (see certificate-profile.ts). */
  extendedKeyUsage?: readonly string[];
}

/**
 * An end-entity signing certificate: keyUsage digitalSignature + nonRepudiation (critical), EKU
 * emailProtection + id-kp-documentSigning, e-mail SAN, CRL distribution point, AIA (OCSP + CA issuers),
 * SKI/AKI, optional certificate policies. Times are truncated to the second.
 */
export async function issueCertificate(options: IssueCertificateOptions): Promise<IssuedCertificate> {
  const issuer = resolveIssuer(options.issuer);
  const subjectKey = publicKeyOf({ publicKey: options.publicKey });
  assertAcceptableKey(subjectKey);
  const validity = checkValidity(options.notBefore, options.notAfter, issuer.info);
  return build({
    profile: 'end-entity',
    issuerName: issuer.name,
    authorityKeyId: issuer.keyId,
    signerKey: issuer.privateKey,
    subject: options.subject,
    subjectKey,
    ...validity,
    ...(options.serial !== undefined ? { serial: options.serial } : {}),
    ...(options.email !== undefined ? { email: options.email } : {}),
    ...(options.crlUrl !== undefined ? { crlUrl: options.crlUrl } : {}),
    ...(options.ocspUrl !== undefined ? { ocspUrl: options.ocspUrl } : {}),
    ...(options.caIssuersUrl !== undefined ? { caIssuersUrl: options.caIssuersUrl } : {}),
    ...(options.policies !== undefined ? { policies: options.policies } : {}),
    ...(options.extendedKeyUsage !== undefined ? { extendedKeyUsage: options.extendedKeyUsage } : {}),
  });
}

export interface IssueOcspSignerOptions {
  issuer: CertificateIssuer;
  publicKey: KeyObject;
  subject: DistinguishedName;
  notBefore: Date;
  /** Keep it short (days to weeks): with id-pkix-ocsp-nocheck nobody checks its revocation. */
  notAfter: Date;
  serial?: SerialInput;
}

/** A delegated OCSP responder certificate: EKU OCSPSigning, id-pkix-ocsp-nocheck, keyUsage digitalSignature. */
export async function issueOcspSignerCertificate(options: IssueOcspSignerOptions): Promise<IssuedCertificate> {
  const issuer = resolveIssuer(options.issuer);
  const subjectKey = publicKeyOf({ publicKey: options.publicKey });
  assertAcceptableKey(subjectKey);
  const validity = checkValidity(options.notBefore, options.notAfter, issuer.info);
  return build({
    profile: 'ocsp-signer',
    issuerName: issuer.name,
    authorityKeyId: issuer.keyId,
    signerKey: issuer.privateKey,
    subject: options.subject,
    subjectKey,
    ...validity,
    ...(options.serial !== undefined ? { serial: options.serial } : {}),
  });
}
