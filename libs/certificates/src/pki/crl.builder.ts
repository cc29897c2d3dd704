import { createPublicKey } from 'node:crypto';
import {
  bitString,
  explicit,
  extension,
  headerLength,
  implicitPrimitive,
  integer,
  sequence,
  TAG,
  writeHeader,
  writeX509Time,
  x509Time,
  x509TimeLength,
} from './der.util.js';
import type { CertificateIssuer } from './ca.util.js';
import { parseCertificate, rawOf } from './certificate.util.js';
import { keyIdentifier, signatureAlgorithmFor, signWithAsync } from './key.util.js';
import { OID } from './pki.constants.js';
import { PkiError, PkiErrorCode } from './pki.exception.js';

/** RFC 5280 §5.3.1 CRLReason names (7 is unused in the standard). */
export const CRL_REASONS = [
  'unspecified',
  'keyCompromise',
  'cACompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'certificateHold',
  'removeFromCRL',
  'privilegeWithdrawn',
  'aACompromise',
] as const;
export type CrlReason = (typeof CRL_REASONS)[number];

export const CRL_REASON_CODES: Readonly<Record<CrlReason, number>> = {
  unspecified: 0,
  keyCompromise: 1,
  cACompromise: 2,
  affiliationChanged: 3,
  superseded: 4,
  cessationOfOperation: 5,
  certificateHold: 6,
  removeFromCRL: 8,
  privilegeWithdrawn: 9,
  aACompromise: 10,
};

export interface RevokedCertificate {
  /** Hex (any case, colons allowed, as stored by the platform) or bigint. */
  serial: string | bigint;
  revokedAt: Date;
  /** Omitted from the entry when absent or 'unspecified' (RFC 5280 §5.3.1: SHOULD be absent then). */
  reason?: CrlReason;
}

export interface BuildCrlOptions {
  /** The issuing CA (its certificate must assert cRLSign). */
  issuer: CertificateIssuer;
  thisUpdate: Date;
  nextUpdate: Date;
  /** Monotonically increasing; at most 20 octets. */
  crlNumber: bigint | number;
  revoked: readonly RevokedCertificate[];
}

// Extension { reasonCode, OCTET STRING { ENUMERATED n } } wrapped in crlEntryExtensions SEQUENCE: 14 bytes.
const REASON_EXTENSIONS: Buffer[] = Array.from({ length: 11 }, (_, code) =>
  sequence(extension(OID.reasonCode, false, Buffer.from([TAG.ENUMERATED, 1, code]))),
);
const HEX = /^[0-9a-fA-F]+$/;

/**
 * A DER X.509 v2 CRL signed by the issuing CA: thisUpdate, nextUpdate, CRL number and AKI
 * extensions, one entry per revoked certificate (serial, revocationDate, reasonCode).
 *
 * Built for size: entries are encoded straight into one pre-sized buffer in two passes (lengths,
 * then bytes), with no object per entry. Duplicate serials are the caller's business.
 */
export async function buildCrl(options: BuildCrlOptions): Promise<Buffer> {
  const { issuer, thisUpdate, nextUpdate, revoked } = options;
  const ca = parseCertificate(issuer.certificate);
  const raw = rawOf(ca);
  if (!ca.isCA || (raw.keyUsagePresent && !ca.keyUsage.includes('cRLSign')))
    throw new PkiError(PkiErrorCode.NotACa, `${ca.subject} may not sign CRLs`);
  if (issuer.privateKey?.type !== 'private' || !ca.publicKey || !createPublicKey(issuer.privateKey).equals(ca.publicKey)) {
    throw new PkiError(PkiErrorCode.KeyMismatch, 'the private key does not belong to the CRL issuer certificate');
  }
  if (!validDate(thisUpdate) || !validDate(nextUpdate) || nextUpdate.getTime() <= thisUpdate.getTime()) {
    throw new PkiError(PkiErrorCode.InvalidValidity, 'thisUpdate and nextUpdate must be dates with nextUpdate later');
  }
  const crlNumber = BigInt(options.crlNumber);
  if (crlNumber < 0n || crlNumber >= 1n << 159n) throw new PkiError(PkiErrorCode.InvalidArgument, 'crlNumber must be 0 … 2^159-1');

  const alg = signatureAlgorithmFor(issuer.privateKey);
  const entries = encodeEntries(revoked);
  const authorityKeyId = ca.subjectKeyIdentifier ? Buffer.from(ca.subjectKeyIdentifier, 'hex') : keyIdentifier(raw.spki);
  const crlExtensions = explicit(
    0,
    sequence(
      extension(OID.authorityKeyIdentifier, false, sequence(implicitPrimitive(0, authorityKeyId))),
      extension(OID.cRLNumber, false, integer(crlNumber)),
    ),
  );
  const tbs = sequence(
    integer(1),
    alg.algorithmIdentifier,
    raw.subjectName,
    x509Time(thisUpdate),
    x509Time(nextUpdate),
    ...(entries ? [entries] : []),
    crlExtensions,
  );
  return sequence(tbs, alg.algorithmIdentifier, bitString(await signWithAsync(issuer.privateKey, alg, tbs)));
}

function validDate(d: unknown): d is Date {
  return d instanceof Date && !Number.isNaN(d.getTime());
}

/** revokedCertificates SEQUENCE (header included), or null when there are none (the field is then omitted). */
function encodeEntries(revoked: readonly RevokedCertificate[]): Buffer | null {
  const n = revoked.length;
  if (n === 0) return null;
  const serials: string[] = new Array<string>(n);
  const serialLen = new Uint8Array(n);
  const entryLen = new Uint32Array(n);
  const reasons = new Int8Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const e = revoked[i]!;
    let s = typeof e.serial === 'bigint' ? (e.serial > 0n ? e.serial.toString(16) : '') : e.serial;
    if (typeof s !== 'string') throw badEntry(i, 'serial must be a hex string or bigint');
    if (s.includes(':')) s = s.replace(/:/g, '');
    let z = 0;
    while (z < s.length && s.charCodeAt(z) === 0x30) z++;
    if (z > 0) s = s.slice(z);
    if (s.length === 0 || s.length > 40 || !HEX.test(s)) throw badEntry(i, 'serial must be positive hex of at most 20 octets');
    // An even count of digits whose first is ≥ 8 has its top bit set: INTEGER needs a 0x00 in front.
    const c = s.charCodeAt(0);
    const pad = s.length % 2 === 0 && c >= 0x38 && (c <= 0x39 || c >= 0x41) ? 1 : 0;
    const sl = ((s.length + 1) >> 1) + pad;
    if (!validDate(e.revokedAt)) throw badEntry(i, 'revokedAt must be a valid date');
    let reason = -1;
    if (e.reason !== undefined && e.reason !== 'unspecified') {
      const code = CRL_REASON_CODES[e.reason];
      if (code === undefined) throw badEntry(i, `unknown reason ${JSON.stringify(e.reason)}`);
      reason = code;
    }
    const content = 2 + sl + x509TimeLength(e.revokedAt) + (reason >= 0 ? REASON_EXTENSIONS[reason]!.length : 0);
    serials[i] = s;
    serialLen[i] = sl;
    reasons[i] = reason;
    entryLen[i] = content;
    total += headerLength(content) + content;
  }
  const out = Buffer.allocUnsafe(headerLength(total) + total);
  let off = writeHeader(out, 0, TAG.SEQUENCE, total);
  for (let i = 0; i < n; i++) {
    off = writeHeader(out, off, TAG.SEQUENCE, entryLen[i]!);
    const s = serials[i]!;
    const sl = serialLen[i]!;
    out[off++] = TAG.INTEGER;
    out[off++] = sl;
    const bytes = (s.length + 1) >> 1;
    if (sl > bytes) out[off++] = 0;
    if (s.length % 2 === 1) {
      out[off++] = parseInt(s[0]!, 16);
      off += out.write(s.slice(1), off, 'hex');
    } else {
      off += out.write(s, off, 'hex');
    }
    off = writeX509Time(out, off, revoked[i]!.revokedAt);
    const r = reasons[i]!;
    if (r >= 0) {
      REASON_EXTENSIONS[r]!.copy(out, off);
      off += REASON_EXTENSIONS[r]!.length;
    }
  }
  if (off !== out.length) throw new Error(`CRL encoder length mismatch (${off} != ${out.length})`);
  return out;
}

function badEntry(i: number, message: string): PkiError {
  return new PkiError(PkiErrorCode.InvalidArgument, `revoked[${i}]: ${message}`);
}
