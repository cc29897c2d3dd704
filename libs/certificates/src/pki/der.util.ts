/**
 * A small DER encoder and a bounds-checked DER reader: enough ASN.1 for X.509, PKCS#8, PKCS#10,
 * CRLs and OCSP. Hand-written because the hot paths (CRL with 100 000 entries, OCSP) must not
 * build an object per element, and because it lets us control the exact bytes we sign.
 *
 * The reader is strict about structure (definite lengths that fit their parent, low tag numbers,
 * known string types) and lenient about minimality (non-minimal INTEGERs and lengths are read as
 * their value), as real-world certificates sometimes need.
 */

/** Raised by the reader; callers translate it into the PkiError code of what they were parsing. */
export class DerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DerError';
  }
}

export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  ENUMERATED: 0x0a,
  UTF8_STRING: 0x0c,
  NUMERIC_STRING: 0x12,
  PRINTABLE_STRING: 0x13,
  T61_STRING: 0x14,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  VISIBLE_STRING: 0x1a,
  UNIVERSAL_STRING: 0x1c,
  BMP_STRING: 0x1e,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

// ---------------------------------------------------------------------------------------------
// Encoding

/** Bytes taken by a tag (one byte) plus the DER length of `len`. */
export function headerLength(len: number): number {
  if (len < 0x80) return 2;
  if (len < 0x100) return 3;
  if (len < 0x10000) return 4;
  if (len < 0x1000000) return 5;
  return 6;
}

/** Writes tag + DER length at `off`; returns the offset after the header. */
export function writeHeader(buf: Buffer, off: number, tag: number, len: number): number {
  buf[off++] = tag;
  if (len < 0x80) {
    buf[off++] = len;
  } else if (len < 0x100) {
    buf[off++] = 0x81;
    buf[off++] = len;
  } else if (len < 0x10000) {
    buf[off++] = 0x82;
    buf[off++] = len >>> 8;
    buf[off++] = len & 0xff;
  } else if (len < 0x1000000) {
    buf[off++] = 0x83;
    buf[off++] = len >>> 16;
    buf[off++] = (len >>> 8) & 0xff;
    buf[off++] = len & 0xff;
  } else {
    buf[off++] = 0x84;
    buf[off++] = len >>> 24;
    buf[off++] = (len >>> 16) & 0xff;
    buf[off++] = (len >>> 8) & 0xff;
    buf[off++] = len & 0xff;
  }
  return off;
}

/** One TLV around the concatenation of `parts`, in a single allocation. */
export function tlv(tag: number, ...parts: readonly Uint8Array[]): Buffer {
  let len = 0;
  for (const p of parts) len += p.length;
  const out = Buffer.allocUnsafe(headerLength(len) + len);
  let off = writeHeader(out, 0, tag, len);
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

export const sequence = (...parts: readonly Uint8Array[]): Buffer => tlv(TAG.SEQUENCE, ...parts);

/** SET OF in DER order (elements sorted by their encodings). */
export const setOf = (...parts: readonly Uint8Array[]): Buffer => tlv(TAG.SET, ...[...parts].sort(Buffer.compare));

/** [n] EXPLICIT (constructed context tag). */
export const explicit = (n: number, ...parts: readonly Uint8Array[]): Buffer => tlv(0xa0 | n, ...parts);

/** [n] IMPLICIT over a primitive value (contents given). */
export const implicitPrimitive = (n: number, content: Uint8Array): Buffer => tlv(0x80 | n, content);

export const DER_NULL: Buffer = Buffer.from([TAG.NULL, 0]);
export const DER_TRUE: Buffer = Buffer.from([TAG.BOOLEAN, 1, 0xff]);

export const octetString = (content: Uint8Array): Buffer => tlv(TAG.OCTET_STRING, content);
export const bitString = (content: Uint8Array, unusedBits = 0): Buffer => tlv(TAG.BIT_STRING, Buffer.from([unusedBits]), content);
export const utf8String = (s: string): Buffer => tlv(TAG.UTF8_STRING, Buffer.from(s, 'utf8'));
export const printableString = (s: string): Buffer => tlv(TAG.PRINTABLE_STRING, Buffer.from(s, 'latin1'));
export const ia5String = (s: string): Buffer => tlv(TAG.IA5_STRING, Buffer.from(s, 'latin1'));

/** INTEGER from an unsigned big-endian magnitude (leading zeros dropped, a 0x00 added when the top bit is set). */
export function unsignedInteger(magnitude: Uint8Array): Buffer {
  let i = 0;
  while (i < magnitude.length - 1 && magnitude[i] === 0) i++;
  const m = magnitude.subarray(i);
  if (m.length === 0) return Buffer.from([TAG.INTEGER, 1, 0]);
  return (m[0]! & 0x80) !== 0 ? tlv(TAG.INTEGER, Buffer.from([0]), m) : tlv(TAG.INTEGER, m);
}

/** INTEGER of a non-negative number or bigint. */
export function integer(value: number | bigint): Buffer {
  const v = BigInt(value);
  if (v < 0n) throw new RangeError('negative INTEGER not supported');
  return unsignedInteger(hexToBytes(v.toString(16)));
}

export function enumerated(value: number): Buffer {
  return tlv(TAG.ENUMERATED, integer(value).subarray(2));
}

const oidCache = new Map<string, Buffer>();

/** OBJECT IDENTIFIER from dotted form; encodings are cached (we use a few dozen). */
export function oid(dotted: string): Buffer {
  let cached = oidCache.get(dotted);
  if (!cached) {
    cached = tlv(TAG.OID, encodeOidContent(dotted));
    oidCache.set(dotted, cached);
  }
  return cached;
}

export function encodeOidContent(dotted: string): Buffer {
  if (!/^[0-2](\.(0|[1-9]\d*))+$/.test(dotted)) throw new RangeError(`invalid OID ${dotted}`);
  const arcs = dotted.split('.').map((a) => BigInt(a));
  if (arcs[0]! < 2n && arcs[1]! > 39n) throw new RangeError(`invalid OID ${dotted}`);
  const out: number[] = [];
  const push = (v: bigint) => {
    const bytes: number[] = [Number(v & 0x7fn)];
    v >>= 7n;
    while (v > 0n) {
      bytes.unshift(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    out.push(...bytes);
  };
  push(arcs[0]! * 40n + arcs[1]!);
  for (const a of arcs.slice(2)) push(a);
  return Buffer.from(out);
}

/** AlgorithmIdentifier with optional parameters. */
export const algorithmIdentifier = (algorithm: string, params?: Uint8Array): Buffer =>
  params ? sequence(oid(algorithm), params) : sequence(oid(algorithm));

/** Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING } */
export function extension(id: string, critical: boolean, value: Uint8Array): Buffer {
  return critical ? sequence(oid(id), DER_TRUE, octetString(value)) : sequence(oid(id), octetString(value));
}

/** Hex (any case, optional colons, even or odd length) to bytes. */
export function hexToBytes(hex: string): Buffer {
  const h = hex.length % 2 === 1 ? `0${hex}` : hex;
  return Buffer.from(h, 'hex');
}

function two(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** UTCTime (YYMMDDHHMMSSZ) — only for years 1950–2049. */
export function utcTime(d: Date): Buffer {
  const y = d.getUTCFullYear();
  if (y < 1950 || y > 2049) throw new RangeError('UTCTime covers 1950–2049 only');
  return tlv(TAG.UTC_TIME, Buffer.from(two(y % 100) + timeTail(d), 'latin1'));
}

/** GeneralizedTime (YYYYMMDDHHMMSSZ, no fraction). */
export function generalizedTime(d: Date): Buffer {
  const y = d.getUTCFullYear();
  if (y < 0 || y > 9999) throw new RangeError('year out of range');
  return tlv(TAG.GENERALIZED_TIME, Buffer.from(String(y).padStart(4, '0') + timeTail(d), 'latin1'));
}

function timeTail(d: Date): string {
  return `${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}${two(d.getUTCHours())}${two(d.getUTCMinutes())}${two(d.getUTCSeconds())}Z`;
}

/** RFC 5280 Time: UTCTime through 2049, GeneralizedTime from 2050. */
export function x509Time(d: Date): Buffer {
  const y = d.getUTCFullYear();
  return y >= 1950 && y <= 2049 ? utcTime(d) : generalizedTime(d);
}

/** Bytes `x509Time` writes for this date (15 for UTCTime, 17 for GeneralizedTime). */
export function x509TimeLength(d: Date): number {
  const y = d.getUTCFullYear();
  return y >= 1950 && y <= 2049 ? 15 : 17;
}

/**
 * Writes `x509Time(d)` into `buf` at `off` without intermediate strings (the CRL hot loop).
 * Returns the offset after it.
 */
export function writeX509Time(buf: Buffer, off: number, d: Date): number {
  const y = d.getUTCFullYear();
  if (y >= 1950 && y <= 2049) {
    buf[off++] = TAG.UTC_TIME;
    buf[off++] = 13;
    off = writeTwo(buf, off, y % 100);
  } else {
    if (y < 0 || y > 9999) throw new RangeError('year out of range');
    buf[off++] = TAG.GENERALIZED_TIME;
    buf[off++] = 15;
    off = writeTwo(buf, off, Math.floor(y / 100));
    off = writeTwo(buf, off, y % 100);
  }
  off = writeTwo(buf, off, d.getUTCMonth() + 1);
  off = writeTwo(buf, off, d.getUTCDate());
  off = writeTwo(buf, off, d.getUTCHours());
  off = writeTwo(buf, off, d.getUTCMinutes());
  off = writeTwo(buf, off, d.getUTCSeconds());
  buf[off++] = 0x5a; // 'Z'
  return off;
}

function writeTwo(buf: Buffer, off: number, n: number): number {
  buf[off] = 0x30 + Math.floor(n / 10);
  buf[off + 1] = 0x30 + (n % 10);
  return off + 2;
}

/** Second precision, as encoded: what a caller gets back after a round trip. */
export function truncateToSecond(d: Date): Date {
  return new Date(Math.floor(d.getTime() / 1000) * 1000);
}

// ---------------------------------------------------------------------------------------------
// Decoding

/** One element: `start` is the tag's offset, contents are [contentStart, end). */
export interface Tlv {
  readonly tag: number;
  readonly start: number;
  readonly contentStart: number;
  readonly end: number;
}

/** Reads the element at `pos`, which must end at or before `limit`. */
export function readTlv(buf: Uint8Array, pos: number, limit: number = buf.length): Tlv {
  if (pos + 2 > limit) throw new DerError('truncated element');
  const tag = buf[pos]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError('high tag numbers are not supported');
  let len = buf[pos + 1]!;
  let p = pos + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0) throw new DerError('indefinite length is not DER');
    if (n > 4) throw new DerError('length too large');
    if (p + n > limit) throw new DerError('truncated length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[p + i]!;
    p += n;
  }
  if (p + len > limit) throw new DerError('element overruns its container');
  return { tag, start: pos, contentStart: p, end: p + len };
}

/** Reads the one element that must fill `buf` exactly. */
export function readRoot(buf: Uint8Array, tag: number = TAG.SEQUENCE): Tlv {
  const t = readTlv(buf, 0, buf.length);
  if (t.end !== buf.length) throw new DerError('trailing bytes after the element');
  return expectTag(t, tag, 'top-level element');
}

/** The direct children of a constructed element. */
export function children(buf: Uint8Array, parent: Tlv): Tlv[] {
  if ((parent.tag & 0x20) === 0) throw new DerError('primitive element has no children');
  const out: Tlv[] = [];
  let p = parent.contentStart;
  while (p < parent.end) {
    const t = readTlv(buf, p, parent.end);
    out.push(t);
    p = t.end;
  }
  return out;
}

export function expectTag(t: Tlv | undefined, tag: number, what: string): Tlv {
  if (!t) throw new DerError(`${what} missing`);
  if (t.tag !== tag) throw new DerError(`${what}: expected tag 0x${tag.toString(16)}, found 0x${t.tag.toString(16)}`);
  return t;
}

export function contentOf(buf: Buffer, t: Tlv): Buffer {
  return buf.subarray(t.contentStart, t.end);
}

/** The whole encoding (tag, length and contents). */
export function bytesOf(buf: Buffer, t: Tlv): Buffer {
  return buf.subarray(t.start, t.end);
}

export function decodeOid(buf: Uint8Array, t: Tlv): string {
  expectTag(t, TAG.OID, 'OBJECT IDENTIFIER');
  if (t.end === t.contentStart) throw new DerError('empty OID');
  const arcs: string[] = [];
  let v = 0n;
  let first = true;
  for (let i = t.contentStart; i < t.end; i++) {
    const b = buf[i]!;
    if (v === 0n && b === 0x80) throw new DerError('non-minimal OID arc');
    v = (v << 7n) | BigInt(b & 0x7f);
    if ((b & 0x80) === 0) {
      if (first) {
        const a = v < 40n ? 0n : v < 80n ? 1n : 2n;
        arcs.push(String(a), String(v - a * 40n));
        first = false;
      } else {
        arcs.push(String(v));
      }
      v = 0n;
    } else if (i === t.end - 1) {
      throw new DerError('truncated OID');
    }
  }
  return arcs.join('.');
}

/** True when the element is exactly this OID (no string building: the OCSP/CSR fast path). */
export function isOid(buf: Uint8Array, t: Tlv, encoded: Buffer): boolean {
  if (t.end - t.start !== encoded.length) return false;
  for (let i = 0; i < encoded.length; i++) if (buf[t.start + i] !== encoded[i]) return false;
  return true;
}

/**
 * INTEGER as lowercase hex with no leading zeros ("0" for zero); negative values get a "-" and
 * their magnitude. This is the serial number form used everywhere in the PKI core.
 */
export function integerHex(buf: Buffer, t: Tlv): string {
  expectTag(t, TAG.INTEGER, 'INTEGER');
  const c = buf.subarray(t.contentStart, t.end);
  if (c.length === 0) throw new DerError('empty INTEGER');
  if ((c[0]! & 0x80) !== 0) {
    const n = BigInt(`0x${c.toString('hex')}`) - (1n << BigInt(c.length * 8));
    return `-${(-n).toString(16)}`;
  }
  let i = 0;
  while (i < c.length && c[i] === 0) i++;
  if (i === c.length) return '0';
  const hex = c.toString('hex', i);
  return hex.charCodeAt(0) === 0x30 ? hex.slice(1) : hex;
}

export function decodeSmallInteger(buf: Buffer, t: Tlv, tag: number = TAG.INTEGER): number {
  expectTag(t, tag, tag === TAG.ENUMERATED ? 'ENUMERATED' : 'INTEGER');
  const len = t.end - t.contentStart;
  if (len === 0 || len > 6) throw new DerError('integer out of range');
  if ((buf[t.contentStart]! & 0x80) !== 0) throw new DerError('negative integer not expected');
  let v = 0;
  for (let i = t.contentStart; i < t.end; i++) v = v * 256 + buf[i]!;
  return v;
}

export function decodeBoolean(buf: Buffer, t: Tlv): boolean {
  expectTag(t, TAG.BOOLEAN, 'BOOLEAN');
  if (t.end - t.contentStart !== 1) throw new DerError('BOOLEAN must be one byte');
  return buf[t.contentStart] !== 0;
}

/** BIT STRING contents without the unused-bits byte. */
export function bitStringBytes(buf: Buffer, t: Tlv): { bytes: Buffer; unusedBits: number } {
  expectTag(t, TAG.BIT_STRING, 'BIT STRING');
  if (t.end === t.contentStart) throw new DerError('empty BIT STRING');
  const unusedBits = buf[t.contentStart]!;
  if (unusedBits > 7 || (unusedBits > 0 && t.end - t.contentStart === 1)) throw new DerError('bad BIT STRING padding');
  return { bytes: buf.subarray(t.contentStart + 1, t.end), unusedBits };
}

/** UTCTime or GeneralizedTime (with Z; GeneralizedTime may carry a fraction). */
export function decodeTime(buf: Buffer, t: Tlv): Date {
  const s = buf.toString('latin1', t.contentStart, t.end);
  let m: RegExpExecArray | null;
  let year: number;
  let rest: string[];
  if (t.tag === TAG.UTC_TIME) {
    m = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?Z$/.exec(s);
    if (!m) throw new DerError(`bad UTCTime ${JSON.stringify(s)}`);
    const yy = Number(m[1]);
    year = yy >= 50 ? 1900 + yy : 2000 + yy;
    rest = m.slice(2, 7).map((x) => x ?? '00');
  } else if (t.tag === TAG.GENERALIZED_TIME) {
    m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\.\d+)?Z$/.exec(s);
    if (!m) throw new DerError(`bad GeneralizedTime ${JSON.stringify(s)}`);
    year = Number(m[1]);
    rest = m.slice(2, 7) as string[];
  } else {
    throw new DerError('expected a time');
  }
  const [mo, d, h, mi, se] = rest.map(Number) as [number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 59) throw new DerError(`time out of range ${JSON.stringify(s)}`);
  const date = new Date(Date.UTC(year, mo - 1, d, h, mi, se));
  if (date.getUTCDate() !== d) throw new DerError(`no such day ${JSON.stringify(s)}`);
  return date;
}

/** Directory string types and IA5 as text. */
export function decodeString(buf: Buffer, t: Tlv): string {
  switch (t.tag) {
    case TAG.UTF8_STRING:
      return buf.toString('utf8', t.contentStart, t.end);
    case TAG.PRINTABLE_STRING:
    case TAG.IA5_STRING:
    case TAG.VISIBLE_STRING:
    case TAG.NUMERIC_STRING:
    case TAG.T61_STRING:
      return buf.toString('latin1', t.contentStart, t.end);
    case TAG.BMP_STRING: {
      const c = buf.subarray(t.contentStart, t.end);
      if (c.length % 2) throw new DerError('odd BMPString');
      const swapped = Buffer.from(c);
      swapped.swap16();
      return swapped.toString('utf16le');
    }
    case TAG.UNIVERSAL_STRING: {
      const c = buf.subarray(t.contentStart, t.end);
      if (c.length % 4) throw new DerError('bad UniversalString');
      let s = '';
      for (let i = 0; i < c.length; i += 4) s += String.fromCodePoint(c.readUInt32BE(i));
      return s;
    }
    default:
      throw new DerError(`not a string (tag 0x${t.tag.toString(16)})`);
  }
}

/** Wraps a Uint8Array as a Buffer without copying. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
