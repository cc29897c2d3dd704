import PDFDocument from 'pdfkit';
import type { IncidentMetrics } from './incident-metrics.js';
import { STATE_LABELS, type IncidentState } from './incident.workflow.js';
import { PRIORITY_LABELS, type Priority } from './priority.policy.js';
import { categoryLabel } from './taxonomy.js';
import { TLP_DESCRIPTIONS, type TlpLabel } from './tlp.js';

/**
 * Printable reports: one incident (for the file, with timeline, evidence hashes and resolution) and
 * the monthly report for the head of the office. Built with pdfkit's standard fonts, which carry
 * Windows-1252 only: other characters are replaced rather than dropped silently (a file name in
 * another script still shows where it was, and its SHA-256 identifies it exactly).
 */

/** FIRST TLP 2.0 colours: the label is printed in colour on black. */
const TLP_COLOURS: Record<TlpLabel, string> = {
  CLEAR: '#FFFFFF',
  GREEN: '#33FF00',
  AMBER: '#FFC000',
  'AMBER+STRICT': '#FFC000',
  RED: '#FF2B2B',
};

const CP1252_EXTRA = new Set([...'€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ']);
export function pdfText(s: string | null | undefined): string {
  if (!s) return '-';
  return [...s.normalize('NFC')]
    .map((c) =>
      c === '\n' || c === '\t' || (c >= ' ' && c <= '\u00ff' && !(c >= '\u007f' && c <= '\u009f')) || CP1252_EXTRA.has(c) ? c : '?',
    )
    .join('');
}

const dateTime = (d: Date | string | null | undefined) =>
  d
    ? new Intl.DateTimeFormat('id-ID', {
        day: '2-digit',
        month: 'short',
        year: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        timeZone: 'Asia/Jakarta',
        timeZoneName: 'short',
      }).format(new Date(d))
    : '-';

type Doc = InstanceType<typeof PDFDocument>;

function toBuffer(doc: Doc): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}

function newDoc(title: string, generatedAt: Date): Doc {
  return new PDFDocument({
    size: 'A4',
    margins: { top: 60, bottom: 60, left: 50, right: 50 },
    bufferPages: true,
    info: { Title: title, Author: 'Sandi', Creator: 'Sandi', CreationDate: generatedAt },
  });
}

function tlpBanner(doc: Doc, tlp: TlpLabel, y: number): void {
  const label = `TLP:${tlp}`;
  doc.save().font('Helvetica-Bold').fontSize(9);
  const w = doc.widthOfString(label) + 10;
  const x = doc.page.width - doc.page.margins.right - w;
  doc.rect(x, y, w, 14).fill('#000000');
  doc.fillColor(TLP_COLOURS[tlp]).text(label, x + 5, y + 3, { lineBreak: false });
  doc.restore();
}

/** Header TLP banner, footer banner and page numbers on every page, once the content is laid out. */
function finishPages(doc: Doc, tlp: TlpLabel | null, footer: string): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.height - doc.page.margins.bottom + 20;
    if (tlp) {
      tlpBanner(doc, tlp, 25);
      tlpBanner(doc, tlp, bottom);
    }
    doc.save().font('Helvetica').fontSize(8).fillColor('#555555');
    doc.text(`${pdfText(footer)} · hal. ${i + 1}/${range.count}`, doc.page.margins.left, bottom + 3, { lineBreak: false });
    doc.restore();
  }
}

function heading(doc: Doc, text: string): void {
  doc.moveDown(0.8).font('Helvetica-Bold').fontSize(12).fillColor('#000000').text(pdfText(text)).moveDown(0.3);
}

function field(doc: Doc, label: string, value: string | null | undefined): void {
  doc
    .font('Helvetica-Bold')
    .fontSize(9)
    .fillColor('#000000')
    .text(`${pdfText(label)}: `, { continued: true })
    .font('Helvetica')
    .text(pdfText(value));
}

function paragraph(doc: Doc, text: string | null | undefined): void {
  doc.font('Helvetica').fontSize(9).fillColor('#000000').text(pdfText(text), { align: 'left' });
}

export interface IncidentReportData {
  ticket: string;
  title: string;
  status: IncidentState;
  source: string;
  category: string;
  impact: string;
  urgency: string;
  priority: Priority;
  tlp: TlpLabel;
  opdUnitName: string | null;
  reporterName: string;
  reporterOrganisation: string | null;
  description: string;
  affectedSystems: string[];
  reportedAt: string;
  milestones: Record<string, string | null>;
  sla: Record<'recommendation' | 'resolution' | 'closure', { dueAt: string; metAt: string | null; status: string }>;
  recommendation: string | null;
  resolutionReport: string | null;
  closureRecord: string | null;
  timeline: Array<{ at: string; kind: string; actorName: string | null; body: string | null }>;
  evidence: Array<{ fileName: string; size: number; sha256: string; uploadedAt: string; uploader: string }>;
  observables: Array<{ type: string; value: string }>;
  coordinations: Array<{ partyName: string; partyKind: string; contactedAt: string; theirReference: string | null; notes: string | null }>;
}

const MILESTONE_NAMES: Record<string, string> = {
  validatedAt: 'Divalidasi (helpdesk)',
  recordedAt: 'Dicatat (tim data)',
  analysisStartedAt: 'Analisis dimulai',
  recommendedAt: 'Rekomendasi awal',
  handedOverAt: 'Diserahkan ke penanganan',
  resolvedAt: 'Selesai ditangani',
  closedAt: 'Ditutup (tim data)',
  reporterClosedAt: 'Status pelapor ditutup',
  rejectedAt: 'Ditolak',
};

export async function renderIncidentReport(
  i: IncidentReportData,
  meta: { office: string; generatedAt: Date; generatedBy: string },
): Promise<Buffer> {
  const doc = newDoc(`Laporan insiden ${i.ticket}`, meta.generatedAt);
  doc
    .font('Helvetica-Bold')
    .fontSize(15)
    .text('LAPORAN INSIDEN SIBER')
    .font('Helvetica')
    .fontSize(9)
    .text(`Cyber incident report · ${pdfText(meta.office)}`);
  doc
    .moveDown(0.5)
    .font('Helvetica-Bold')
    .fontSize(13)
    .text(`${i.ticket} — ${pdfText(i.title)}`);
  doc.font('Helvetica').fontSize(8).fillColor('#333333').text(pdfText(TLP_DESCRIPTIONS[i.tlp].id)).fillColor('#000000');

  heading(doc, 'Ringkasan');
  const cat = categoryLabel(i.category);
  field(doc, 'Status', STATE_LABELS[i.status].id);
  field(doc, 'Kategori (RSIT)', `${i.category} — ${cat.id}`);
  field(doc, 'Dampak / urgensi / prioritas', `${i.impact} / ${i.urgency} / ${PRIORITY_LABELS[i.priority].id}`);
  field(doc, 'OPD', i.opdUnitName);
  field(doc, 'Pelapor', `${i.reporterName}${i.reporterOrganisation ? ` (${i.reporterOrganisation})` : ''} · sumber: ${i.source}`);
  field(doc, 'Dilaporkan', dateTime(i.reportedAt));
  field(doc, 'Sistem terdampak', i.affectedSystems.join('; ') || '-');
  doc.moveDown(0.3);
  paragraph(doc, i.description);

  heading(doc, 'Tahapan dan tenggat layanan');
  for (const [key, name] of Object.entries(MILESTONE_NAMES)) if (i.milestones[key]) field(doc, name, dateTime(i.milestones[key]));
  for (const [target, name] of [
    ['recommendation', 'Tenggat rekomendasi awal'],
    ['resolution', 'Tenggat penyelesaian'],
    ['closure', 'Tenggat penutupan (10 hari kerja)'],
  ] as const) {
    field(doc, name, `${dateTime(i.sla[target].dueAt)} — ${i.sla[target].status}`);
  }

  heading(doc, 'Rekomendasi awal');
  paragraph(doc, i.recommendation);
  heading(doc, 'Laporan penyelesaian');
  paragraph(doc, i.resolutionReport);
  heading(doc, 'Catatan penutupan');
  paragraph(doc, i.closureRecord);

  heading(doc, 'Koordinasi dengan CSIRT/instansi');
  if (!i.coordinations.length) paragraph(doc, 'Tidak ada.');
  for (const c of i.coordinations) {
    paragraph(
      doc,
      `${dateTime(c.contactedAt)} · ${c.partyName} (${c.partyKind})${c.theirReference ? ` · ref. ${c.theirReference}` : ''}${c.notes ? `\n${c.notes}` : ''}`,
    );
  }

  heading(doc, 'Bukti (rantai penguasaan: SHA-256)');
  if (!i.evidence.length) paragraph(doc, 'Tidak ada.');
  for (const e of i.evidence) {
    doc
      .font('Helvetica')
      .fontSize(9)
      .text(`${pdfText(e.fileName)} · ${e.size} bita · ${e.uploader} · ${dateTime(e.uploadedAt)}`);
    doc.font('Courier').fontSize(8).text(e.sha256).moveDown(0.2);
  }

  heading(doc, 'Observable');
  if (!i.observables.length) paragraph(doc, 'Tidak ada.');
  for (const o of i.observables)
    doc
      .font('Courier')
      .fontSize(8)
      .text(pdfText(`${o.type.padEnd(8)} ${o.value}`));

  heading(doc, 'Linimasa');
  for (const t of i.timeline) {
    doc
      .font('Helvetica-Bold')
      .fontSize(8)
      .text(`${dateTime(t.at)} · ${pdfText(t.kind)} · ${pdfText(t.actorName ?? 'sistem')}`);
    if (t.body)
      doc
        .font('Helvetica')
        .fontSize(8)
        .text(pdfText(t.body.length > 800 ? `${t.body.slice(0, 800)}…` : t.body));
    doc.moveDown(0.2);
  }

  finishPages(doc, i.tlp, `${i.ticket} · dicetak ${dateTime(meta.generatedAt)} oleh ${meta.generatedBy}`);
  return toBuffer(doc);
}

export interface MonthlyIncidentLine {
  ticket: string;
  reportedAt: Date;
  category: string;
  priority: string;
  status: IncidentState;
  title: string;
  tlp: TlpLabel;
  opdUnitName: string | null;
}

const MONTHS_ID = [
  'Januari',
  'Februari',
  'Maret',
  'April',
  'Mei',
  'Juni',
  'Juli',
  'Agustus',
  'September',
  'Oktober',
  'November',
  'Desember',
];

export async function renderMonthlyReport(
  month: string,
  m: IncidentMetrics,
  lines: MonthlyIncidentLine[],
  meta: { office: string; generatedAt: Date; generatedBy: string },
): Promise<Buffer> {
  const [year, mon] = month.split('-').map(Number);
  const name = `${MONTHS_ID[mon! - 1]} ${year}`;
  const doc = newDoc(`Laporan bulanan layanan SOC ${name}`, meta.generatedAt);
  doc.font('Helvetica-Bold').fontSize(15).text('LAPORAN BULANAN LAYANAN SECURITY OPERATION CENTER');
  doc
    .font('Helvetica')
    .fontSize(10)
    .text(`${pdfText(meta.office)} · periode ${name}`);

  heading(doc, 'Ringkasan');
  field(doc, 'Jumlah laporan', String(m.total));
  field(doc, 'Ditolak (di luar lingkup)', String(m.rejected));
  field(doc, 'Masih terbuka', String(m.open));
  const hours = (s: IncidentMetrics['timeToValidate']) =>
    s.count ? `median ${s.medianHours} jam, rata-rata ${s.averageHours} jam (n=${s.count})` : '-';
  field(doc, 'Waktu hingga validasi', hours(m.timeToValidate));
  field(doc, 'Waktu hingga rekomendasi awal', hours(m.timeToInitialRecommendation));
  field(doc, 'Waktu hingga selesai ditangani', hours(m.timeToResolution));

  heading(doc, 'Kepatuhan standar pelayanan (SLA)');
  const pct = (c: IncidentMetrics['slaCompliance']['overall']) =>
    c.percent === null ? 'belum ada' : `${c.percent}% (${c.met} tepat waktu, ${c.missed} terlambat)`;
  field(doc, 'Rekomendasi awal', pct(m.slaCompliance.recommendation));
  field(doc, 'Penyelesaian', pct(m.slaCompliance.resolution));
  field(doc, 'Penutupan 10 hari kerja', pct(m.slaCompliance.closure));
  field(doc, 'Keseluruhan', pct(m.slaCompliance.overall));

  const figures = m.byMonth[0];
  heading(doc, 'Menurut kategori');
  for (const [code, n] of Object.entries(figures?.byCategory ?? {}).sort((a, b) => b[1] - a[1]))
    field(doc, categoryLabel(code).id, String(n));
  heading(doc, 'Menurut prioritas');
  for (const [p, n] of Object.entries(figures?.byPriority ?? {}).sort()) field(doc, p, String(n));
  heading(doc, 'Menurut OPD');
  for (const o of figures?.byOpd ?? []) field(doc, o.unitName ?? '(belum ditentukan)', String(o.count));

  heading(doc, 'Daftar insiden');
  for (const l of lines) {
    const title = l.tlp === 'RED' ? '[TLP:RED]' : l.title;
    doc
      .font('Helvetica')
      .fontSize(8)
      .text(
        pdfText(
          `${l.ticket} · ${dateTime(l.reportedAt)} · ${l.priority} · ${STATE_LABELS[l.status].id} · ${l.category} · ${l.opdUnitName ?? '-'} · ${title}`,
        ),
      );
  }
  finishPages(doc, 'AMBER', `Laporan bulanan ${name} · dicetak ${dateTime(meta.generatedAt)} oleh ${meta.generatedBy}`);
  return toBuffer(doc);
}
