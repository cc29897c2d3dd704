import { describe, expect, it } from 'vitest';
import { looksLikePem, parsePem, toPem } from './pem.util.js';

describe('PEM', () => {
  it('writes 64-column base64 between RFC 7468 markers and reads it back', () => {
    const der = Buffer.from(Array.from({ length: 200 }, (_, i) => i));
    const pem = toPem(der, 'CERTIFICATE');
    const lines = pem.trimEnd().split('\n');
    expect(lines[0]).toBe('-----BEGIN CERTIFICATE-----');
    expect(lines.at(-1)).toBe('-----END CERTIFICATE-----');
    expect(lines.slice(1, -1).every((l) => l.length <= 64)).toBe(true);
    expect(parsePem(pem)).toEqual([{ label: 'CERTIFICATE', der }]);
  });

  it('reads every block of a bundle, ignoring text around them and CRLF line ends', () => {
    const a = toPem(Buffer.from([0x30, 0]), 'CERTIFICATE');
    const b = toPem(Buffer.from([0x30, 1, 5]), 'X509 CRL');
    const blocks = parsePem(`subject=CN = x\r\n${a.replace(/\n/g, '\r\n')}issuer=...\n${b}`);
    expect(blocks.map((x) => x?.label)).toEqual(['CERTIFICATE', 'X509 CRL']);
  });

  it('marks a block with a broken body as null and ignores mismatched markers', () => {
    expect(parsePem('-----BEGIN CERTIFICATE-----\nnot*base64\n-----END CERTIFICATE-----')).toEqual([null]);
    expect(parsePem('-----BEGIN CERTIFICATE-----\n\n-----END CERTIFICATE-----')).toEqual([null]);
    expect(parsePem('-----BEGIN CERTIFICATE-----\nMAA=\n-----END PRIVATE KEY-----')).toEqual([]);
  });

  it('tells PEM text from DER bytes', () => {
    expect(looksLikePem(Buffer.from(toPem(Buffer.from([0x30, 0]))))).toBe(true);
    expect(looksLikePem(Buffer.from([0x30, 0x03, 0x02, 0x01, 0x01]))).toBe(false);
    expect(looksLikePem(Buffer.from('hello'))).toBe(false);
    expect(looksLikePem(Buffer.alloc(0))).toBe(false);
  });
});
