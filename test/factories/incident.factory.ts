import { randomBytes } from 'node:crypto';
import type { Test } from 'supertest';

/** Fields of the public report form, as the browser sends them (all text), with sensible defaults. */
export function publicReportFields(overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const tag = randomBytes(3).toString('hex');
  const fields: Record<string, string | undefined> = {
    reporterName: 'Siti Rahmawati',
    reporterEmail: `siti.${tag}@dinkes.example.go.id`,
    reporterOrganisation: 'Dinas Kesehatan',
    reporterUnit: 'Seksi Sistem Informasi Kesehatan',
    reporterPhone: '+62 812-3456-7890',
    title: `Situs dinas disisipi halaman judi online ${tag}`,
    description: 'Sejak pagi halaman utama situs dinas memuat tautan judi online dan halaman baru /slot-gacor.',
    occurredAt: new Date(Date.now() - 3 * 3600_000).toISOString(),
    category: 'gambling-injection',
    impact: 'medium',
    tlp: 'AMBER',
    affectedSystems: 'https://dinkes.example.go.id\nserver web dinkes (10.10.1.5)',
    observables: JSON.stringify([
      { type: 'url', value: `hxxps://dinkes.example[.]go.id/slot-gacor-${tag}` },
      { type: 'ipv4', value: '203.0.113.7' },
    ]),
    locale: 'id',
    ...overrides,
  };
  return Object.fromEntries(Object.entries(fields).filter((e): e is [string, string] => e[1] !== undefined));
}

export interface EvidenceFile {
  name: string;
  content: Buffer;
  type?: string;
}

export function evidenceFile(name = 'tangkapan-layar.png', bytes = 512, type = 'image/png'): EvidenceFile {
  return { name, content: randomBytes(bytes), type };
}

/** Puts fields and files on a multipart request. */
export function multipart(req: Test, fields: Record<string, string>, files: EvidenceFile[] = []): Test {
  let r = req;
  for (const [k, v] of Object.entries(fields)) r = r.field(k, v);
  for (const f of files) r = r.attach('evidence', f.content, { filename: f.name, contentType: f.type ?? 'application/octet-stream' });
  return r;
}

/** Valid payloads for each workflow step, so a test can drive an incident anywhere. */
export const STEP_PAYLOADS: Record<string, Record<string, unknown>> = {
  validate: { note: 'Laporan lengkap, bukti valid.' },
  record: { note: 'Dicatat dalam register insiden.' },
  start_analysis: {},
  send_initial_recommendation: {
    recommendation:
      'Putuskan sementara akses publik ke direktori unggahan, ganti semua kata sandi admin CMS, dan simpan salinan log akses 7 hari terakhir.',
  },
  hand_over: { note: 'Perlu pembersihan server dan koordinasi dengan penyedia hosting.' },
  submit_resolution: {
    resolutionReport: 'Halaman sisipan dihapus, celah plugin upload ditambal, kredensial diganti, pemantauan integritas berkas dipasang.',
  },
  close: { closureRecord: 'Insiden ditutup: penyebab plugin upload rentan; tindakan pencegahan didokumentasikan.' },
  close_reporter_status: { message: 'Situs sudah pulih; mohon laporkan bila muncul kembali.' },
};
