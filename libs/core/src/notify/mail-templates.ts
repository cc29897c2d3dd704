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

function defineTemplates<T extends Record<string, MailTemplateDefinition>>(templates: T): T {
  return templates;
}

const FOOTER_ID = 'Pesan ini dikirim otomatis oleh Sandi, layanan persandian. Mohon tidak membalas e-mail ini.';
const FOOTER_EN = 'This message was sent automatically by Sandi, the persandian services platform. Please do not reply.';

export const MAIL_TEMPLATES = defineTemplates({
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

function formatDateTime(iso: string, locale: MailLocale, name: string, template: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime()))
    throw new MailTemplateError(`Template ${template}: variable '${name}' must be an ISO date-time, got '${iso}'`);
  return new Intl.DateTimeFormat(locale === 'id' ? 'id-ID' : 'en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: MAIL_TIME_ZONE,
    timeZoneName: 'short',
  }).format(date);
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
