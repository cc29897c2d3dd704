import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDict, PDFDocument, PDFName, PDFNumber, PDFSignature } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PdfError, PdfErrorCode, signPdf, verifyPdfSignatures, type SignPdfInput } from './index.js';
import { flipByte, pdfsig, pdfsigBlocks, rawSignatures } from './testing/pdf-inspect.fixture.js';
import { pdfKitSample, pdfLibSample } from './testing/sample-pdf.fixture.js';
import { createTestPki, openssl, type TestPki, type TestSigner } from './testing/test-pki.fixture.js';

let pki: TestPki;
let pdfLibDoc: Uint8Array; // xref stream + object streams
let pdfLibTableDoc: Uint8Array; // classic xref table
let pdfKitDoc: Uint8Array;
const signingTime = new Date('2026-01-05T07:03:00Z');

beforeAll(async () => {
  pki = createTestPki();
  pdfLibDoc = await pdfLibSample();
  pdfLibTableDoc = await pdfLibSample(false);
  pdfKitDoc = await pdfKitSample();
});

afterAll(() => pki?.cleanup());

const input = (pdf: Uint8Array, signer: TestSigner, extra: Partial<SignPdfInput> = {}): SignPdfInput => ({
  pdf,
  privateKey: signer.key,
  certificate: signer.certificate,
  chain: [pki.ca, pki.root],
  signingTime,
  ...extra,
});

/** openssl cms -verify over the extracted CMS and the concatenated ByteRange bytes; true when it succeeds. */
function opensslVerifies(cms: Uint8Array, content: Uint8Array): boolean {
  writeFileSync(join(pki.dir, 'sig.der'), cms);
  writeFileSync(join(pki.dir, 'content.bin'), content);
  try {
    openssl(
      [
        'cms',
        '-verify',
        '-binary',
        '-inform',
        'DER',
        '-in',
        'sig.der',
        '-content',
        'content.bin',
        '-CAfile',
        pki.rootPem,
        '-purpose',
        'any',
        '-out',
        '/dev/null',
      ],
      { cwd: pki.dir },
    );
    return true;
  } catch {
    return false;
  }
}

async function rejection(p: Promise<unknown>): Promise<PdfError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PdfError);
  return err as PdfError;
}

describe('signPdf: PAdES B-B seen by outside tools', () => {
  it.each([
    ['pdf-lib, xref stream', () => pdfLibDoc],
    ['pdf-lib, xref table', () => pdfLibTableDoc],
    ['pdfkit', () => pdfKitDoc],
  ])('pdfsig validates an invisible ECDSA P-256 signature on a %s document', async (_label, doc) => {
    const signed = await signPdf(input(doc(), pki.ecLeaf, { reason: 'Persetujuan', location: 'Kota Contoh' }));
    // Append-only: the original bytes are the untouched prefix.
    expect(Buffer.from(signed.subarray(0, doc().length)).equals(Buffer.from(doc()))).toBe(true);

    const report = pdfsig(signed, '-nocert');
    expect(report).toContain('Signature Field Name: Signature1');
    expect(report).toContain('Signer Certificate Common Name: Budi Santoso');
    expect(report).toContain('Signature Type: ETSI.CAdES.detached');
    expect(report).toContain('Signing Time: Jan 05 2026 07:03:00');
    expect(report).toContain('Total document signed');
    expect(report).toContain('Signature Validation: Signature is Valid.');
  });

  it('pdfsig builds the chain from the certificates in the CMS; only the throwaway root is untrusted', async () => {
    const signed = await signPdf(input(pdfKitDoc, pki.rsaLeaf));
    const report = pdfsig(signed);
    expect(report).toContain('Signature Validation: Signature is Valid.');
    // No NSS tool (certutil) on this machine to trust the test root: NSS reaches it and stops there.
    expect(report).toContain("Certificate Validation: Certificate issuer isn't Trusted.");
  });

  it('openssl cms -verify accepts the CMS over the ByteRange bytes and refuses them with one byte flipped', async () => {
    for (const signer of [pki.ecLeaf, pki.rsaLeaf]) {
      const signed = await signPdf(input(pdfLibDoc, signer));
      const [sig] = rawSignatures(signed);
      expect(sig.byteRange[0]).toBe(0);
      expect(sig.byteRange[2] + sig.byteRange[3]).toBe(signed.length);
      expect(opensslVerifies(sig.cms, sig.signedBytes)).toBe(true);
      expect(opensslVerifies(sig.cms, flipByte(sig.signedBytes, 200))).toBe(false);
    }
  });

  it('signed attributes: content-type, message-digest, signing-certificate-v2 and no signing-time; certificates: signer + chain', async () => {
    const signed = await signPdf(input(pdfLibDoc, pki.ecLeaf));
    const [sig] = rawSignatures(signed);
    writeFileSync(join(pki.dir, 'print.der'), sig.cms);
    const printed = openssl(['cms', '-cmsout', '-print', '-inform', 'DER', '-in', 'print.der'], { cwd: pki.dir }).toString();
    const signedAttrs = printed.slice(
      printed.indexOf('signedAttrs:'),
      printed.indexOf('signatureAlgorithm:', printed.indexOf('signedAttrs:')),
    );
    expect(signedAttrs).toContain('contentType (1.2.840.113549.1.9.3)');
    expect(signedAttrs).toContain('messageDigest (1.2.840.113549.1.9.4)');
    expect(signedAttrs).toMatch(/id-smime-aa-signingCertificateV2|1\.2\.840\.113549\.1\.9\.16\.2\.47/);
    expect(signedAttrs).not.toContain('signingTime');
    expect(printed).toContain('eContent: <ABSENT>');
    const certs = openssl(['pkcs7', '-inform', 'DER', '-in', 'print.der', '-print_certs'], { cwd: pki.dir }).toString();
    expect(certs.match(/^subject=/gm)).toHaveLength(3);

    // The dictionary: PAdES filter/subfilter, /M carries the time, /Contents fills its reservation exactly.
    const text = Buffer.from(signed).toString('latin1');
    expect(text).toContain('/Filter /Adobe.PPKLite');
    expect(text).toContain('/SubFilter /ETSI.CAdES.detached');
    expect(text).toContain("/M (D:20260105070300+00'00')");
    const hex = text.slice(sig.gap[0] + 1, sig.gap[1] - 1);
    expect(hex).toMatch(/^[0-9a-f]+$/);
    expect(hex.startsWith(Buffer.from(sig.cms).toString('hex'))).toBe(true);
    expect(/^0*$/.test(hex.slice(sig.cms.length * 2))).toBe(true);
  });

  it('an RSA-3072 signer with a long text fits the reservation and validates', async () => {
    const signed = await signPdf(
      input(pdfKitDoc, pki.rsa3072Leaf, {
        reason: 'Menyetujui isi dokumen ini untuk diteruskan kepada seluruh perangkat daerah terkait',
        location: 'Dinas Komunikasi dan Informatika, Jalan Merdeka Nomor 1, Kota Contoh',
        contactInfo: 'persandian@example.go.id',
        visible: { page: 1, x: 40, y: 40, width: 180, height: 60 },
      }),
    );
    expect(pdfsig(signed, '-nocert')).toContain('Signature Validation: Signature is Valid.');
    const [sig] = rawSignatures(signed);
    expect(opensslVerifies(sig.cms, sig.signedBytes)).toBe(true);
  });
});

describe('signPdf: visible and invisible widgets', () => {
  it('invisible: a zero-size locked widget on page 1, listed in the AcroForm with SigFlags 3', async () => {
    const signed = await signPdf(input(pdfKitDoc, pki.ecLeaf));
    const doc = await PDFDocument.load(signed);
    const [field] = doc.getForm().getFields();
    expect(field).toBeInstanceOf(PDFSignature);
    expect(field.getName()).toBe('Signature1');
    const [widget] = field.acroField.getWidgets();
    expect(widget.getRectangle()).toEqual({ x: 0, y: 0, width: 0, height: 0 });
    expect(widget.dict.get(PDFName.of('F'))).toEqual(PDFNumber.of(132));
    expect(widget.P()).toBe(doc.getPage(0).ref);
    expect(doc.catalog.getAcroForm()?.dict.get(PDFName.of('SigFlags'))).toEqual(PDFNumber.of(3));
  });

  it('visible: the widget sits where asked on the page asked, with an appearance in Bahasa Indonesia first', async () => {
    const signed = await signPdf(
      input(pdfKitDoc, pki.rsaLeaf, {
        reason: 'Mengetahui',
        location: 'Kota Contoh',
        signerName: 'Siti Rahayu, S.Kom.',
        visible: { page: 2, x: 350, y: 50, width: 200, height: 70 },
      }),
    );
    expect(pdfsig(signed, '-nocert')).toContain('Signature Validation: Signature is Valid.');
    const doc = await PDFDocument.load(signed);
    const [field] = doc.getForm().getFields();
    const [widget] = field.acroField.getWidgets();
    expect(widget.getRectangle()).toEqual({ x: 350, y: 50, width: 200, height: 70 });
    expect(widget.P()).toBe(doc.getPage(1).ref);
    expect(doc.getPage(1).node.Annots()?.asArray()).toContainEqual(field.acroField.ref);
    const ap = widget.getNormalAppearance();
    expect(ap).toBeDefined();

    const text = Buffer.from(signed).toString('latin1');
    const stream = text.slice(text.lastIndexOf('/Subtype /Form'), text.lastIndexOf('endstream'));
    expect(stream).toContain('/BBox [0 0 200 70]');
    expect(stream).toContain('/BaseFont /Helvetica-Bold');
    // Text is shown as WinAnsi hex strings; decode them to check the wording.
    const shown = [...stream.matchAll(/<([0-9a-f]+)> Tj/g)].map((m) => Buffer.from(m[1], 'hex').toString('latin1')).join(' ');
    expect(shown).toContain('Ditandatangani secara elektronik oleh');
    expect(shown).toContain('Siti Rahayu, S.Kom.');
    expect(shown).toContain('5 Januari 2026 14.03 WIB');
    expect(shown).toContain('Alasan / Reason: Mengetahui');
    expect(shown).toContain('Lokasi / Location: Kota Contoh');
    expect(shown.indexOf('Ditandatangani')).toBeLessThan(shown.indexOf('Digitally'));
  });

  it('renders with poppler (pdftoppm reads the updated file without complaint)', async () => {
    const signed = await signPdf(
      input(pdfLibDoc, pki.ecLeaf, { visible: { page: 1, x: 300, y: 40, width: 240, height: 80 }, timeZone: 'WITA' }),
    );
    writeFileSync(join(pki.dir, 'visible.pdf'), signed);
    const run = spawnSync('pdftoppm', ['-f', '1', '-l', '1', '-r', '30', '-png', join(pki.dir, 'visible.pdf'), join(pki.dir, 'page')], {
      encoding: 'utf8',
    });
    expect(run.status).toBe(0);
    expect(run.stderr).toBe(''); // poppler reports syntax errors and repairs on stderr
  });
});

describe('signPdf: signing a signed document', () => {
  it.each([
    ['pdf-lib (xref stream)', () => pdfLibDoc],
    ['pdfkit (xref table)', () => pdfKitDoc],
  ])('a second signature on a %s document leaves the first one valid', async (_label, doc) => {
    const first = await signPdf(input(doc(), pki.ecLeaf, { reason: 'Paraf' }));
    const second = await signPdf(
      input(first, pki.rsaLeaf, { reason: 'Menyetujui', visible: { page: 1, x: 350, y: 50, width: 200, height: 70 } }),
    );
    expect(Buffer.from(second.subarray(0, first.length)).equals(Buffer.from(first))).toBe(true);

    const blocks = pdfsigBlocks(pdfsig(second, '-nocert'));
    expect(blocks).toHaveLength(2);
    expect(blocks[0]).toContain('Signature Field Name: Signature1');
    expect(blocks[0]).toContain('Signer Certificate Common Name: Budi Santoso');
    expect(blocks[0]).toContain('Not total document signed');
    expect(blocks[0]).toContain('Signature Validation: Signature is Valid.');
    expect(blocks[1]).toContain('Signature Field Name: Signature2');
    expect(blocks[1]).toContain('Signer Certificate Common Name: Siti Rahayu');
    expect(blocks[1]).toContain('Total document signed');
    expect(blocks[1]).toContain('Signature Validation: Signature is Valid.');

    const { signatures } = await verifyPdfSignatures(second);
    expect(signatures.map((s) => [s.fieldName, s.digestMatches, s.signatureValid, s.coversWholeDocument])).toEqual([
      ['Signature1', true, true, false],
      ['Signature2', true, true, true],
    ]);
    for (const raw of rawSignatures(second)) expect(opensslVerifies(raw.cms, raw.signedBytes)).toBe(true);
  });

  it('a third signature still leaves all earlier ones valid', async () => {
    let doc = pdfLibTableDoc;
    for (const signer of [pki.ecLeaf, pki.rsaLeaf, pki.ecLeaf]) doc = await signPdf(input(doc, signer));
    const { signatures } = await verifyPdfSignatures(doc);
    expect(signatures.map((s) => s.fieldName)).toEqual(['Signature1', 'Signature2', 'Signature3']);
    expect(signatures.every((s) => s.digestMatches && s.signatureValid && s.essCertMatches)).toBe(true);
    expect(pdfsig(doc, '-nocert').match(/Signature is Valid\./g)).toHaveLength(3);
  });

  it('a chosen field name is used, and refused when taken', async () => {
    const signed = await signPdf(input(pdfLibDoc, pki.ecLeaf, { fieldName: 'Kepala Dinas' }));
    expect((await verifyPdfSignatures(signed)).signatures[0].fieldName).toBe('Kepala Dinas');
    const err = await rejection(signPdf(input(signed, pki.rsaLeaf, { fieldName: 'Kepala Dinas' })));
    expect(err.code).toBe(PdfErrorCode.InvalidOptions);
  });

  it('refuses a certified document that allows no changes (DocMDP P=1)', async () => {
    const doc = await PDFDocument.load(pdfLibDoc);
    const ctx = doc.context;
    const sigRef = ctx.register(
      ctx.obj({
        Type: 'Sig',
        Filter: 'Adobe.PPKLite',
        Reference: [
          ctx.obj({ Type: 'SigRef', TransformMethod: 'DocMDP', TransformParams: ctx.obj({ Type: 'TransformParams', P: 1, V: '1.2' }) }),
        ],
      }),
    );
    doc.catalog.set(PDFName.of('Perms'), ctx.obj({ DocMDP: sigRef }) as PDFDict);
    const certified = await doc.save();
    const err = await rejection(signPdf(input(certified, pki.ecLeaf)));
    expect(err.code).toBe(PdfErrorCode.ChangesNotAllowed);
    expect(err.status).toBe(409);
  });
});

/** The same file with its last startxref pointing past the end (a damaged cross-reference). */
function breakStartxref(pdf: Uint8Array): Uint8Array {
  const text = Buffer.from(pdf).toString('latin1');
  const m = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(text)!;
  const at = m.index + m[0].indexOf(m[1]);
  const copy = Uint8Array.from(pdf);
  copy.set(Buffer.from('9'.repeat(m[1].length), 'latin1'), at);
  return copy;
}

describe('signPdf: damaged cross-reference', () => {
  it('an unsigned document is rewritten cleanly (object streams expanded), then signed', async () => {
    const damaged = breakStartxref(pdfLibDoc);
    const signed = await signPdf(input(damaged, pki.ecLeaf, { visible: { page: 2, x: 50, y: 50, width: 200, height: 60 } }));
    expect(pdfsig(signed, '-nocert')).toContain('Signature Validation: Signature is Valid.');
    const [s] = (await verifyPdfSignatures(signed)).signatures;
    expect(s).toMatchObject({ digestMatches: true, signatureValid: true, coversWholeDocument: true });
    const doc = await PDFDocument.load(signed);
    expect(doc.getPageCount()).toBe(2);
    expect(doc.getTitle()).toBe('Surat uji');
  });

  it('a signed document is refused: rewriting it would break its signature', async () => {
    const signed = breakStartxref(await signPdf(input(pdfKitDoc, pki.ecLeaf)));
    expect((await rejection(signPdf(input(signed, pki.rsaLeaf)))).code).toBe(PdfErrorCode.Malformed);
  });
});

describe('signPdf: typed refusals', () => {
  it.each([
    ['empty input', () => new Uint8Array(0), PdfErrorCode.Empty],
    ['bytes that are not a PDF', () => Buffer.from('PK\u0003\u0004 this is a zip, not a pdf'), PdfErrorCode.NotAPdf],
    ['a truncated PDF', () => pdfLibDoc.subarray(0, Math.floor(pdfLibDoc.length / 2)), PdfErrorCode.Malformed],
    ['a header and nothing else', () => Buffer.from('%PDF-1.7\n%%EOF\n'), PdfErrorCode.Malformed],
  ])('%s', async (_label, pdf, code) => {
    const err = await rejection(signPdf(input(pdf(), pki.ecLeaf)));
    expect(err.code).toBe(code);
    expect(err.message).toMatch(/\(.+\)/); // Indonesian detail, English in parentheses
  });

  it('an encrypted PDF (pdfkit with a user password)', async () => {
    const encrypted = await pdfKitSample('rahasia');
    expect(Buffer.from(encrypted).toString('latin1')).toContain('/Encrypt');
    expect((await rejection(signPdf(input(encrypted, pki.ecLeaf)))).code).toBe(PdfErrorCode.Encrypted);
  });

  it.each([0, 3, 1.5])('page %s of a two-page document', async (page) => {
    const err = await rejection(signPdf(input(pdfKitDoc, pki.ecLeaf, { visible: { page, x: 10, y: 10, width: 100, height: 40 } })));
    expect(err.code).toBe(PdfErrorCode.PageOutOfRange);
  });

  it.each([
    { page: 1, x: 500, y: 10, width: 200, height: 40 }, // past the right edge of A4
    { page: 1, x: 10, y: 10, width: 0, height: 40 },
    { page: 1, x: Number.NaN, y: 10, width: 100, height: 40 },
  ])('a signature box that does not fit: %o', async (visible) => {
    expect((await rejection(signPdf(input(pdfKitDoc, pki.ecLeaf, { visible })))).code).toBe(PdfErrorCode.InvalidOptions);
  });

  it('a private key that does not belong to the certificate', async () => {
    const err = await rejection(signPdf({ ...input(pdfKitDoc, pki.ecLeaf), privateKey: pki.rsaLeaf.key }));
    expect(err.code).toBe(PdfErrorCode.KeyMismatch);
  });

  it('unsupported keys: Ed25519, RSA-1024, a public key', async () => {
    const ed = generateKeyPairSync('ed25519').privateKey;
    const weak = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    for (const privateKey of [ed, weak, generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey]) {
      expect((await rejection(signPdf({ ...input(pdfKitDoc, pki.ecLeaf), privateKey }))).code).toBe(PdfErrorCode.UnsupportedKey);
    }
  });

  it('an unreadable certificate or chain', async () => {
    expect((await rejection(signPdf({ ...input(pdfKitDoc, pki.ecLeaf), certificate: Buffer.from('not a certificate') }))).code).toBe(
      PdfErrorCode.InvalidCertificate,
    );
    expect(
      (await rejection(signPdf({ ...input(pdfKitDoc, pki.ecLeaf), chain: [pki.ca, Buffer.from([0x30, 0x03, 0x02, 0x01])] }))).code,
    ).toBe(PdfErrorCode.InvalidCertificate);
  });
});
