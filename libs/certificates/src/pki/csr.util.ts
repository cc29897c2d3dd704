import { type KeyObject, createPublicKey } from 'node:crypto';
import {
  DerError,
  TAG,
  asBuffer,
  bitString,
  bitStringBytes,
  bytesOf,
  children,
  decodeOid,
  decodeSmallInteger,
  expectTag,
  explicit,
  extension,
  integer,
  oid,
  readRoot,
  sequence,
  setOf,
  tlv,
} from './der.util.js';
import { readGeneralNames } from './extension.util.js';
import {
  type PublicKeyDescription,
  assertAcceptableKey,
  signatureAlgorithmFor,
  signatureSchemeOf,
  signWith,
  spkiOf,
  verifySignature,
} from './key.util.js';
import { type DistinguishedName, type NameAttribute, type NameFields, checkEmail, encodeName, parseName } from './name.util.js';
import { OID } from './pki.constants.js';
import { PkiError, PkiErrorCode } from './pki.exception.js';
import { looksLikePem, parsePem, toPem } from './pem.util.js';

/** A verified PKCS#10 request. */
export interface CsrInfo {
  der: Buffer;
  /** RFC 4514 string, most specific first. */
  subject: string;
  subjectFields: NameFields;
  subjectAttributes: NameAttribute[];
  /** The requested e-mail: the first rfc822Name of a requested subjectAltName, else the subject emailAddress. */
  email?: string;
  /** All requested e-mail addresses (SAN first, then the subject emailAddress). */
  emails: string[];
  publicKey: KeyObject;
  publicKeyInfo: PublicKeyDescription;
  /** e.g. "ecdsa-with-SHA256". */
  signatureAlgorithm: string;
}

export interface ParseCsrOptions {
  /** Default 2048. */
  minRsaBits?: number;
}

function malformed(message: string, cause?: unknown): PkiError {
  return new PkiError(PkiErrorCode.MalformedCsr, message, cause === undefined ? undefined : { cause });
}

/**
 * Parses and verifies a PKCS#10 request (PEM "CERTIFICATE REQUEST" / "NEW CERTIFICATE REQUEST" or DER).
 *  - MALFORMED_CSR: not a request (garbage, truncated, wrong version, unreadable key);
 *  - BAD_CSR_SIGNATURE: the self-signature does not verify;
 *  - WEAK_KEY: RSA under `minRsaBits` (2048) or a small exponent; UNSUPPORTED_KEY: not EC P-256 / RSA;
 *  - UNSUPPORTED_ALGORITHM: a signature algorithm we do not verify, SHA-1 included.
 */
export function parseCsr(input: Uint8Array | string, options: ParseCsrOptions = {}): CsrInfo {
  const der = csrDer(input);
  let parsed: Omit<CsrInfo, 'publicKeyInfo'> & { tbs: Buffer; signature: Buffer; schemeAlg: ReturnType<typeof signatureSchemeOf> };
  try {
    parsed = parseStructure(der);
  } catch (err) {
    if (err instanceof PkiError) throw err;
    throw malformed(`malformed certificate request: ${err instanceof Error ? err.message : String(err)}`, err);
  }
  if (parsed.schemeAlg.hash === 'sha1') throw new PkiError(PkiErrorCode.UnsupportedAlgorithm, 'SHA-1 signed requests are not accepted');
  const publicKeyInfo = assertAcceptableKey(parsed.publicKey, options.minRsaBits ?? 2048);
  if (!verifySignature(parsed.schemeAlg, parsed.tbs, parsed.signature, parsed.publicKey)) {
    throw new PkiError(PkiErrorCode.BadCsrSignature, 'the request signature does not verify with its public key');
  }
  const { tbs: _tbs, signature: _sig, schemeAlg: _alg, ...info } = parsed;
  return { ...info, publicKeyInfo };
}

function csrDer(input: Uint8Array | string): Buffer {
  if (typeof input === 'string' || (input instanceof Uint8Array && looksLikePem(input))) {
    const text = typeof input === 'string' ? input : asBuffer(input).toString('latin1');
    const block = parsePem(text).find((b) => b === null || b.label === 'CERTIFICATE REQUEST' || b.label === 'NEW CERTIFICATE REQUEST');
    if (block === undefined) throw malformed('no PEM CERTIFICATE REQUEST block found');
    if (block === null) throw malformed('PEM block is not valid base64');
    return block.der;
  }
  if (!(input instanceof Uint8Array) || input.length === 0) throw malformed('empty input');
  return Buffer.from(input);
}

function parseStructure(der: Buffer) {
  const root = readRoot(der);
  const [criT, algT, sigT, extra] = children(der, root);
  if (!criT || !algT || !sigT || extra) throw new DerError('CertificationRequest must have three fields');
  const [versionT, subjectT, spkiT, attrsT, more] = children(der, expectTag(criT, TAG.SEQUENCE, 'certificationRequestInfo'));
  if (decodeSmallInteger(der, expectTag(versionT, TAG.INTEGER, 'version')) !== 0) throw new DerError('unknown CSR version');
  const subject = parseName(der, expectTag(subjectT, TAG.SEQUENCE, 'subject'));
  const spki = bytesOf(der, expectTag(spkiT, TAG.SEQUENCE, 'subjectPKInfo'));
  // Attributes are [0] IMPLICIT SET OF; some old tools omit the (empty) field altogether.
  if (attrsT && attrsT.tag !== 0xa0) throw new DerError('attributes must be [0]');
  if (more) throw new DerError('unexpected field in certificationRequestInfo');
  const san = { emails: [] as string[], dnsNames: [] as string[], uris: [] as string[] };
  for (const attr of attrsT ? children(der, attrsT) : []) {
    const [typeT, valuesT] = children(der, expectTag(attr, TAG.SEQUENCE, 'Attribute'));
    if (decodeOid(der, typeT!) !== OID.extensionRequest) continue;
    for (const exts of children(der, expectTag(valuesT, TAG.SET, 'attribute values'))) {
      for (const ext of children(der, expectTag(exts, TAG.SEQUENCE, 'Extensions'))) {
        const parts = children(der, expectTag(ext, TAG.SEQUENCE, 'Extension'));
        if (decodeOid(der, parts[0]!) !== OID.subjectAltName) continue;
        const valueT = expectTag(parts[parts.length - 1], TAG.OCTET_STRING, 'extnValue');
        const value = der.subarray(valueT.contentStart, valueT.end);
        readGeneralNames(value, readRoot(value), san);
      }
    }
  }
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  } catch (err) {
    throw malformed('the request public key cannot be read', err);
  }
  const emails = [...san.emails];
  if (subject.fields.email && !emails.includes(subject.fields.email)) emails.push(subject.fields.email);
  const schemeAlg = signatureSchemeOf(der, expectTag(algT, TAG.SEQUENCE, 'signatureAlgorithm'));
  return {
    der,
    subject: subject.text,
    subjectFields: subject.fields,
    subjectAttributes: subject.attributes,
    ...(emails[0] !== undefined ? { email: emails[0] } : {}),
    emails,
    publicKey,
    signatureAlgorithm: schemeAlg.name,
    tbs: bytesOf(der, criT),
    signature: Buffer.from(bitStringBytes(der, expectTag(sigT, TAG.BIT_STRING, 'signature')).bytes),
    schemeAlg,
  };
}

export interface CreateCsrOptions {
  keys: { publicKey: KeyObject; privateKey: KeyObject };
  subject: DistinguishedName;
  /** Requested rfc822Name subjectAltName. */
  email?: string;
}

/** A PKCS#10 request signed with `keys.privateKey` (for clients, tests and tools). */
export function createCsr(options: CreateCsrOptions): { der: Buffer; pem: string } {
  const alg = signatureAlgorithmFor(options.keys.privateKey);
  const attributes: Buffer[] = [];
  if (options.email !== undefined) {
    checkEmail(options.email);
    const san = extension(OID.subjectAltName, false, sequence(tlv(0x81, Buffer.from(options.email, 'latin1'))));
    attributes.push(sequence(oid(OID.extensionRequest), setOf(sequence(san))));
  }
  const cri = sequence(integer(0), encodeName(options.subject), spkiOf(options.keys.publicKey), explicit(0, ...attributes));
  const der = sequence(cri, alg.algorithmIdentifier, bitString(signWith(options.keys.privateKey, alg, cri)));
  return { der, pem: toPem(der, 'CERTIFICATE REQUEST') };
}
