/**
 * Every e-mail the platform sends, in Bahasa Indonesia (`id`, the default) and English (`en`).
 *
 * A template names the variables it needs; `{{var}}` placeholders are filled at enqueue time, and a
 * missing variable throws there (a programming error, caught by the type of `vars` and by the
 * template test). The HTML part is derived from the text, so a variable is HTML-escaped exactly once
 * and a template cannot forget to. `{{appUrl}}` (PUBLIC_URL) is available to every template.
 *
 * Features add their templates to `MAIL_TEMPLATES` below.
 */

/** `datetime` variables are ISO-8601 strings, shown in the reader's language in office time (WIB). */
export type TemplateVarKind = 'text' | 'datetime';

export interface MailContent {
  subject: string;
  text: string;
}

export interface MailTemplateDefinition {
  vars: Record<string, TemplateVarKind>;
  id: MailContent;
  en: MailContent;
}

export type MailLocale = 'id' | 'en';

/** Variables every template may use without declaring them; NotifyService supplies them. */
export const BUILTIN_TEMPLATE_VARS = ['appUrl'] as const;
export type BuiltinTemplateVar = (typeof BUILTIN_TEMPLATE_VARS)[number];

/** The office's time zone for dates in mail. Regional offices outside WIB would make this configurable. */
export const MAIL_TIME_ZONE = 'Asia/Jakarta';

import { CERTIFICATE_MAIL_TEMPLATES } from './certificate-mail-templates.js';

function defineTemplates<T extends Record<string, MailTemplateDefinition>>(templates: T): T {
  return templates;
}

const FOOTER_ID = 'Pesan ini dikirim otomatis oleh Sandi, layanan persandian. Mohon tidak membalas e-mail ini.';
const FOOTER_EN = 'This message was sent automatically by Sandi, the persandian services platform. Please do not reply.';

export const MAIL_TEMPLATES = defineTemplates({
  ...CERTIFICATE_MAIL_TEMPLATES,
  'auth.password_reset_by_admin': {
    vars: { name: 'text', username: 'text' },
    id: {
      subject: 'Kata sandi akun Sandi Anda telah direset',
      text: [
        'Yth. {{name}},',
        'Administrator telah mereset kata sandi akun Sandi Anda ({{username}}). Masuk dengan kata sandi sementara yang diberikan administrator melalui saluran resmi; Anda wajib menggantinya saat masuk berikutnya.',
        'Jika Anda tidak meminta reset ini, segera hubungi administrator Bidang Persandian.',
        'Masuk: {{appUrl}}',
        FOOTER_ID,
      ].join('\n\n'),
    },
    en: {
      subject: 'Your Sandi account password was reset',
      text: [
        'Dear {{name}},',
        'An administrator has reset the password of your Sandi account ({{username}}). Sign in with the temporary password the administrator gave you through an official channel; you must change it at your next sign-in.',
        'If you did not ask for this reset, contact the persandian administrator at once.',
        'Sign in: {{appUrl}}',
        FOOTER_EN,
      ].join('\n\n'),
    },
  },
  'auth.account_locked': {
    vars: { name: 'text', until: 'datetime' },
    id: {
      subject: 'Akun Sandi Anda dikunci sementara',
      text: [
        'Yth. {{name}},',
        'Akun Sandi Anda dikunci karena terlalu banyak percobaan masuk yang gagal. Anda dapat mencoba masuk kembali setelah {{until}}.',
        'Jika bukan Anda yang mencoba masuk, segera hubungi administrator Bidang Persandian: seseorang mungkin sedang menebak kata sandi Anda.',
        FOOTER_ID,
      ].join('\n\n'),
    },
    en: {
      subject: 'Your Sandi account is temporarily locked',
      text: [
        'Dear {{name}},',
        'Your Sandi account was locked after too many failed sign-in attempts. You can try to sign in again after {{until}}.',
        'If it was not you trying to sign in, contact the persandian administrator at once: someone may be guessing your password.',
        FOOTER_EN,
      ].join('\n\n'),
    },
  },
  'system.test': {
    vars: {},
    id: {
      subject: 'Pesan uji dari Sandi',
      text: ['Ini adalah pesan uji dari Sandi ({{appUrl}}). Jika Anda menerimanya, pengiriman e-mail berfungsi.', FOOTER_ID].join('\n\n'),
    },
    en: {
      subject: 'Test message from Sandi',
      text: ['This is a test message from Sandi ({{appUrl}}). If you received it, outgoing mail works.', FOOTER_EN].join('\n\n'),
    },
  },
  // --- SOC incidents (libs/incidents) -------------------------------------------------------------
  'incidents.report_received': {
    vars: { name: 'text', ticket: 'text', title: 'text', reportedAt: 'datetime', trackingUrl: 'text' },
    id: {
      subject: 'Laporan insiden siber diterima: {{ticket}}',
      text: [
        'Yth. {{name}},',
        'Terima kasih. Laporan insiden Anda "{{title}}" telah kami terima pada {{reportedAt}} dengan nomor tiket {{ticket}}.',
        'Helpdesk SOC akan memvalidasi laporan ini lalu meneruskannya kepada tim terkait. Sesuai standar pelayanan, insiden ditangani dalam 1–10 hari kerja.',
        'Pantau status laporan Anda melalui tautan pribadi berikut. Jangan bagikan tautan ini: siapa pun yang memegangnya dapat melihat status laporan Anda.',
        '{{trackingUrl}}',
        FOOTER_ID,
      ].join('\n\n'),
    },
    en: {
      subject: 'Cyber incident report received: {{ticket}}',
      text: [
        'Dear {{name}},',
        'Thank you. We received your incident report "{{title}}" on {{reportedAt}} under ticket number {{ticket}}.',
        'The SOC helpdesk will validate it and forward it to the teams concerned. Under the service standard, incidents are handled within 1–10 working days.',
        'Follow your report through this private link. Do not share it: anyone holding it can see the status of your report.',
        '{{trackingUrl}}',
        FOOTER_EN,
      ].join('\n\n'),
    },
  },
  'incidents.returned_to_reporter': {
    vars: { name: 'text', ticket: 'text', message: 'text', trackingUrl: 'text' },
    id: {
      subject: 'Laporan {{ticket}} perlu dilengkapi',
      text: [
        'Yth. {{name}},',
        'Helpdesk SOC memerlukan keterangan tambahan untuk laporan {{ticket}}:',
        '{{message}}',
        'Lengkapi laporan Anda melalui tautan pelacakan: {{trackingUrl}}',
        FOOTER_ID,
      ].join('\n\n'),
    },
    en: {
      subject: 'Report {{ticket}} needs more information',
      text: [
        'Dear {{name}},',
        'The SOC helpdesk needs more information about report {{ticket}}:',
        '{{message}}',
        'Add it to your report through the tracking link: {{trackingUrl}}',
        FOOTER_EN,
      ].join('\n\n'),
    },
  },
  'incidents.rejected': {
    vars: { name: 'text', ticket: 'text', reason: 'text' },
    id: {
      subject: 'Laporan {{ticket}} tidak dapat diproses',
      text: [
        'Yth. {{name}},',
        'Laporan {{ticket}} tidak dapat kami proses sebagai insiden siber dalam lingkup layanan SOC, dengan alasan:',
        '{{reason}}',
        'Jika menurut Anda keputusan ini keliru, silakan kirim laporan baru dengan keterangan tambahan.',
        FOOTER_ID,
      ].join('\n\n'),
    },
    en: {
      subject: 'Report {{ticket}} cannot be processed',
      text: [
        'Dear {{name}},',
        'We cannot handle report {{ticket}} as a cyber incident within the scope of the SOC service, because:',
        '{{reason}}',
        'If you think this is wrong, please send a new report with more information.',
        FOOTER_EN,
      ].join('\n\n'),
    },
  },
  'incidents.initial_recommendation': {
    vars: { name: 'text', ticket: 'text', recommendation: 'text', trackingUrl: 'text' },
    id: {
      subject: 'Rekomendasi awal untuk insiden {{ticket}}',
      text: [
        'Yth. {{name}},',
        'Tim Analisis Insiden telah menganalisis laporan {{ticket}} dan memberikan rekomendasi awal berikut:',
        '{{recommendation}}',
        'Insiden kini diteruskan kepada Tim Penanganan Insiden. Status terkini: {{trackingUrl}}',
        FOOTER_ID,
      ].join('\n\n'),
    },
    en: {
      subject: 'Initial recommendation for incident {{ticket}}',
      text: [
        'Dear {{name}},',
        'The incident analysis team has analysed report {{ticket}} and gives this initial recommendation:',
        '{{recommendation}}',
        'The incident goes on to the incident handling team. Current status: {{trackingUrl}}',
        FOOTER_EN,
      ].join('\n\n'),
    },
  },
  'incidents.recommendation_withheld': {
    vars: { name: 'text', ticket: 'text' },
    id: {
      subject: 'Rekomendasi awal untuk insiden {{ticket}} tersedia',
      text: [
        'Yth. {{name}},',
        'Rekomendasi awal untuk insiden {{ticket}} telah tersedia. Karena laporan ini berlabel TLP:RED, rekomendasi tidak dikirim melalui e-mail atau tautan; Tim Analisis Insiden akan menyampaikannya langsung kepada Anda.',
        FOOTER_ID,
      ].join('\n\n'),
    },
    en: {
      subject: 'Initial recommendation for incident {{ticket}} is ready',
      text: [
        'Dear {{name}},',
        'The initial recommendation for incident {{ticket}} is ready. As the report is labelled TLP:RED, it is not sent by e-mail or link; the incident analysis team will give it to you in person.',
        FOOTER_EN,
      ].join('\n\n'),
    },
  },
  'incidents.reporter_closed': {
    vars: { name: 'text', ticket: 'text', message: 'text', trackingUrl: 'text' },
    id: {
      subject: 'Laporan {{ticket}} selesai',
      text: [
        'Yth. {{name}},',
        'Penanganan insiden {{ticket}} telah selesai dan laporan Anda kami tutup.',
        '{{message}}',
        'Riwayat laporan: {{trackingUrl}}',
        'Terima kasih atas laporan Anda.',
        FOOTER_ID,
      ].join('\n\n'),
    },
    en: {
      subject: 'Report {{ticket}} completed',
      text: [
        'Dear {{name}},',
        'Handling of incident {{ticket}} is complete and we have closed your report.',
        '{{message}}',
        'History of the report: {{trackingUrl}}',
        'Thank you for reporting.',
        FOOTER_EN,
      ].join('\n\n'),
    },
  },
  'incidents.forwarded': {
    vars: { ticket: 'text', title: 'text', priority: 'text', team: 'text', incidentId: 'text' },
    id: {
      subject: '[{{priority}}] Insiden {{ticket}} menunggu {{team}}',
      text: [
        'Insiden {{ticket}} "{{title}}" ({{priority}}) kini ada di antrean {{team}}.',
        'Buka: {{appUrl}}/insiden/{{incidentId}}',
        FOOTER_ID,
      ].join('\n\n'),
    },
    en: {
      subject: '[{{priority}}] Incident {{ticket}} waiting for {{team}}',
      text: [
        'Incident {{ticket}} "{{title}}" ({{priority}}) is now in the queue of the {{team}}.',
        'Open: {{appUrl}}/insiden/{{incidentId}}',
        FOOTER_EN,
      ].join('\n\n'),
    },
  },
  'incidents.assigned': {
    vars: { name: 'text', ticket: 'text', title: 'text', priority: 'text', incidentId: 'text' },
    id: {
      subject: '[{{priority}}] Insiden {{ticket}} ditugaskan kepada Anda',
      text: [
        'Yth. {{name}},',
        'Insiden {{ticket}} "{{title}}" ({{priority}}) ditugaskan kepada Anda.',
        'Buka: {{appUrl}}/insiden/{{incidentId}}',
        FOOTER_ID,
      ].join('\n\n'),
    },
    en: {
      subject: '[{{priority}}] Incident {{ticket}} assigned to you',
      text: [
        'Dear {{name}},',
        'Incident {{ticket}} "{{title}}" ({{priority}}) is assigned to you.',
        'Open: {{appUrl}}/insiden/{{incidentId}}',
        FOOTER_EN,
      ].join('\n\n'),
    },
  },
  'incidents.sla_warning': {
    vars: { ticket: 'text', title: 'text', target: 'text', dueAt: 'datetime', incidentId: 'text' },
    id: {
      subject: 'Tenggat {{target}} insiden {{ticket}} segera tiba',
      text: [
        'Tenggat {{target}} untuk insiden {{ticket}} "{{title}}" jatuh pada {{dueAt}}.',
        'Buka: {{appUrl}}/insiden/{{incidentId}}',
        FOOTER_ID,
      ].join('\n\n'),
    },
    en: {
      subject: 'The {{target}} deadline of incident {{ticket}} is near',
      text: [
        'The {{target}} deadline of incident {{ticket}} "{{title}}" is {{dueAt}}.',
        'Open: {{appUrl}}/insiden/{{incidentId}}',
        FOOTER_EN,
      ].join('\n\n'),
    },
  },
  'incidents.escalated': {
    vars: { ticket: 'text', title: 'text', status: 'text', reportedAt: 'datetime', incidentId: 'text' },
    id: {
      subject: 'ESKALASI: insiden {{ticket}} belum selesai dalam 10 hari kerja',
      text: [
        'Insiden {{ticket}} "{{title}}", dilaporkan {{reportedAt}}, telah mencapai batas 10 hari kerja standar pelayanan tetapi belum selesai ditangani (status: {{status}}).',
        'Insiden ini TIDAK ditutup otomatis. Tim Manajemen Data Insiden diminta meninjau dan menindaklanjutinya.',
        'Buka: {{appUrl}}/insiden/{{incidentId}}',
        FOOTER_ID,
      ].join('\n\n'),
    },
    en: {
      subject: 'ESCALATION: incident {{ticket}} not resolved within 10 working days',
      text: [
        'Incident {{ticket}} "{{title}}", reported {{reportedAt}}, has reached the 10-working-day limit of the service standard unresolved (status: {{status}}).',
        'It has NOT been closed automatically. The incident data management team is asked to review it and follow up.',
        'Open: {{appUrl}}/insiden/{{incidentId}}',
        FOOTER_EN,
      ].join('\n\n'),
    },
  },
  'incidents.auto_closed': {
    vars: { ticket: 'text', title: 'text', incidentId: 'text' },
    id: {
      subject: 'Insiden {{ticket}} ditutup pada batas 10 hari kerja',
      text: [
        'Insiden {{ticket}} "{{title}}" telah selesai ditangani dan ditutup otomatis pada batas 10 hari kerja, dengan catatan penutupan berdasarkan laporan penyelesaian.',
        'Periksa catatan penutupan dan tutup status pelapor: {{appUrl}}/insiden/{{incidentId}}',
        FOOTER_ID,
      ].join('\n\n'),
    },
    en: {
      subject: 'Incident {{ticket}} closed at the 10-working-day mark',
      text: [
        'Incident {{ticket}} "{{title}}" was resolved and has been closed automatically at the 10-working-day mark, with a closure record based on the resolution report.',
        "Review the closure record and close the reporter's status: {{appUrl}}/insiden/{{incidentId}}",
        FOOTER_EN,
      ].join('\n\n'),
    },
  },
  'incidents.monthly_report': {
    vars: { month: 'text', monthKey: 'text', reported: 'text', resolved: 'text', closed: 'text', compliance: 'text' },
    id: {
      subject: 'Laporan bulanan layanan SOC {{month}} tersedia',
      text: [
        'Yth. Pimpinan dan Administrator,',
        'Laporan bulanan layanan SOC untuk {{month}} telah tersedia (TLP:AMBER). Ringkasan: {{reported}} laporan insiden diterima, {{resolved}} selesai ditangani, {{closed}} ditutup; kepatuhan SLA penyelesaian {{compliance}}.',
        'Unduh laporan PDF (perlu masuk ke Sandi): {{appUrl}}/insiden/metrik?bulan={{monthKey}}',
        'Laporan ini berlabel TLP:AMBER: jangan diteruskan di luar organisasi penerima.',
        FOOTER_ID,
      ].join('\n\n'),
    },
    en: {
      subject: 'Monthly SOC service report for {{month}} available',
      text: [
        'Dear head of office and administrators,',
        'The monthly SOC service report for {{month}} is available (TLP:AMBER). Summary: {{reported}} incident reports received, {{resolved}} resolved, {{closed}} closed; resolution SLA compliance {{compliance}}.',
        'Download the PDF report (sign-in to Sandi required): {{appUrl}}/insiden/metrik?bulan={{monthKey}}',
        'This report is TLP:AMBER: do not pass it on outside the receiving organisation.',
        FOOTER_EN,
      ].join('\n\n'),
    },
  },
});

export type TemplateId = keyof typeof MAIL_TEMPLATES;
export const TEMPLATE_IDS = Object.keys(MAIL_TEMPLATES) as TemplateId[];

/** The variables a template needs, e.g. `TemplateVars<'auth.account_locked'>` = `{ name: string; until: string }`. */
export type TemplateVars<T extends TemplateId> = { [K in keyof (typeof MAIL_TEMPLATES)[T]['vars']]: string };

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/** A template used wrongly by code (unknown id, missing or malformed variable): a bug, not bad input. */
export class MailTemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MailTemplateError';
  }
}

const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}/g;
const SUBJECT_MAX = 300;

export function isTemplateId(id: string): id is TemplateId {
  return Object.prototype.hasOwnProperty.call(MAIL_TEMPLATES, id);
}

/** Placeholder names used in a piece of template text. */
export function placeholdersOf(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** One formatter per locale, built once: constructing Intl.DateTimeFormat costs more than formatting. */
const DATE_TIME_FORMATS: Record<MailLocale, Intl.DateTimeFormat> = {
  id: dateTimeFormat('id-ID'),
  en: dateTimeFormat('en-GB'),
};

function dateTimeFormat(tag: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat(tag, {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: MAIL_TIME_ZONE,
    timeZoneName: 'short',
  });
}

function formatDateTime(iso: string, locale: MailLocale, name: string, template: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime()))
    throw new MailTemplateError(`Template ${template}: variable '${name}' must be an ISO date-time, got '${iso}'`);
  return DATE_TIME_FORMATS[locale].format(date);
}

function fill(text: string, values: Record<string, string>, map: (v: string) => string = (v) => v): string {
  return text.replace(PLACEHOLDER, (_, name: string) => map(values[name]!));
}

function toHtml(text: string, values: Record<string, string>, locale: MailLocale): string {
  const paragraphs = text.split(/\n{2,}/).map(
    (p) =>
      `<p>${p
        .split('\n')
        .map((line) => escapeHtml(line).replace(PLACEHOLDER, (_, name: string) => escapeHtml(values[name]!)))
        .join('<br>\n')}</p>`,
  );
  return [
    '<!doctype html>',
    `<html lang="${locale}"><head><meta charset="utf-8"></head>`,
    '<body style="font-family: Arial, Helvetica, sans-serif; font-size: 14px; line-height: 1.5; color: #1f2937;">',
    ...paragraphs,
    '</body></html>',
  ].join('\n');
}

/**
 * Renders a template. `vars` must hold every declared variable (and the built-ins the template uses);
 * extra keys are ignored. Throws MailTemplateError on misuse.
 */
export function renderMail(template: string, locale: MailLocale, vars: Record<string, string | undefined>): RenderedMail {
  if (!isTemplateId(template)) throw new MailTemplateError(`Unknown mail template '${template}'`);
  const def: MailTemplateDefinition = MAIL_TEMPLATES[template];
  const content = def[locale];
  if (!content) throw new MailTemplateError(`Template ${template}: unknown locale '${String(locale)}'`);

  const values: Record<string, string> = {};
  for (const name of new Set([...placeholdersOf(content.subject), ...placeholdersOf(content.text)])) {
    const kind = def.vars[name] ?? ((BUILTIN_TEMPLATE_VARS as readonly string[]).includes(name) ? 'text' : undefined);
    if (!kind) throw new MailTemplateError(`Template ${template} (${locale}) uses undeclared variable '${name}'`);
    const raw = vars[name];
    if (typeof raw !== 'string') throw new MailTemplateError(`Template ${template}: missing variable '${name}'`);
    values[name] = kind === 'datetime' ? formatDateTime(raw, locale, name, template) : raw;
  }
  for (const name of Object.keys(def.vars)) {
    if (typeof vars[name] !== 'string') throw new MailTemplateError(`Template ${template}: missing variable '${name}'`);
  }

  // A variable must not be able to add header lines through the subject.
  const subject = fill(content.subject, values, (v) => v.replace(/[\r\n\t]+/g, ' '))
    .trim()
    .slice(0, SUBJECT_MAX);
  return { subject, text: fill(content.text, values), html: toHtml(content.text, values, locale) };
}
