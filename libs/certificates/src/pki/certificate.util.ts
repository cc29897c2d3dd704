import { type KeyObject, createHash, createPublicKey } from 'node:crypto';
import {
  DerError,
  TAG,
  asBuffer,
  bitStringBytes,
  bytesOf,
  children,
  decodeOid,
  decodeSmallInteger,
  decodeTime,
  expectTag,
  integerHex,
  readRoot,
} from './der.util.js';
import { parseExtensions, emptyExtensions } from './extension.util.js';
import { type PublicKeyDescription, type SignatureScheme, describePublicKey, signatureSchemeOf } from './key.util.js';
import { type NameAttribute, type NameFields, parseName } from './name.util.js';
import { type KeyUsageName } from './pki.constants.js';
import { PkiError, PkiErrorCode } from './pki.exception.js';
import { looksLikePem, parsePem, toPem } from './pem.util.js';

/** A certificate as bytes: DER, or PEM (text or bytes; a bundle gives its first certificate). */
export type CertificateInput = Uint8Array | string;

/**
 * What the platform needs to know about a certificate.
 *
 * Serial numbers, here and everywhere in the PKI core, are lowercase hex without leading zeros
 * (the integer's value: `BigInt('0x' + serial)` round-trips; "0" for zero, "-…" for the
 * negative serials some old CAs produced). Our own serials always have 32 hex digits.
 */
export interface CertificateInfo {
  der: Buffer;
  pem: string;
  /** 1 or 3. */
  version: number;
  serial: string;
  /** RFC 4514 string, most specific first: "CN=Budi,OU=Diskominfo,O=Pemerintah Daerah,C=ID". */
  subject: string;
  issuer: string;
  subjectFields: NameFields;
  issuerFields: NameFields;
  subjectAttributes: NameAttribute[];
  notBefore: Date;
  notAfter: Date;
  /** SHA-256 of the DER, lowercase hex without separators. */
  fingerprintSha256: string;
  /** The e-mail to show: the first rfc822Name SAN, else the subject emailAddress. */
  email?: string;
  /** All e-mail addresses: SAN rfc822Names first, then a subject emailAddress not among them. */
  emails: string[];
  dnsNames: string[];
  keyUsage: KeyUsageName[];
  /** EKU OIDs (compare with the `EKU` constants). */
  extendedKeyUsage: string[];
  crlUrls: string[];
  ocspUrls: string[];
  caIssuersUrls: string[];
  isCA: boolean;
  pathLength?: number;
  /** Subject and issuer names are identical (roots; also self-issued key rollover certificates). */
  selfIssued: boolean;
  /** Hex. */
  subjectKeyIdentifier?: string;
  authorityKeyIdentifier?: string;
  policies: string[];
  /** e.g. "ecdsa-with-SHA256", "sha256WithRSAEncryption"; the OID when unknown. */
  signatureAlgorithm: string;
  /** Null only when node cannot load the key type. */
  publicKey: KeyObject | null;
  publicKeyInfo: PublicKeyDescription;
}

/** The bytes the rest of the PKI core needs: kept off the public object. */
export interface RawCertificate {
  tbs: Buffer;
  subjectName: Buffer;
  issuerName: Buffer;
  spki: Buffer;
  /** subjectPublicKey BIT STRING contents (for key identifiers and OCSP key hashes). */
  subjectPublicKey: Buffer;
  /** The outer signatureAlgorithm and the TBS signature field (RFC 5280 wants them equal). */
  outerAlgorithm: Buffer;
  innerAlgorithm: Buffer;
  /** Null when the algorithm is not one we can verify. */
  scheme: SignatureScheme | null;
  signature: Buffer;
  critical: string[];
  keyUsagePresent: boolean;
  ocspNoCheck: boolean;
}

const RAW = new WeakMap<CertificateInfo, RawCertificate>();

export function rawOf(info: CertificateInfo): RawCertificate {
  const raw = RAW.get(info);
  if (!raw) throw new PkiError(PkiErrorCode.InvalidArgument, 'not a CertificateInfo made by parseCertificate');
  return raw;
}

function malformed(message: string, cause?: unknown): PkiError {
  return new PkiError(PkiErrorCode.MalformedCertificate, message, cause === undefined ? undefined : { cause });
}

/** DER blocks of every certificate in the input (PEM bundle or one DER certificate). */
function certificateDers(input: CertificateInput): Buffer[] {
  if (typeof input === 'string' || (input instanceof Uint8Array && looksLikePem(input))) {
    const text = typeof input === 'string' ? input : asBuffer(input).toString('latin1');
    const blocks = parsePem(text).filter((b) => b === null || b.label === 'CERTIFICATE' || b.label === 'X509 CERTIFICATE');
    if (blocks.length === 0) throw malformed('no PEM CERTIFICATE block found');
    return blocks.map((b) => {
      if (!b) throw malformed('PEM block is not valid base64');
      return b.der;
    });
  }
  if (!(input instanceof Uint8Array) || input.length === 0) throw malformed('empty input');
  return [asBuffer(input)];
}

/** One certificate (the first of a PEM bundle). Malformed input throws MALFORMED_CERTIFICATE. */
export function parseCertificate(input: CertificateInput | CertificateInfo): CertificateInfo {
  if (isCertificateInfo(input)) return input;
  return parseCertificateDer(certificateDers(input)[0]!);
}

/** Every certificate of a PEM bundle (or the one DER certificate). */
export function parseCertificates(input: CertificateInput): CertificateInfo[] {
  return certificateDers(input).map(parseCertificateDer);
}

export function isCertificateInfo(x: unknown): x is CertificateInfo {
  return typeof x === 'object' && x !== null && !(x instanceof Uint8Array) && RAW.has(x as CertificateInfo);
}

/** Parses one DER certificate. */
export function parseCertificateDer(input: Uint8Array): CertificateInfo {
  const der = Buffer.from(input); // own copy: callers may reuse their buffer
  try {
    return parseStrict(der);
  } catch (err) {
    if (err instanceof PkiError) throw err;
    if (err instanceof DerError) throw malformed(`malformed certificate: ${err.message}`, err);
    throw malformed('malformed certificate', err);
  }
}

function parseStrict(der: Buffer): CertificateInfo {
  const cert = readRoot(der);
  const [tbsT, outerAlgT, sigT, extra] = children(der, cert);
  if (!tbsT || !outerAlgT || !sigT || extra) throw new DerError('Certificate must have three fields');
  expectTag(tbsT, TAG.SEQUENCE, 'tbsCertificate');
  expectTag(outerAlgT, TAG.SEQUENCE, 'signatureAlgorithm');
  const f = children(der, tbsT);
  let i = 0;
  let version = 1;
  if (f[i]?.tag === 0xa0) {
    const [v] = children(der, f[i++]!);
    version = decodeSmallInteger(der, expectTag(v, TAG.INTEGER, 'version')) + 1;
    if (version < 1 || version > 3) throw new DerError(`unknown version ${version}`);
  }
  const serial = integerHex(der, expectTag(f[i++], TAG.INTEGER, 'serialNumber'));
  const innerAlgT = expectTag(f[i++], TAG.SEQUENCE, 'signature');
  const issuer = parseName(der, expectTag(f[i++], TAG.SEQUENCE, 'issuer'));
  const validity = children(der, expectTag(f[i++], TAG.SEQUENCE, 'validity'));
  if (validity.length !== 2) throw new DerError('validity needs notBefore and notAfter');
  const notBefore = decodeTime(der, validity[0]!);
  const notAfter = decodeTime(der, validity[1]!);
  const subject = parseName(der, expectTag(f[i++], TAG.SEQUENCE, 'subject'));
  const spkiT = expectTag(f[i++], TAG.SEQUENCE, 'subjectPublicKeyInfo');
  const spkiParts = children(der, spkiT);
  expectTag(spkiParts[0], TAG.SEQUENCE, 'algorithm');
  const subjectPublicKey = Buffer.from(bitStringBytes(der, expectTag(spkiParts[1], TAG.BIT_STRING, 'subjectPublicKey')).bytes);
  if (f[i]?.tag === 0x81) i++; // issuerUniqueID
  if (f[i]?.tag === 0x82) i++; // subjectUniqueID
  let ext = emptyExtensions();
  if (f[i]?.tag === 0xa3) {
    if (version !== 3) throw new DerError('extensions in a non-v3 certificate');
    const [seq, more] = children(der, f[i++]!);
    if (!seq || more) throw new DerError('bad extensions wrapper');
    ext = parseExtensions(der, seq);
  }
  if (f[i]) throw new DerError('unexpected field in tbsCertificate');
  const signature = bitStringBytes(der, expectTag(sigT, TAG.BIT_STRING, 'signatureValue')).bytes;

  let scheme: SignatureScheme | null = null;
  let signatureAlgorithm: string;
  try {
    scheme = signatureSchemeOf(der, outerAlgT);
    signatureAlgorithm = scheme.name;
  } catch (err) {
    if (err instanceof DerError) throw err;
    signatureAlgorithm = decodeOid(der, expectTag(children(der, outerAlgT)[0], TAG.OID, 'algorithm'));
  }

  const spki = Buffer.from(bytesOf(der, spkiT));
  let publicKey: KeyObject | null = null;
  try {
    publicKey = createPublicKey({ key: spki, format: 'der', type: 'spki' });
  } catch {
    publicKey = null;
  }

  const emails = [...ext.emails];
  if (subject.fields.email && !emails.includes(subject.fields.email)) emails.push(subject.fields.email);
  const info: CertificateInfo = {
    der,
    pem: toPem(der),
    version,
    serial,
    subject: subject.text,
    issuer: issuer.text,
    subjectFields: subject.fields,
    issuerFields: issuer.fields,
    subjectAttributes: subject.attributes,
    notBefore,
    notAfter,
    fingerprintSha256: createHash('sha256').update(der).digest('hex'),
    ...(emails[0] !== undefined ? { email: emails[0] } : {}),
    emails,
    dnsNames: ext.dnsNames,
    keyUsage: ext.keyUsage,
    extendedKeyUsage: ext.extendedKeyUsage,
    crlUrls: ext.crlUrls,
    ocspUrls: ext.ocspUrls,
    caIssuersUrls: ext.caIssuersUrls,
    isCA: ext.isCA,
    ...(ext.pathLength !== undefined ? { pathLength: ext.pathLength } : {}),
    selfIssued: subject.der.equals(issuer.der),
    ...(ext.subjectKeyIdentifier ? { subjectKeyIdentifier: ext.subjectKeyIdentifier.toString('hex') } : {}),
    ...(ext.authorityKeyIdentifier ? { authorityKeyIdentifier: ext.authorityKeyIdentifier.toString('hex') } : {}),
    policies: ext.policies,
    signatureAlgorithm,
    publicKey,
    publicKeyInfo: publicKey ? describePublicKey(publicKey) : { type: 'unknown', bits: 0, label: 'unknown' },
  };
  RAW.set(info, {
    tbs: bytesOf(der, tbsT),
    subjectName: subject.der,
    issuerName: issuer.der,
    spki,
    subjectPublicKey,
    outerAlgorithm: bytesOf(der, outerAlgT),
    innerAlgorithm: bytesOf(der, innerAlgT),
    scheme,
    signature: Buffer.from(signature),
    critical: ext.critical,
    keyUsagePresent: ext.keyUsagePresent,
    ocspNoCheck: ext.ocspNoCheck,
  });
  return info;
}
