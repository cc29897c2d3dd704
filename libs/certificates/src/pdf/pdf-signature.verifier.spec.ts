import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PdfError, PdfErrorCode, signPdf, verifyPdfSignatures, type SignPdfInput } from './index.js';
import { appendIncrementalUpdate, flipByte, pdfsig, rawSignatures, replaceSameLength } from './testing/pdf-inspect.fixture.js';
import { pdfKitSample, pdfLibSample } from './testing/sample-pdf.fixture.js';
import { createTestPki, openssl, type TestPki, type TestSigner } from './testing/test-pki.fixture.js';

let pki: TestPki;
let unsigned: Uint8Array;
let signedEc: Uint8Array; // invisible, pdf-lib document
let signedRsa: Uint8Array; // visible, pdfkit document
const signingTime = new Date('2026-02-17T01:30:00Z');

const input = (pdf: Uint8Array, signer: TestSigner, extra: Partial<SignPdfInput> = {}): SignPdfInput => ({
  pdf,
  privateKey: signer.key,
  certificate: signer.certificate,
  chain: [pki.ca, pki.root],
  signingTime,
  ...extra,
});

beforeAll(async () => {
  pki = createTestPki();
  unsigned = await pdfLibSample();
  signedEc = await signPdf(
    input(unsigned, pki.ecLeaf, { reason: 'Persetujuan', location: 'Kota Contoh', contactInfo: 'budi@example.go.id' }),
  );
  signedRsa = await signPdf(
    input(await pdfKitSample(), pki.rsaLeaf, { reason: 'Mengetahui', visible: { page: 1, x: 350, y: 50, width: 200, height: 70 } }),
  );
});

afterAll(() => pki?.cleanup());

async function failure(pdf: Uint8Array): Promise<PdfError> {
  const err = await verifyPdfSignatures(pdf).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PdfError);
  return err as PdfError;
}

const latin1 = (b: Uint8Array) => Buffer.from(b).toString('latin1');

describe('verifyPdfSignatures: intact documents', () => {
  it('an unsigned PDF has no signatures', async () => {
    expect(await verifyPdfSignatures(unsigned)).toEqual({ signatures: [] });
    expect(await verifyPdfSignatures(await pdfKitSample())).toEqual({ signatures: [] });
  });

  it.each([
    ['invisible ECDSA', () => signedEc, () => pki.ecLeaf, 'Persetujuan'],
    ['visible RSA', () => signedRsa, () => pki.rsaLeaf, 'Mengetahui'],
  ])('%s: digest, signature and ESS binding hold, and the whole document is covered', async (_label, pdf, signer, reason) => {
    const { signatures } = await verifyPdfSignatures(pdf());
    expect(signatures).toHaveLength(1);
    const [s] = signatures;
    expect(s).toMatchObject({
      fieldName: 'Signature1',
      subFilter: 'ETSI.CAdES.detached',
      reason,
      digestMatches: true,
      signatureValid: true,
      essCertMatches: true,
      coversWholeDocument: true,
      digestAlgorithm: 'sha256',
      problems: [],
    });
    expect(Buffer.from(s.signerCertificate).equals(Buffer.from(signer().certificate))).toBe(true);
    expect(s.certificates.map((c) => Buffer.from(c).toString('base64'))).toEqual(
      [signer().certificate, pki.ca, pki.root].map((c) => Buffer.from(c).toString('base64')),
    );
    expect(s.signingTime?.toISOString()).toBe(signingTime.toISOString()); // from /M: B-B has no signing-time attribute
    expect(s.byteRange).toEqual(rawSignatures(pdf())[0].byteRange);
  });

  it('reads location and contact info', async () => {
    const [s] = (await verifyPdfSignatures(signedEc)).signatures;
    expect(s.location).toBe('Kota Contoh');
    expect(s.contactInfo).toBe('budi@example.go.id');
    expect(s.name).toBe('Budi Santoso');
  });

  it('checks a CMS made by openssl (adbe.pkcs7.detached style, with a signing-time attribute, no ESS)', async () => {
    const [raw] = rawSignatures(signedEc);
    writeFileSync(join(pki.dir, 'content.bin'), raw.signedBytes);
    const before = Math.floor(Date.now() / 1000) * 1000; // UTCTime has whole seconds
    openssl(
      [
        'cms',
        '-sign',
        '-binary',
        '-outform',
        'DER',
        '-md',
        'sha256',
        '-signer',
        pki.rsaLeaf.certPath,
        '-inkey',
        pki.rsaLeaf.keyPath,
        '-in',
        'content.bin',
        '-out',
        'foreign.der',
      ],
      {
        cwd: pki.dir,
      },
    );
    const foreign = readFileSync(join(pki.dir, 'foreign.der'));
    const hex = foreign.toString('hex').padEnd(raw.gap[1] - raw.gap[0] - 2, '0');
    const swapped = Uint8Array.from(signedEc);
    swapped.set(Buffer.from(hex, 'latin1'), raw.gap[0] + 1);

    const [s] = (await verifyPdfSignatures(swapped)).signatures;
    expect(s).toMatchObject({ digestMatches: true, signatureValid: true, coversWholeDocument: true });
    expect(s.essCertMatches).toBeUndefined();
    expect(Buffer.from(s.signerCertificate).equals(Buffer.from(pki.rsaLeaf.certificate))).toBe(true);
    // openssl's signing-time attribute (signed) wins over /M (2026-02-17)
    expect(s.signingTime!.getTime()).toBeGreaterThanOrEqual(before);
    expect(s.signingTime!.getTime()).toBeLessThanOrEqual(Date.now());
    expect(pdfsig(swapped, '-nocert')).toContain('Signature Validation: Signature is Valid.');
  });
});

describe('verifyPdfSignatures: changed documents', () => {
  it('one byte changed inside the signed range: digest no longer matches (pdfsig agrees)', async () => {
    const at = latin1(signedEc).indexOf('%', 1) + 2; // inside the binary comment on line 2: still a parseable PDF
    const tampered = flipByte(signedEc, at);
    const [s] = (await verifyPdfSignatures(tampered)).signatures;
    expect(s.digestMatches).toBe(false);
    expect(s.signatureValid).toBe(true); // the signed attributes themselves are untouched
    expect(s.problems.join(' ')).toContain('messageDigest');
    expect(pdfsig(tampered, '-nocert')).not.toContain('Signature is Valid.');
  });

  it('the signing time (/M) changed: digest no longer matches', async () => {
    const tampered = replaceSameLength(signedEc, '/M (D:20260217', '/M (D:20250217');
    const [s] = (await verifyPdfSignatures(tampered)).signatures;
    expect(s.digestMatches).toBe(false);
    expect(s.signingTime?.getUTCFullYear()).toBe(2025);
  });

  it('a byte of the signature value changed: signature no longer valid, digest still matches', async () => {
    const [raw] = rawSignatures(signedRsa);
    const at = raw.gap[0] + 1 + raw.cms.length * 2 - 6; // a hex digit inside the last OCTET STRING (the signature value)
    const copy = Uint8Array.from(signedRsa);
    copy[at] = copy[at] === 0x30 ? 0x31 : 0x30;
    const [s] = (await verifyPdfSignatures(copy)).signatures;
    expect(s.signatureValid).toBe(false);
    expect(s.digestMatches).toBe(true);
  });

  it('an incremental update appended after signing: still intact, but not covering the whole document', async () => {
    for (const pdf of [signedEc, signedRsa]) {
      const appended = appendIncrementalUpdate(pdf);
      const [s] = (await verifyPdfSignatures(appended)).signatures;
      expect(s).toMatchObject({ digestMatches: true, signatureValid: true, coversWholeDocument: false });
      expect(pdfsig(appended, '-nocert')).toContain('Not total document signed');
    }
  });

  it('raw bytes appended after %%EOF: not covering the whole document', async () => {
    const appended = new Uint8Array(Buffer.concat([signedEc, Buffer.from('\n% sisipan\n')]));
    const [s] = (await verifyPdfSignatures(appended)).signatures;
    expect(s.coversWholeDocument).toBe(false);
    expect(s.digestMatches).toBe(true);
  });
});

describe('verifyPdfSignatures: hostile and broken input', () => {
  it.each([
    ['empty', () => new Uint8Array(0), PdfErrorCode.Empty],
    ['not a PDF', () => Buffer.from('<html><body>bukan pdf</body></html>'), PdfErrorCode.NotAPdf],
    ['truncated', () => signedEc.subarray(0, 900), PdfErrorCode.Malformed],
    ['a header followed by noise', () => Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(4096, 0x5a)]), PdfErrorCode.Malformed],
  ])('%s → typed error', async (_label, pdf, code) => {
    expect((await failure(pdf())).code).toBe(code);
  });

  it('an encrypted PDF → typed error', async () => {
    expect((await failure(await pdfKitSample('rahasia'))).code).toBe(PdfErrorCode.Encrypted);
  });

  it('huge ByteRange values: reported, not followed', async () => {
    const [raw] = rawSignatures(signedEc);
    const from = `/ByteRange [${raw.byteRange.join(' ')}`;
    const to = '/ByteRange [0 9999999999 9999999999 9999999999'.padEnd(from.length, ' ');
    const [s] = (await verifyPdfSignatures(replaceSameLength(signedEc, from, to.slice(0, from.length)))).signatures;
    expect(s).toMatchObject({ digestMatches: false, coversWholeDocument: false });
    expect(s.problems.join(' ')).toContain('ByteRange');
  });

  it('a ByteRange whose gap is not this /Contents: refused even though the CMS is fine', async () => {
    const [raw] = rawSignatures(signedEc);
    const [, a, b, c] = raw.byteRange;
    // Shift the gap one byte left: the signed bytes then include the '>' and exclude a byte before '<'.
    const from = `/ByteRange [0 ${a} ${b} ${c}`;
    const to = `/ByteRange [0 ${a - 1} ${b - 1} ${c + 1}`;
    const tampered = replaceSameLength(signedEc, from, to.padEnd(from.length, ' ').slice(0, from.length));
    const [s] = (await verifyPdfSignatures(tampered)).signatures;
    expect(s.digestMatches).toBe(false);
    expect(s.problems.join(' ')).toContain('gap');
  });

  it('garbage in /Contents: the signature is listed as invalid with no certificate', async () => {
    const [raw] = rawSignatures(signedEc);
    const copy = Uint8Array.from(signedEc);
    copy.set(Buffer.from('3082ffff'.padEnd(64, 'ab'), 'latin1'), raw.gap[0] + 1);
    const { signatures } = await verifyPdfSignatures(copy);
    expect(signatures).toHaveLength(1);
    expect(signatures[0]).toMatchObject({ fieldName: 'Signature1', digestMatches: false, signatureValid: false, certificates: [] });
    expect(signatures[0].signerCertificate).toHaveLength(0);
    expect(signatures[0].problems.length).toBeGreaterThan(0);
  });

  it('deeply nested arrays do not overflow the stack', async () => {
    const deep = Buffer.from(`%PDF-1.7\n1 0 obj\n${'['.repeat(200_000)}\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n`, 'latin1');
    expect((await failure(deep)).code).toBe(PdfErrorCode.Malformed);
  });

  it('many unterminated strings finish with an error instead of re-scanning forever', async () => {
    const evil = Buffer.from(`%PDF-1.7\n${'1 0 obj ('.repeat(300_000)}`, 'latin1');
    expect((await failure(evil)).code).toBe(PdfErrorCode.Malformed);
  });

  it('an object stream that inflates beyond the limit (decompression bomb) is refused', async () => {
    const bomb = deflateSync(Buffer.alloc(80 * 1024 * 1024, 0x20), { level: 9 });
    const head = Buffer.from(
      `%PDF-1.7\n1 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length ${bomb.length} >>\nstream\n`,
      'latin1',
    );
    const tail = Buffer.from('\nendstream\nendobj\ntrailer\n<< /Root 2 0 R /Size 3 >>\nstartxref\n0\n%%EOF\n', 'latin1');
    const pdf = Buffer.concat([head, bomb, tail]);
    expect(pdf.length).toBeLessThan(1024 * 1024);
    expect((await failure(pdf)).code).toBe(PdfErrorCode.TooLarge);
  });

  it('cyclic field trees, dangling values and nonsense ByteRanges are skipped or reported, not fatal', async () => {
    const pdf = Buffer.from(
      [
        '%PDF-1.7',
        '1 0 obj << /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R 5 0 R 8 0 R 4 0 R] >> >> endobj',
        '2 0 obj << /Type /Pages /Kids [3 0 R 2 0 R] /Count 1 >> endobj',
        '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] >> endobj',
        '4 0 obj << /FT /Sig /T (Loop) /Kids [4 0 R] /V 6 0 R >> endobj',
        '5 0 obj << /FT /Sig /T (Dangling) /V 9 0 R >> endobj',
        '6 0 obj << /Type /Sig /SubFilter /ETSI.CAdES.detached /ByteRange [0 -5 7 99999999999] /Contents 7 0 R >> endobj',
        '7 0 obj (not hex) endobj',
        '8 0 obj << /FT /Sig /T (Broken) /V 6 0 R >> endobj',
        'trailer << /Root 1 0 R /Size 9 >>',
        '%%EOF',
      ].join('\n'),
      'latin1',
    );
    const { signatures } = await verifyPdfSignatures(pdf);
    expect(signatures).toHaveLength(1);
    expect(signatures[0]).toMatchObject({ fieldName: 'Broken', digestMatches: false, signatureValid: false, coversWholeDocument: false });
    expect(signatures[0].problems.join(' ')).toMatch(/ByteRange.*hexadecimal/);
  });
});
