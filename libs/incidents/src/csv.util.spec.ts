import { describe, expect, it } from 'vitest';
import { csvCell, csvDocument, csvLine } from './csv.util.js';

describe('CSV', () => {
  it('quotes fields with commas, quotes and line breaks, doubling quotes', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('line1\nline2')).toBe('"line1\nline2"');
    expect(csvCell('cr\r')).toBe('"cr\r"');
    expect(csvCell('')).toBe('');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
  });

  it('neutralises cells a spreadsheet would run as formulas', () => {
    expect(csvCell('=HYPERLINK("http://evil","klik")')).toBe(`"'=HYPERLINK(""http://evil"",""klik"")"`);
    expect(csvCell('+62 812')).toBe("'+62 812");
    expect(csvCell('-1+1')).toBe("'-1+1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell('\r=1')).toBe(`"'\r=1"`);
    expect(csvCell('a=1')).toBe('a=1');
  });

  it('writes numbers, booleans and dates as values, lines with CRLF, and a BOM', () => {
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(true)).toBe('true');
    expect(csvCell(new Date('2026-03-02T02:00:00Z'))).toBe('2026-03-02T02:00:00.000Z');
    expect(csvLine(['a', 1, null])).toBe('a,1,\r\n');
    expect(csvDocument(['x', 'y'], [['1', '2']])).toBe('\uFEFFx,y\r\n1,2\r\n');
  });
});
