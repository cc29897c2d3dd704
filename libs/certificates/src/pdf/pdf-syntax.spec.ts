import { describe, expect, it } from 'vitest';
import { Asn1Error, content, decodeOid, derOid, derOctetString, derSetOf, readTlv } from './asn1.util.js';
import { Budget, PdfDict, PdfName, PdfParser, PdfRef, PdfString, PdfSyntaxError, serialize, type PdfObject } from './pdf-syntax.js';
import { decodeTextString, encodeTextString, formatPdfDate, parsePdfDate } from './pdf-text.util.js';
import { formatIndonesianDateTime } from './signature-appearance.js';

function parse(text: string): PdfObject {
  const bytes = Buffer.from(text, 'latin1');
  return new PdfParser(text, bytes, new Budget(1_000_000), true).parseObject();
}

const str = (o: PdfObject) => Buffer.from((o as PdfString).bytes).toString('latin1');

describe('PDF object syntax', () => {
  it('literal strings: balanced parentheses, escapes, octal, line continuation, end-of-line as LF', () => {
    expect(str(parse('(a (b) c)'))).toBe('a (b) c');
    expect(str(parse('(\\(\\)\\\\\\n\\t\\101\\0537)'))).toBe('()\\\n\tA+7');
    expect(str(parse('(one\\\r\ntwo)'))).toBe('onetwo');
    expect(str(parse('(a\r\nb\rc)'))).toBe('a\nb\nc');
  });

  it('hex strings ignore white-space and pad an odd last digit', () => {
    const s = parse('<48 65 6c\n6C 6f 7>') as PdfString;
    expect(s.hex).toBe(true);
    expect(Buffer.from(s.bytes).toString('hex')).toBe('48656c6c6f70');
    expect(() => parse('<4g>')).toThrow(PdfSyntaxError);
  });

  it('names decode #xx; references are told from numbers', () => {
    expect(parse('/Lime#20Green')).toEqual(new PdfName('Lime Green'));
    expect(parse('[1 0 R 1 0 2 -3.5 .5 +7]')).toEqual([new PdfRef(1, 0), 1, 0, 2, -3.5, 0.5, 7]);
    expect(parse('[12 0 R/Next]')).toEqual([new PdfRef(12, 0), new PdfName('Next')]);
    expect(() => parse('[12 0 Rx]')).toThrow(PdfSyntaxError); // "Rx" is not the R keyword
  });

  it('dictionaries remember where each value sits', () => {
    const text = '<< /Type /Sig /Contents <00ff> /Nested << /A [1 2] >> >>';
    const d = parse(text) as PdfDict;
    expect(d.get('Type')).toEqual(new PdfName('Sig'));
    const [start, end] = d.spans!.get('Contents')!;
    expect(text.slice(start, end)).toBe('<00ff>');
    expect(((d.get('Nested') as PdfDict).get('A') as number[])[1]).toBe(2);
  });

  it('refuses runaway nesting and unterminated input with a syntax error', () => {
    expect(() => parse('['.repeat(100))).toThrow(PdfSyntaxError);
    expect(() => parse('<< /A (never closed')).toThrow(PdfSyntaxError);
    expect(() => parse('<< /A 1')).toThrow(PdfSyntaxError);
  });

  it('the work budget stops a parser that is made to look at too much', () => {
    const text = `(${'x'.repeat(5000)})`;
    expect(() => new PdfParser(text, Buffer.from(text), new Budget(100)).parseObject()).toThrow(/too complex/);
  });

  it('serializes what it parses back to an equal object', () => {
    const d = new PdfDict()
      .set('Name', new PdfName('A B/C'))
      .set('Lit', new PdfString(Buffer.from('(x)\\\n\u00ff', 'latin1')))
      .set('Hex', new PdfString(Uint8Array.of(0, 1, 254), true))
      .set('Arr', [1, 2.5, -0.125, true, false, null, new PdfRef(7, 1)])
      .set('Sub', new PdfDict().set('N', 1e-7));
    const text = serialize(d);
    expect(text).toContain('/A#20B#2fC');
    expect(text).toContain('/N 0'); // no exponent notation in a PDF
    const round = parse(text) as PdfDict;
    expect(serialize(round)).toBe(text);
    expect(str(round.get('Lit')!)).toBe('(x)\\\n\u00ff');
    expect((round.get('Arr') as PdfObject[])[6]).toEqual(new PdfRef(7, 1));
  });
});

describe('PDF text strings and dates', () => {
  it('ASCII stays literal; anything else becomes UTF-16BE with a BOM', () => {
    expect(encodeTextString('Kota Contoh').hex).toBe(false);
    const s = encodeTextString('Tanda tangan ✓ — Dra. Ni Luh Putu Ayu');
    expect(Array.from(s.bytes.subarray(0, 2))).toEqual([0xfe, 0xff]);
    expect(decodeTextString(s)).toBe('Tanda tangan ✓ — Dra. Ni Luh Putu Ayu');
    expect(decodeTextString(new PdfString(Uint8Array.of(0x80, 0x41)))).toBe('\u2022A'); // PDFDocEncoding
  });

  it('dates: written in UTC, read with the offsets and shortenings found in the wild', () => {
    const d = new Date('2026-01-05T07:03:09Z');
    expect(formatPdfDate(d)).toBe("D:20260105070309+00'00'");
    expect(parsePdfDate(formatPdfDate(d))?.toISOString()).toBe(d.toISOString());
    expect(parsePdfDate("D:20260105140309+07'00'")?.toISOString()).toBe(d.toISOString());
    expect(parsePdfDate("D:20260105140309+07'00")?.toISOString()).toBe(d.toISOString());
    expect(parsePdfDate('D:20260105070309Z')?.toISOString()).toBe(d.toISOString());
    expect(parsePdfDate('D:2026')?.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(parsePdfDate('kemarin')).toBeUndefined();
    expect(parsePdfDate('D:20261345')).toBeUndefined();
  });

  it('the visible signature states the time in WIB, WITA or WIT', () => {
    const d = new Date('2026-12-31T17:30:00Z');
    expect(formatIndonesianDateTime(d)).toBe('1 Januari 2027 00.30 WIB');
    expect(formatIndonesianDateTime(d, 'WITA')).toBe('1 Januari 2027 01.30 WITA');
    expect(formatIndonesianDateTime(d, 'WIT')).toBe('1 Januari 2027 02.30 WIT');
  });
});

describe('ASN.1 reader and writer', () => {
  it('reads indefinite-length BER and constructed OCTET STRINGs', () => {
    // SEQUENCE (indefinite) { OCTET STRING (constructed, indefinite) { "ab", "c" } }
    const ber = Uint8Array.of(0x30, 0x80, 0x24, 0x80, 0x04, 0x02, 0x61, 0x62, 0x04, 0x01, 0x63, 0x00, 0x00, 0x00, 0x00);
    const t = readTlv(ber);
    expect(t.end).toBe(ber.length);
    expect(t.children[0].children.map((c) => Buffer.from(content(c)).toString())).toEqual(['ab', 'c']);
  });

  it('refuses truncation, absurd lengths and runaway nesting', () => {
    expect(() => readTlv(Uint8Array.of(0x30, 0x05, 0x02, 0x01))).toThrow(Asn1Error);
    expect(() => readTlv(Uint8Array.of(0x04, 0x85, 1, 0, 0, 0, 0))).toThrow(Asn1Error);
    expect(() => readTlv(new Uint8Array(400).map((_, i) => (i % 2 === 0 ? 0x30 : 0x80)))).toThrow(/deeply/);
  });

  it('object identifiers round-trip; SET OF is sorted as DER requires', () => {
    for (const oid of ['1.2.840.113549.1.9.16.2.47', '2.16.840.1.101.3.4.2.1', '2.999.1'])
      expect(decodeOid(readTlv(derOid(oid)))).toBe(oid);
    const set = derSetOf([derOctetString(Uint8Array.of(2)), derOctetString(Uint8Array.of(1))]);
    expect(Array.from(set)).toEqual([0x31, 0x06, 0x04, 0x01, 0x01, 0x04, 0x01, 0x02]);
  });
});
