import { randomBytes } from 'node:crypto';
import { PDFDocument, StandardFonts } from 'pdf-lib';

/** A real one-page PDF (pdf-lib), e.g. a recommendation letter or a document to sign. */
export async function samplePdf(title = 'Surat Rekomendasi Penerbitan Sertifikat Elektronik'): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.setTitle(title);
  const page = doc.addPage([595, 842]);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  page.drawText(title, { x: 56, y: 780, size: 14, font });
  page.drawText(`Nomor: 800/${randomBytes(2).readUInt16BE()}/DISKOMINFO/2026`, { x: 56, y: 750, size: 11, font });
  page.drawText('Dengan hormat, bersama ini kami merekomendasikan pegawai tersebut.', { x: 56, y: 720, size: 11, font });
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

/** A plausible NIK (DKI Jakarta, Jakarta Selatan) with a random serial, born on `birth` (YYYY-MM-DD). */
export function sampleNik(birth = '1990-01-25', female = false): string {
  const [y, m, d] = birth.split('-');
  const day = String(Number(d) + (female ? 40 : 0)).padStart(2, '0');
  const serial = String(1 + (randomBytes(2).readUInt16BE() % 9998)).padStart(4, '0');
  return `317401${day}${m}${y!.slice(2)}${serial}`;
}

/** Fields of the verifier's issuance form, as multipart text. */
export function issuanceFields(orgUnitId: string, overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const tag = randomBytes(3).toString('hex');
  const fields: Record<string, string | undefined> = {
    fullName: 'Siti Rahmawati',
    email: `siti.${tag}@dinkes.example.go.id`,
    nik: sampleNik(),
    nip: '199001252015032001',
    positionTitle: 'Kepala Seksi Persandian',
    orgUnitId,
    ...overrides,
  };
  return Object.fromEntries(Object.entries(fields).filter((e): e is [string, string] => e[1] !== undefined));
}

/** The applicant's identity form for a NIK made by sampleNik('1990-01-25'). */
export function identityFields(token: string, nik: string, overrides: Record<string, string> = {}) {
  return {
    token,
    nik,
    fullNameOnId: 'SITI RAHMAWATI',
    birthPlace: 'Jakarta',
    birthDate: '1990-01-25',
    address: 'Jl. Merdeka No. 1, RT 001/RW 002, Kebayoran Baru, Jakarta Selatan',
    phone: '+62 812 3456 7890',
    ...overrides,
  };
}

export const GOOD_PASSPHRASE = 'Kopi-Tubruk 2026 pagi';
