import { describe, expect, it } from 'vitest';
import { declaredContentType, FALLBACK_FILE_NAME, FILE_NAME_MAX, sanitiseFileName } from './evidence.policy.js';

describe('evidence policy', () => {
  it('keeps ordinary names, including non-Latin ones', () => {
    expect(sanitiseFileName('tangkapan layar deface.png')).toBe('tangkapan layar deface.png');
    expect(sanitiseFileName('laporan_insiden (1).pdf')).toBe('laporan_insiden (1).pdf');
    expect(sanitiseFileName('報告.txt')).toBe('報告.txt');
  });

  it('drops paths, control characters, bidi overrides and characters Windows forbids', () => {
    expect(sanitiseFileName('../../etc/passwd')).toBe('passwd');
    expect(sanitiseFileName('C:\\Users\\budi\\bukti.jpg')).toBe('bukti.jpg');
    expect(sanitiseFileName('invoice\u202Efdp.exe')).toBe('invoicefdp.exe');
    expect(sanitiseFileName('a\u0000b\r\nc.txt')).toBe('abc.txt');
    expect(sanitiseFileName('x"y<z>.txt')).toBe('x_y_z_.txt');
    expect(sanitiseFileName('  ..hidden  ')).toBe('hidden');
  });

  it('falls back for empty names and shortens long ones keeping the extension', () => {
    for (const empty of ['', '   ', '...', '/', undefined, 42]) expect(sanitiseFileName(empty)).toBe(FALLBACK_FILE_NAME);
    const long = sanitiseFileName(`${'a'.repeat(500)}.pcap`);
    expect([...long].length).toBe(FILE_NAME_MAX);
    expect(long.endsWith('.pcap')).toBe(true);
  });

  it('keeps a well-formed declared media type, lower-cased and without parameters', () => {
    expect(declaredContentType('Image/PNG')).toBe('image/png');
    expect(declaredContentType('text/plain; charset=utf-8')).toBe('text/plain');
    for (const bad of ['', 'png', 'text/html\r\nX-Evil: 1', 'a/b/c', undefined])
      expect(declaredContentType(bad)).toBe('application/octet-stream');
  });
});
