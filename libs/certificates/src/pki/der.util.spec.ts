import { describe, expect, it } from 'vitest';
import {
  DerError,
  TAG,
  bitStringBytes,
  children,
  decodeOid,
  decodeSmallInteger,
  decodeString,
  decodeTime,
  encodeOidContent,
  enumerated,
  generalizedTime,
  headerLength,
  integer,
  integerHex,
  isOid,
  oid,
  readRoot,
  readTlv,
  sequence,
  setOf,
  tlv,
  truncateToSecond,
  unsignedInteger,
  utcTime,
  writeX509Time,
  x509Time,
  x509TimeLength,
} from './der.util.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('DER encoding', () => {
  it('writes short and long lengths', () => {
    for (const len of [0, 1, 127, 128, 255, 256, 65_535, 65_536, 16_777_216]) {
      const el = tlv(TAG.OCTET_STRING, Buffer.alloc(len));
      expect(el.length).toBe(headerLength(len) + len);
      const t = readTlv(el, 0);
      expect(t.end - t.contentStart).toBe(len);
      expect(t.end).toBe(el.length);
    }
    expect(hex(tlv(TAG.OCTET_STRING, Buffer.alloc(128)).subarray(0, 3))).toBe('048180');
    expect(hex(tlv(TAG.OCTET_STRING, Buffer.alloc(256)).subarray(0, 4))).toBe('04820100');
  });

  it('encodes INTEGERs minimally, positive with a 0x00 before a set top bit', () => {
    expect(hex(integer(0))).toBe('020100');
    expect(hex(integer(127))).toBe('02017f');
    expect(hex(integer(128))).toBe('02020080');
    expect(hex(integer(256))).toBe('02020100');
    expect(hex(integer(2n ** 64n))).toBe('0209010000000000000000');
    expect(hex(unsignedInteger(Buffer.from('0000ff', 'hex')))).toBe('020200ff');
    expect(hex(unsignedInteger(Buffer.alloc(0)))).toBe('020100');
    expect(hex(enumerated(10))).toBe('0a010a');
    expect(() => integer(-1)).toThrow(RangeError);
  });

  it('encodes OIDs (cached) and refuses malformed ones', () => {
    expect(hex(oid('1.2.840.113549.1.1.11'))).toBe('06092a864886f70d01010b');
    expect(hex(oid('2.5.29.37.0'))).toBe('0604551d2500');
    expect(hex(oid('2.999.3'))).toBe('0603883703');
    expect(oid('2.5.29.15')).toBe(oid('2.5.29.15'));
    for (const bad of ['', '1', '3.1', '1.40', '1.2.', '1..2', '1.02']) expect(() => encodeOidContent(bad)).toThrow(RangeError);
  });

  it('writes UTCTime through 2049 and GeneralizedTime from 2050 (RFC 5280 §4.1.2.5)', () => {
    const d2049 = new Date(Date.UTC(2049, 11, 31, 23, 59, 59));
    const d2050 = new Date(Date.UTC(2050, 0, 1, 0, 0, 0));
    expect(x509Time(d2049).toString('latin1', 2)).toBe('491231235959Z');
    expect(x509Time(d2049)[0]).toBe(TAG.UTC_TIME);
    expect(x509Time(d2050).toString('latin1', 2)).toBe('20500101000000Z');
    expect(x509Time(d2050)[0]).toBe(TAG.GENERALIZED_TIME);
    expect(generalizedTime(new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 999))).toString('latin1', 2)).toBe('20260102030405Z');
    expect(() => utcTime(d2050)).toThrow(RangeError);
    expect(x509TimeLength(d2049)).toBe(15);
    expect(x509TimeLength(d2050)).toBe(17);
  });

  it('writeX509Time writes the same bytes as x509Time', () => {
    for (const d of [
      new Date(Date.UTC(1950, 0, 1)),
      new Date(Date.UTC(2026, 5, 30, 12, 0, 7)),
      new Date(Date.UTC(2049, 11, 31, 23, 59, 59)),
      new Date(Date.UTC(2050, 0, 1)),
      new Date(Date.UTC(9999, 11, 31)),
    ]) {
      const buf = Buffer.alloc(17);
      const end = writeX509Time(buf, 0, d);
      expect(hex(buf.subarray(0, end))).toBe(hex(x509Time(d)));
    }
  });

  it('sorts SET OF elements', () => {
    expect(hex(setOf(Buffer.from([2, 1, 9]), Buffer.from([2, 1, 1])))).toBe('3106020101020109');
  });

  it('truncates to the second', () => {
    expect(truncateToSecond(new Date(1_700_000_000_999)).getTime()).toBe(1_700_000_000_000);
  });
});

describe('DER reading', () => {
  it('walks nested structures', () => {
    const der = sequence(integer(5), sequence(oid('1.2.3'), Buffer.from([TAG.NULL, 0])));
    const root = readRoot(der);
    const [a, b] = children(der, root);
    expect(decodeSmallInteger(der, a!)).toBe(5);
    const [o] = children(der, b!);
    expect(decodeOid(der, o!)).toBe('1.2.3');
    expect(isOid(der, o!, oid('1.2.3'))).toBe(true);
    expect(isOid(der, o!, oid('1.2.4'))).toBe(false);
  });

  it('decodes OIDs with large arcs and the 2.x first arc', () => {
    for (const o of [
      '1.2.840.113549.1.9.14',
      '2.999.3',
      '0.9.2342.19200300.100.1.25',
      '1.3.6.1.4.1.311.10.3.12',
      '2.25.329800735698586629295641978511506172918',
    ]) {
      expect(decodeOid(oid(o), readRoot(oid(o), TAG.OID))).toBe(o);
    }
  });

  it('refuses truncated, indefinite, overrunning, high-tag and trailing encodings', () => {
    const good = sequence(integer(1), integer(2));
    const cases: Array<[string, Buffer]> = [
      ['truncated', good.subarray(0, good.length - 1)],
      ['empty', Buffer.alloc(0)],
      ['one byte', Buffer.from([0x30])],
      ['indefinite length', Buffer.from([0x30, 0x80, 0x02, 0x01, 0x01, 0x00, 0x00])],
      ['length overruns', Buffer.from([0x30, 0x05, 0x02, 0x01, 0x01])],
      ['length of length overruns', Buffer.from([0x30, 0x84, 0x00])],
      ['five-byte length', Buffer.from([0x30, 0x85, 0, 0, 0, 0, 1, 0])],
      ['high tag number', Buffer.from([0x1f, 0x81, 0x01, 0x00])],
      ['trailing bytes', Buffer.concat([good, Buffer.from([0])])],
    ];
    for (const [name, bytes] of cases) expect(() => readRoot(bytes), name).toThrow(DerError);
    // A child that overruns its parent.
    const lying = Buffer.from([0x30, 0x03, 0x02, 0x05, 0x01]);
    expect(() => children(lying, readRoot(lying))).toThrow(DerError);
    expect(() => decodeOid(Buffer.from([6, 2, 0x2a, 0x86]), readRoot(Buffer.from([6, 2, 0x2a, 0x86]), TAG.OID))).toThrow(DerError);
  });

  it('prints INTEGERs as lowercase hex without leading zeros', () => {
    const read = (b: Buffer) => integerHex(b, readRoot(b, TAG.INTEGER));
    expect(read(Buffer.from('0203 00ff01'.replace(' ', ''), 'hex'))).toBe('ff01');
    expect(read(Buffer.from('020100', 'hex'))).toBe('0');
    expect(read(Buffer.from('0201 0f'.replace(' ', ''), 'hex'))).toBe('f');
    expect(read(Buffer.from('02020abc', 'hex'))).toBe('abc');
    expect(read(Buffer.from('02040000abcd', 'hex'))).toBe('abcd'); // non-minimal, still read
    expect(read(Buffer.from('0201ff', 'hex'))).toBe('-1');
    expect(read(Buffer.from('02028000', 'hex'))).toBe('-8000');
    expect(() => read(Buffer.from('0200', 'hex'))).toThrow(DerError);
  });

  it('reads times, refusing impossible dates and missing Z', () => {
    const t = (tag: number, s: string) => {
      const b = tlv(tag, Buffer.from(s, 'latin1'));
      return decodeTime(b, readRoot(b, tag));
    };
    expect(t(TAG.UTC_TIME, '491231235959Z').toISOString()).toBe('2049-12-31T23:59:59.000Z');
    expect(t(TAG.UTC_TIME, '500101000000Z').toISOString()).toBe('1950-01-01T00:00:00.000Z');
    expect(t(TAG.UTC_TIME, '2601020304Z').toISOString()).toBe('2026-01-02T03:04:00.000Z');
    expect(t(TAG.GENERALIZED_TIME, '20500101000000Z').toISOString()).toBe('2050-01-01T00:00:00.000Z');
    expect(t(TAG.GENERALIZED_TIME, '20260102030405.123Z').toISOString()).toBe('2026-01-02T03:04:05.000Z');
    for (const bad of ['260230000000Z', '261301000000Z', '260101000000', '2601010000+0700', 'abcdefghijklZ'])
      expect(() => t(TAG.UTC_TIME, bad), bad).toThrow(DerError);
    expect(() => t(TAG.OCTET_STRING, '260101000000Z')).toThrow(DerError);
  });

  it('reads directory strings of every type', () => {
    const s = (tag: number, bytes: Buffer) => {
      const b = tlv(tag, bytes);
      return decodeString(b, readRoot(b, tag));
    };
    expect(s(TAG.UTF8_STRING, Buffer.from('Dinas Komunikasi dan Informatika — Persandian', 'utf8'))).toBe(
      'Dinas Komunikasi dan Informatika — Persandian',
    );
    expect(s(TAG.PRINTABLE_STRING, Buffer.from('ID'))).toBe('ID');
    expect(s(TAG.IA5_STRING, Buffer.from('a@b.id'))).toBe('a@b.id');
    const bmp = Buffer.from('Ŝandi', 'utf16le');
    bmp.swap16();
    expect(s(TAG.BMP_STRING, bmp)).toBe('Ŝandi');
    const uni = Buffer.alloc(8);
    uni.writeUInt32BE(0x1f510, 0);
    uni.writeUInt32BE(0x41, 4);
    expect(s(TAG.UNIVERSAL_STRING, uni)).toBe('\u{1f510}A');
    expect(() => s(TAG.BMP_STRING, Buffer.from([0]))).toThrow(DerError);
    expect(() => s(TAG.INTEGER, Buffer.from([1]))).toThrow(DerError);
  });

  it('reads BIT STRINGs and checks their padding byte', () => {
    const ok = Buffer.from('03020780', 'hex');
    expect(bitStringBytes(ok, readRoot(ok, TAG.BIT_STRING))).toEqual({ bytes: Buffer.from([0x80]), unusedBits: 7 });
    for (const bad of ['0300', '030108', '030107']) {
      const b = Buffer.from(bad, 'hex');
      expect(() => bitStringBytes(b, readRoot(b, TAG.BIT_STRING)), bad).toThrow(DerError);
    }
  });
});
