import { PDFDocument, StandardFonts } from 'pdf-lib';
import PDFKitDocument from 'pdfkit';

/** A two-page letter made with pdf-lib; `objectStreams` (pdf-lib's default) gives an xref stream. */
export async function pdfLibSample(objectStreams = true): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const text of ['Surat Keterangan Nomor 800/123/Diskominfo', 'Halaman kedua (second page)']) {
    const page = doc.addPage([595.28, 841.89]);
    page.drawText(text, { x: 50, y: 780, size: 14, font });
  }
  doc.setTitle('Surat uji');
  return doc.save({ useObjectStreams: objectStreams });
}

/** A two-page document made with pdfkit (classic xref table); `userPassword` makes it encrypted. */
export function pdfKitSample(userPassword?: string): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const doc = new PDFKitDocument({
      size: 'A4',
      info: { Title: 'Nota Dinas' },
      ...(userPassword ? { userPassword, ownerPassword: `${userPassword}-owner` } : {}),
    });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    doc.on('error', reject);
    doc.fontSize(16).text('Nota Dinas Nomor 045/77/Persandian', 50, 60);
    doc.addPage().fontSize(12).text('Lampiran (attachment)', 50, 60);
    doc.end();
  });
}
