import { type KeyObject, createHash, createPublicKey } from 'node:crypto';
import {
  type Tlv,
  DerError,
  TAG,
  asBuffer,
  bitString,
  children,
  contentOf,
  decodeBoolean,
  decodeOid,
  decodeSmallInteger,
  expectTag,
  explicit,
  extension,
  generalizedTime,
  integerHex,
  isOid,
  oid,
  octetString,
  readRoot,
  readTlv,
  sequence,
  tlv,
} from './der.util.js';
import { type CertificateInfo, type CertificateInput, parseCertificate, rawOf } from './certificate.util.js';
import { CRL_REASON_CODES, type CrlReason } from './crl.builder.js';
import { type SignatureAlgorithm, signatureAlgorithmFor, signWith, signWithAsync, verifySignature } from './key.util.js';
import { EKU, OID } from './pki.constants.js';
import { PkiError, PkiErrorCode } from './pki.exception.js';

// ---------------------------------------------------------------------------------------------
// Error responses

export type OcspResponseStatus = 'successful' | 'malformedRequest' | 'internalError' | 'tryLater' | 'sigRequired' | 'unauthorized';
export type OcspErrorStatus = Exclude<OcspResponseStatus, 'successful'>;

const STATUS_CODES: Readonly<Record<OcspResponseStatus, number>> = {
  successful: 0,
  malformedRequest: 1,
  internalError: 2,
  tryLater: 3,
  sigRequired: 5,
  unauthorized: 6,
};

/** An OCSPResponse with only a status (no responseBytes), e.g. `unauthorized` or `internalError`. */
export function ocspErrorResponse(status: OcspErrorStatus): Buffer {
  const code = STATUS_CODES[status];
  if (code === undefined || code === 0) throw new PkiError(PkiErrorCode.InvalidArgument, `not an OCSP error status: ${String(status)}`);
  return Buffer.from([TAG.SEQUENCE, 3, TAG.ENUMERATED, 1, code]);
}

// ---------------------------------------------------------------------------------------------
// Requests

export type OcspHashAlgorithm = 'sha1' | 'sha256' | 'sha384' | 'sha512';

export interface OcspCertId {
  /** The CertID hash; the dotted OID when it is none of ours. */
  hashAlgorithm: OcspHashAlgorithm | string;
  issuerNameHash: Buffer;
  issuerKeyHash: Buffer;
  /** Lowercase hex, no leading zeros (the PKI core's serial form). */
  serial: string;
  /** The CertID exactly as received (echoed in the response, as clients compare it). */
  der: Buffer;
}

export interface OcspRequestInfo {
  certIds: OcspCertId[];
  /** The nonce octets (id-pkix-ocsp-nonce), if the request has one. */
  nonce?: Buffer;
  /** The nonce extension's extnValue contents as received, for echoing. */
  nonceValue?: Buffer;
  /** The request carried an optionalSignature (we neither require nor check it). */
  signed: boolean;
}

export interface ParseOcspRequestOptions {
  /** More CertIDs than this in one request is refused as malformed. Default 20. */
  maxCertIds?: number;
}

const HASH_OIDS: ReadonlyArray<readonly [OcspHashAlgorithm, Buffer]> = [
  ['sha1', oid(OID.sha1)],
  ['sha256', oid(OID.sha256)],
  ['sha384', oid(OID.sha384)],
  ['sha512', oid(OID.sha512)],
];
const NONCE_OID = oid(OID.ocspNonce);
const MAX_REQUEST_BYTES = 64 * 1024;

function malformedRequest(message: string, cause?: unknown): PkiError {
  return new PkiError(PkiErrorCode.MalformedOcspRequest, message, cause === undefined ? undefined : { cause });
}

/** RFC 6960 OCSPRequest → its CertIDs and nonce. Anything else throws MALFORMED_OCSP_REQUEST. */
export function parseOcspRequest(der: Uint8Array, options: ParseOcspRequestOptions = {}): OcspRequestInfo {
  if (!(der instanceof Uint8Array) || der.length === 0) throw malformedRequest('empty request');
  if (der.length > MAX_REQUEST_BYTES) throw malformedRequest('request too large');
  const buf = asBuffer(der);
  try {
    return parseRequest(buf, options.maxCertIds ?? 20);
  } catch (err) {
    if (err instanceof PkiError) throw err;
    throw malformedRequest(`malformed OCSP request: ${err instanceof Error ? err.message : String(err)}`, err);
  }
}

function parseRequest(buf: Buffer, maxCertIds: number): OcspRequestInfo {
  const root = readRoot(buf);
  const tbs = expectTag(readTlv(buf, root.contentStart, root.end), TAG.SEQUENCE, 'tbsRequest');
  let signed = false;
  if (tbs.end < root.end) {
    const sig = readTlv(buf, tbs.end, root.end);
    if (sig.tag !== 0xa0 || sig.end !== root.end) throw new DerError('unexpected field after tbsRequest');
    signed = true;
  }
  let p = tbs.contentStart;
  let t = readTlv(buf, p, tbs.end);
  if (t.tag === 0xa0) {
    const v = readTlv(buf, t.contentStart, t.end);
    if (decodeSmallInteger(buf, v) !== 0) throw new DerError('unsupported OCSP request version');
    p = t.end;
    t = readTlv(buf, p, tbs.end);
  }
  if (t.tag === 0xa1) {
    p = t.end; // requestorName
    t = readTlv(buf, p, tbs.end);
  }
  expectTag(t, TAG.SEQUENCE, 'requestList');
  const certIds: OcspCertId[] = [];
  for (let q = t.contentStart; q < t.end;) {
    const request = expectTag(readTlv(buf, q, t.end), TAG.SEQUENCE, 'Request');
    q = request.end;
    if (certIds.length >= maxCertIds) throw malformedRequest(`more than ${maxCertIds} certificates in one request`);
    const certId = expectTag(readTlv(buf, request.contentStart, request.end), TAG.SEQUENCE, 'CertID');
    if (certId.end < request.end) {
      const single = readTlv(buf, certId.end, request.end); // singleRequestExtensions, ignored
      if (single.tag !== 0xa0 || single.end !== request.end) throw new DerError('unexpected field in Request');
    }
    certIds.push(readCertId(buf, certId));
  }
  if (certIds.length === 0) throw malformedRequest('no certificate in the request');
  let nonce: Buffer | undefined;
  let nonceValue: Buffer | undefined;
  if (t.end < tbs.end) {
    const exts = readTlv(buf, t.end, tbs.end);
    if (exts.tag !== 0xa2 || exts.end !== tbs.end) throw new DerError('unexpected field in tbsRequest');
    const seq = expectTag(readTlv(buf, exts.contentStart, exts.end), TAG.SEQUENCE, 'requestExtensions');
    for (const ext of children(buf, seq)) {
      const parts = children(buf, expectTag(ext, TAG.SEQUENCE, 'Extension'));
      if (parts.length === 3) decodeBoolean(buf, parts[1]!);
      const valueT = expectTag(parts[parts.length - 1], TAG.OCTET_STRING, 'extnValue');
      if (!isOid(buf, expectTag(parts[0], TAG.OID, 'extnID'), NONCE_OID)) continue;
      nonceValue = contentOf(buf, valueT);
      nonce = nonceOctets(nonceValue);
      // RFC 8954: 1–32 octets.
      if (nonce.length === 0 || nonce.length > 32) throw malformedRequest(`nonce of ${nonce.length} octets (1–32 allowed)`);
    }
  }
  return { certIds, signed, ...(nonce ? { nonce, nonceValue: nonceValue! } : {}) };
}

/** RFC 6960 wants the nonce as an OCTET STRING inside extnValue; some old clients put raw bytes. */
function nonceOctets(value: Buffer): Buffer {
  if (value.length >= 2 && value[0] === TAG.OCTET_STRING) {
    try {
      const inner = readTlv(value, 0, value.length);
      if (inner.end === value.length) return contentOf(value, inner);
    } catch {
      // raw nonce
    }
  }
  return value;
}

function readCertId(buf: Buffer, certId: Tlv): OcspCertId {
  const alg = expectTag(readTlv(buf, certId.contentStart, certId.end), TAG.SEQUENCE, 'hashAlgorithm');
  const algOid = expectTag(readTlv(buf, alg.contentStart, alg.end), TAG.OID, 'hashAlgorithm OID');
  const nameHash = expectTag(readTlv(buf, alg.end, certId.end), TAG.OCTET_STRING, 'issuerNameHash');
  const keyHash = expectTag(readTlv(buf, nameHash.end, certId.end), TAG.OCTET_STRING, 'issuerKeyHash');
  const serialT = expectTag(readTlv(buf, keyHash.end, certId.end), TAG.INTEGER, 'serialNumber');
  if (serialT.end !== certId.end) throw new DerError('unexpected field in CertID');
  let hashAlgorithm: string | undefined;
  for (const [name, encoded] of HASH_OIDS) {
    if (isOid(buf, algOid, encoded)) {
      hashAlgorithm = name;
      break;
    }
  }
  return {
    hashAlgorithm: hashAlgorithm ?? decodeOid(buf, algOid),
    issuerNameHash: contentOf(buf, nameHash),
    issuerKeyHash: contentOf(buf, keyHash),
    serial: integerHex(buf, serialT),
    der: buf.subarray(certId.start, certId.end),
  };
}

// ---------------------------------------------------------------------------------------------
// Responder

/**
 * What the lookup says about one serial of ours. `checkedAt`, when the status comes from a cache, is
 * when it was read from the records: the answer's thisUpdate (RFC 6960 §2.4: the most recent time
 * the status is known to have been correct). Without it, thisUpdate is the time of the answer.
 */
export type OcspCertStatus = ({ status: 'good' } | { status: 'revoked'; revokedAt: Date; reason?: CrlReason } | { status: 'unknown' }) & {
  checkedAt?: Date;
};

/** Status of a serial issued by the responder's CA (lowercase hex, no leading zeros). May hit a database. */
export type OcspLookup = (serialHex: string, certId: OcspCertId) => OcspCertStatus | Promise<OcspCertStatus>;

export interface OcspResponderOptions {
  /** The CA whose certificates this responder answers for. */
  issuerCertificate: CertificateInput | CertificateInfo;
  /** The key that signs responses: the CA's own, or the delegated signer's. */
  signerKey: KeyObject;
  /**
   * A delegated responder certificate (issued by the CA with EKU OCSPSigning, see
   * `issueOcspSignerCertificate`). Omit it to sign with the CA key itself.
   */
  signerCertificate?: CertificateInput | CertificateInfo;
  /**
   * Put the signer's certificate in responses. Default: true for a delegated signer (clients need
   * it), false when the CA signs (clients already hold the issuer; saves ~500 bytes per answer).
   */
  includeSignerCertificate?: boolean;
  /** nextUpdate − thisUpdate, in seconds (how long clients may cache). Default 3600. */
  validitySeconds?: number;
  /** Default 20 CertIDs per request. */
  maxCertIds?: number;
  /**
   * RFC 5019 / RFC 6960 §2.4 pre-produced responses: a request without a nonce for one certificate
   * is answered with the response signed earlier for the same CertID, while it is younger than this
   * many seconds and the lookup still gives the same status object (the same reference: a caching
   * lookup hands out a new object whenever the records change or are read again). 0 (default) signs
   * every answer. Requests with a nonce are always signed afresh, the nonce echoed.
   */
  preproducedSeconds?: number;
  /** At most this many pre-produced responses are kept (the oldest go first). Default 10 000. */
  maxPreproduced?: number;
  /**
   * Sign on the calling thread instead of libuv's thread pool. Default false: on the pool the event
   * loop keeps serving HTTP while another core signs, which measured ~1.5× the answers per second
   * of signing on the loop on 2 vCPUs (and the pool thread keeps OpenSSL's curve tables in cache).
   */
  signOnLoop?: boolean;
  /** Called when the lookup or signing fails (the client then gets internalError). */
  onError?: (err: unknown) => void;
}

export interface OcspResponder {
  /** The CA this responder answers for. */
  readonly issuer: CertificateInfo;
  /**
   * DER OCSPResponse for a DER OCSPRequest. Never throws: garbage gets malformedRequest, a failing
   * lookup internalError. CertIDs for another issuer (name/key hash mismatch) are answered unknown.
   */
  respond(requestDer: Uint8Array, lookup: OcspLookup, now?: Date): Promise<Buffer>;
  /**
   * The same, answered synchronously when nothing has to wait: garbage (malformedRequest), a
   * pre-produced answer served again, or — with `signOnLoop` — any answer whose lookup answered
   * synchronously. Otherwise a promise. Saves a promise round per answer.
   */
  respondNow(requestDer: Uint8Array, lookup: OcspLookup, now?: Date): Buffer | Promise<Buffer>;
}

const MALFORMED = ocspErrorResponse('malformedRequest');
const INTERNAL_ERROR = ocspErrorResponse('internalError');
const GOOD = Buffer.from([0x80, 0]);
const UNKNOWN = Buffer.from([0x82, 0]);
const STATUS_UNKNOWN: OcspCertStatus = { status: 'unknown' };
const SUCCESS_PREFIX = Buffer.from([TAG.ENUMERATED, 1, 0]);
const BASIC_OID = oid(OID.ocspBasic);

/**
 * Creates the responder for one issuing CA. Everything that does not depend on the request is
 * computed here once: the issuer's name and key hashes under SHA-1/256/384/512, the responderID
 * (byKey), the signature AlgorithmIdentifier and the certs field.
 */
export function createOcspResponder(options: OcspResponderOptions): OcspResponder {
  return new Responder(options);
}

class Responder implements OcspResponder {
  readonly issuer: CertificateInfo;
  private readonly nameHashes: Record<OcspHashAlgorithm, Buffer>;
  private readonly keyHashes: Record<OcspHashAlgorithm, Buffer>;
  private readonly responderId: Buffer;
  private readonly alg: SignatureAlgorithm;
  private readonly certs: Buffer | null;
  private readonly key: KeyObject;
  private readonly validityMs: number;
  private readonly maxCertIds: number;
  private readonly onError: ((err: unknown) => void) | undefined;
  private readonly signOnLoop: boolean;
  private readonly preproducedMs: number;
  private readonly maxPreproduced: number;
  /** Pre-produced responses by the CertID's DER (as a latin1 string). */
  private readonly preproduced = new Map<string, Preproduced>();
  /** GeneralizedTime encodings of the last two seconds used (the answer's and a cached status's). */
  private readonly timeCache: [TimePair | null, TimePair | null] = [null, null];

  constructor(o: OcspResponderOptions) {
    this.issuer = parseCertificate(o.issuerCertificate);
    const issuerRaw = rawOf(this.issuer);
    if (!this.issuer.isCA) throw new PkiError(PkiErrorCode.NotACa, `${this.issuer.subject} is not a CA`);
    let signer = this.issuer;
    if (o.signerCertificate !== undefined) {
      signer = parseCertificate(o.signerCertificate);
      const raw = rawOf(signer);
      const issuedByCa =
        raw.issuerName.equals(issuerRaw.subjectName) &&
        raw.scheme !== null &&
        !!this.issuer.publicKey &&
        verifySignature(raw.scheme, raw.tbs, raw.signature, this.issuer.publicKey);
      if (!issuedByCa)
        throw new PkiError(PkiErrorCode.InvalidArgument, 'the OCSP signer certificate is not issued by the issuer certificate');
      if (!signer.extendedKeyUsage.includes(EKU.ocspSigning))
        throw new PkiError(PkiErrorCode.InvalidArgument, 'the OCSP signer certificate lacks EKU id-kp-OCSPSigning');
    }
    if (o.signerKey?.type !== 'private' || !signer.publicKey || !createPublicKey(o.signerKey).equals(signer.publicKey)) {
      throw new PkiError(PkiErrorCode.KeyMismatch, 'signerKey does not belong to the signing certificate');
    }
    const validity = o.validitySeconds ?? 3600;
    if (!Number.isInteger(validity) || validity < 1)
      throw new PkiError(PkiErrorCode.InvalidArgument, 'validitySeconds must be a positive integer');
    this.validityMs = validity * 1000;
    this.maxCertIds = o.maxCertIds ?? 20;
    this.onError = o.onError;
    this.key = o.signerKey;
    this.alg = signatureAlgorithmFor(o.signerKey);
    this.signOnLoop = o.signOnLoop ?? false;
    const preproduced = o.preproducedSeconds ?? 0;
    if (!Number.isInteger(preproduced) || preproduced < 0)
      throw new PkiError(PkiErrorCode.InvalidArgument, 'preproducedSeconds must be a non-negative integer');
    this.preproducedMs = Math.min(preproduced * 1000, this.validityMs);
    this.maxPreproduced = o.maxPreproduced ?? 10_000;
    const hash = (alg: OcspHashAlgorithm, data: Buffer) => createHash(alg).update(data).digest();
    const algs: OcspHashAlgorithm[] = ['sha1', 'sha256', 'sha384', 'sha512'];
    this.nameHashes = Object.fromEntries(algs.map((a) => [a, hash(a, issuerRaw.subjectName)])) as Record<OcspHashAlgorithm, Buffer>;
    this.keyHashes = Object.fromEntries(algs.map((a) => [a, hash(a, issuerRaw.subjectPublicKey)])) as Record<OcspHashAlgorithm, Buffer>;
    this.responderId = explicit(2, octetString(hash('sha1', rawOf(signer).subjectPublicKey)));
    const include = o.includeSignerCertificate ?? o.signerCertificate !== undefined;
    this.certs = include ? explicit(0, sequence(signer.der)) : null;
  }

  async respond(requestDer: Uint8Array, lookup: OcspLookup, now: Date = new Date()): Promise<Buffer> {
    return this.respondNow(requestDer, lookup, now);
  }

  respondNow(requestDer: Uint8Array, lookup: OcspLookup, now: Date = new Date()): Buffer | Promise<Buffer> {
    let request: OcspRequestInfo;
    try {
      request = parseOcspRequest(requestDer, { maxCertIds: this.maxCertIds });
    } catch {
      return Buffer.from(MALFORMED); // a copy: callers may reuse the buffer they get
    }
    try {
      const ids = request.certIds;
      const statuses: Array<OcspCertStatus | Promise<OcspCertStatus>> = new Array<OcspCertStatus>(ids.length);
      let pending = false;
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i]!;
        const s = this.isOurs(id) ? lookup(id.serial, id) : STATUS_UNKNOWN;
        if (s instanceof Promise) pending = true;
        statuses[i] = s;
      }
      if (!pending) return this.answer(request, statuses as OcspCertStatus[], now);
      return Promise.all(statuses).then(
        (resolved) => this.answer(request, resolved, now),
        (err: unknown) => this.failed(err),
      );
    } catch (err) {
      return this.failed(err);
    }
  }

  private failed(err: unknown): Buffer {
    this.onError?.(err);
    return Buffer.from(INTERNAL_ERROR);
  }

  private isOurs(id: OcspCertId): boolean {
    const names = this.nameHashes[id.hashAlgorithm as OcspHashAlgorithm];
    return (
      names !== undefined &&
      names.equals(id.issuerNameHash) &&
      this.keyHashes[id.hashAlgorithm as OcspHashAlgorithm].equals(id.issuerKeyHash)
    );
  }

  /** producedAt / thisUpdate and nextUpdate for the second of `ms`, encoded once per second. */
  private times(ms: number): TimePair {
    const second = Math.floor(ms / 1000);
    const [a, b] = this.timeCache;
    if (a?.second === second) return a;
    if (b?.second === second) return b;
    const pair = {
      second,
      time: generalizedTime(new Date(second * 1000)),
      next: explicit(0, generalizedTime(new Date(second * 1000 + this.validityMs))),
    };
    this.timeCache[1] = a;
    this.timeCache[0] = pair;
    return pair;
  }

  /** Serves a pre-produced response when one fits, else signs (and keeps it when it may be reused). */
  private answer(request: OcspRequestInfo, statuses: OcspCertStatus[], now: Date): Buffer | Promise<Buffer> {
    try {
      const nowMs = now.getTime();
      const key =
        this.preproducedMs > 0 && !request.nonceValue && request.certIds.length === 1 ? request.certIds[0]!.der.toString('latin1') : null;
      if (key !== null) {
        const hit = this.preproduced.get(key);
        if (hit && hit.status === statuses[0] && nowMs >= hit.producedMs && nowMs < hit.reuseUntilMs) return Buffer.from(hit.der);
      }
      const signed = this.build(request, statuses, nowMs);
      if (key === null) return signed instanceof Promise ? signed.catch((err: unknown) => this.failed(err)) : signed;
      const keep = (der: Buffer): Buffer => {
        this.keep(key, statuses[0]!, der, nowMs);
        return der;
      };
      return signed instanceof Promise ? signed.then(keep, (err: unknown) => this.failed(err)) : keep(signed);
    } catch (err) {
      return this.failed(err);
    }
  }

  private keep(key: string, status: OcspCertStatus, der: Buffer, producedMs: number): void {
    const thisUpdateMs = Math.min(status.checkedAt?.getTime() ?? producedMs, producedMs);
    const reuseUntilMs = Math.min(producedMs + this.preproducedMs, thisUpdateMs + this.validityMs);
    this.preproduced.delete(key);
    if (this.preproduced.size >= this.maxPreproduced) {
      const oldest = this.preproduced.keys().next();
      if (!oldest.done) this.preproduced.delete(oldest.value);
    }
    // A copy: the answer handed out may be written to a socket and must not alias the kept one.
    this.preproduced.set(key, { status, der: Buffer.from(der), producedMs, reuseUntilMs });
  }

  private build(request: OcspRequestInfo, statuses: OcspCertStatus[], nowMs: number): Buffer | Promise<Buffer> {
    const produced = this.times(nowMs).time;
    const singles = request.certIds.map((id, i) => {
      const status = statuses[i];
      const checked = status?.checkedAt?.getTime();
      const t = checked !== undefined && checked < nowMs ? this.times(checked) : this.times(nowMs);
      return sequence(id.der, certStatus(status), t.time, t.next);
    });
    const tbs = request.nonceValue
      ? sequence(
          this.responderId,
          produced,
          sequence(...singles),
          explicit(1, sequence(extension(OID.ocspNonce, false, request.nonceValue))),
        )
      : sequence(this.responderId, produced, sequence(...singles));
    if (this.signOnLoop) return this.wrap(tbs, signWith(this.key, this.alg, tbs));
    return signWithAsync(this.key, this.alg, tbs).then((sig) => this.wrap(tbs, sig));
  }

  private wrap(tbs: Buffer, sig: Buffer): Buffer {
    const signature = bitString(sig);
    const basic = this.certs
      ? sequence(tbs, this.alg.algorithmIdentifier, signature, this.certs)
      : sequence(tbs, this.alg.algorithmIdentifier, signature);
    return sequence(SUCCESS_PREFIX, explicit(0, sequence(BASIC_OID, tlv(TAG.OCTET_STRING, basic))));
  }
}

interface TimePair {
  second: number;
  time: Buffer;
  next: Buffer;
}

interface Preproduced {
  /** The lookup's status object the response was signed for (compared by reference). */
  status: OcspCertStatus;
  der: Buffer;
  producedMs: number;
  reuseUntilMs: number;
}

function certStatus(s: OcspCertStatus | undefined): Buffer {
  switch (s?.status) {
    case 'good':
      return GOOD;
    case 'unknown':
      return UNKNOWN;
    case 'revoked': {
      if (!(s.revokedAt instanceof Date) || Number.isNaN(s.revokedAt.getTime()))
        throw new PkiError(PkiErrorCode.InvalidArgument, 'revoked status without a valid revokedAt');
      const time = generalizedTime(s.revokedAt);
      if (s.reason === undefined || s.reason === 'unspecified') return tlv(0xa1, time);
      const code = CRL_REASON_CODES[s.reason];
      if (code === undefined) throw new PkiError(PkiErrorCode.InvalidArgument, `unknown revocation reason ${JSON.stringify(s.reason)}`);
      return tlv(0xa1, time, explicit(0, Buffer.from([TAG.ENUMERATED, 1, code])));
    }
    case undefined:
    default:
      throw new PkiError(PkiErrorCode.InvalidArgument, `lookup returned no valid status: ${JSON.stringify(s)}`);
  }
}
