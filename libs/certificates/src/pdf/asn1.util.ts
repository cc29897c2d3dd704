/**
 * A small BER reader and DER writer, enough for CMS SignedData and X.509 fields. Written here rather
 * than taken from asn1js/pkijs because the verifier needs the exact bytes of what it reads (signed
 * attributes, certificates, names) and hard limits on what hostile input can make it do.
 */

export class Asn1Error extends Error {}

export interface Tlv {
  /** 0 universal, 1 application, 2 context-specific, 3 private. */
  cls: number;
  constructed: boolean;
  tagNo: number;
  /** Offset of the identifier octet; `end` is one past the last octet (end-of-contents included). */
  start: number;
  contentStart: number;
  contentEnd: number;
  end: number;
  children: Tlv[];
  /** The whole buffer the offsets point into. */
  buf: Uint8Array;
}

interface ReadState {
  nodes: number;
}

const MAX_DEPTH = 40;
const MAX_NODES = 200_000;

/** Parses one BER element (definite or indefinite length) at `offset`; children of constructed elements too. */
export function readTlv(buf: Uint8Array, offset = 0, limit = buf.length): Tlv {
  return read(buf, offset, limit, 0, { nodes: 0 });
}

function read(buf: Uint8Array, offset: number, limit: number, depth: number, st: ReadState): Tlv {
  if (depth > MAX_DEPTH) throw new Asn1Error('ASN.1 nested too deeply');
  if (++st.nodes > MAX_NODES) throw new Asn1Error('ASN.1 has too many elements');
  let p = offset;
  if (p >= limit) throw new Asn1Error('ASN.1 truncated (identifier)');
  const id = buf[p++];
  const cls = id >> 6;
  const constructed = (id & 0x20) !== 0;
  let tagNo = id & 0x1f;
  if (tagNo === 0x1f) {
    tagNo = 0;
    for (let i = 0; ; i++) {
      if (p >= limit || i >= 4) throw new Asn1Error('ASN.1 tag number too long');
      const b = buf[p++];
      tagNo = tagNo * 128 + (b & 0x7f);
      if ((b & 0x80) === 0) break;
    }
  }
  if (p >= limit) throw new Asn1Error('ASN.1 truncated (length)');
  const first = buf[p++];
  const children: Tlv[] = [];
  if (first === 0x80) {
    if (!constructed) throw new Asn1Error('ASN.1 indefinite length on a primitive');
    const contentStart = p;
    for (;;) {
      if (p + 2 > limit) throw new Asn1Error('ASN.1 truncated (missing end-of-contents)');
      if (buf[p] === 0 && buf[p + 1] === 0) break;
      const child = read(buf, p, limit, depth + 1, st);
      children.push(child);
      p = child.end;
    }
    return { cls, constructed, tagNo, start: offset, contentStart, contentEnd: p, end: p + 2, children, buf };
  }
  let len = first;
  if (first & 0x80) {
    const n = first & 0x7f;
    if (n > 4) throw new Asn1Error('ASN.1 length too large');
    len = 0;
    for (let i = 0; i < n; i++) {
      if (p >= limit) throw new Asn1Error('ASN.1 truncated (length)');
      len = len * 256 + buf[p++];
    }
  }
  const contentStart = p;
  const contentEnd = p + len;
  if (contentEnd > limit) throw new Asn1Error('ASN.1 truncated (content)');
  if (constructed) {
    let q = contentStart;
    while (q < contentEnd) {
      const child = read(buf, q, contentEnd, depth + 1, st);
      children.push(child);
      q = child.end;
    }
  }
  return { cls, constructed, tagNo, start: offset, contentStart, contentEnd, end: contentEnd, children, buf };
}

export const raw = (t: Tlv): Uint8Array => t.buf.subarray(t.start, t.end);
export const content = (t: Tlv): Uint8Array => t.buf.subarray(t.contentStart, t.contentEnd);

export const isUniversal = (t: Tlv | undefined, tagNo: number): t is Tlv => !!t && t.cls === 0 && t.tagNo === tagNo;
export const isContext = (t: Tlv | undefined, tagNo: number): t is Tlv => !!t && t.cls === 2 && t.tagNo === tagNo;

export const TAG = {
  INTEGER: 2,
  BIT_STRING: 3,
  OCTET_STRING: 4,
  NULL: 5,
  OID: 6,
  UTF8: 12,
  SEQUENCE: 16,
  SET: 17,
  PRINTABLE: 19,
  T61: 20,
  IA5: 22,
  UTC_TIME: 23,
  GENERALIZED_TIME: 24,
  UNIVERSAL: 28,
  BMP: 30,
} as const;

export function expectTag(t: Tlv | undefined, tagNo: number, what: string): Tlv {
  if (!isUniversal(t, tagNo)) throw new Asn1Error(`ASN.1: expected ${what}`);
  return t;
}

/** The octets of an OCTET STRING, also in its BER constructed (chunked) form. */
export function octets(t: Tlv): Uint8Array {
  if (!t.constructed) return content(t);
  return concat(t.children.map(octets));
}

export function decodeOid(t: Tlv): string {
  const b = content(expectTag(t, TAG.OID, 'OBJECT IDENTIFIER'));
  if (b.length === 0 || b.length > 64) throw new Asn1Error('ASN.1: bad OBJECT IDENTIFIER');
  const parts: number[] = [];
  let v = 0;
  for (const byte of b) {
    v = v * 128 + (byte & 0x7f);
    if (v > Number.MAX_SAFE_INTEGER / 256) throw new Asn1Error('ASN.1: OBJECT IDENTIFIER arc too large');
    if ((byte & 0x80) === 0) {
      if (parts.length === 0) {
        const first = v < 80 ? Math.floor(v / 40) : 2;
        parts.push(first, v - first * 40);
      } else parts.push(v);
      v = 0;
    }
  }
  return parts.join('.');
}

/** UTCTime / GeneralizedTime (the DER forms CMS uses, plus fractional seconds and offsets). */
export function decodeTime(t: Tlv): Date | undefined {
  if (t.cls !== 0 || (t.tagNo !== TAG.UTC_TIME && t.tagNo !== TAG.GENERALIZED_TIME)) return undefined;
  const s = Buffer.from(content(t)).toString('latin1');
  const m =
    t.tagNo === TAG.UTC_TIME
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(Z|[+-]\d{4})$/.exec(s)
      : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})?(\d{2})?(?:[.,]\d{1,9})?(Z|[+-]\d{4})?$/.exec(s);
  if (!m) return undefined;
  let year = Number(m[1]);
  if (t.tagNo === TAG.UTC_TIME) year += year < 50 ? 2000 : 1900;
  const frac = /[.,](\d{1,9})/.exec(s);
  const ms = frac ? Math.floor(Number(`0.${frac[1]}`) * 1000) : 0;
  let time = Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5] ?? 0), Number(m[6] ?? 0), ms);
  const zone = m[7];
  if (zone && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    time -= sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5))) * 60_000;
  }
  const d = new Date(time);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** Text of a DirectoryString or IA5String/PrintableString value. */
export function decodeString(t: Tlv): string | undefined {
  if (t.cls !== 0) return undefined;
  const b = content(t);
  switch (t.tagNo) {
    case TAG.UTF8:
      return Buffer.from(b).toString('utf8');
    case TAG.PRINTABLE:
    case TAG.IA5:
    case TAG.T61:
      return Buffer.from(b).toString('latin1');
    case TAG.BMP: {
      let s = '';
      for (let i = 0; i + 1 < b.length; i += 2) s += String.fromCharCode((b[i] << 8) | b[i + 1]);
      return s;
    }
    case TAG.UNIVERSAL: {
      let s = '';
      for (let i = 0; i + 3 < b.length; i += 4)
        s += String.fromCodePoint(((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0);
      return s;
    }
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------- DER writer

export function concat(parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function lengthOctets(n: number): Uint8Array {
  if (n < 0x80) return Uint8Array.of(n);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

/** One DER element: identifier octet, definite length, contents. */
export function der(identifier: number, ...contents: Uint8Array[]): Uint8Array {
  const body = concat(contents);
  return concat([Uint8Array.of(identifier), lengthOctets(body.length), body]);
}

export const derSequence = (...c: Uint8Array[]) => der(0x30, ...c);
export const derOctetString = (b: Uint8Array) => der(0x04, b);
export const derNull = () => Uint8Array.of(0x05, 0x00);
export const derInteger = (n: number) => der(0x02, n < 0x80 ? Uint8Array.of(n) : Uint8Array.of(n >> 8, n & 0xff));
/** [n] constructed, context-specific (EXPLICIT wrapper or IMPLICIT constructed type). */
export const derContext = (n: number, ...c: Uint8Array[]) => der(0xa0 | n, ...c);

/** A DER SET OF: elements sorted by their encodings, as X.690 11.6 requires. */
export function derSetOf(elements: Uint8Array[]): Uint8Array {
  const sorted = [...elements].sort(compareBytes);
  return der(0x31, ...sorted);
}

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && compareBytes(a, b) === 0;
}

export function derOid(oid: string): Uint8Array {
  const arcs = oid.split('.').map(Number);
  const out: number[] = [];
  const push = (v: number) => {
    const stack = [v & 0x7f];
    for (let x = Math.floor(v / 128); x > 0; x = Math.floor(x / 128)) stack.unshift((x & 0x7f) | 0x80);
    out.push(...stack);
  };
  push(arcs[0] * 40 + arcs[1]);
  for (const a of arcs.slice(2)) push(a);
  return der(0x06, Uint8Array.from(out));
}

/** AlgorithmIdentifier; `withNull` for the RSA family, whose parameters are an explicit NULL. */
export const derAlgorithm = (oid: string, withNull = false) => (withNull ? derSequence(derOid(oid), derNull()) : derSequence(derOid(oid)));
