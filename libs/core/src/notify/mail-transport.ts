/** A rendered message on its way out; `id` is the outbox row id (used for a stable Message-ID). */
export interface OutgoingMail {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string | null;
}

export type MailTransportName = 'smtp' | 'devbox';

/**
 * Port to whatever delivers mail. `send` resolves once the message is accepted (by the SMTP server,
 * or by the developer mailbox) and rejects with the reason otherwise; it never touches the database.
 */
export interface MailTransport {
  readonly name: MailTransportName;
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
  close?(): Promise<void> | void;
}

/** DI token of the MailTransport chosen from configuration (SMTP_URL set: smtp, else devbox). */
export const MAIL_TRANSPORT = Symbol('MailTransport');

/** The domain part of the From address, for Message-IDs. */
function domainOf(from: string): string {
  const m = /@([A-Za-z0-9.-]+)\s*>?\s*$/.exec(from);
  return m?.[1] ?? 'sandi.local';
}

/** Stable across retries, so a receiving server can drop a duplicate after an uncertain delivery. */
export function messageIdFor(mail: Pick<OutgoingMail, 'id'>, from: string): string {
  return `<${mail.id}@${domainOf(from)}>`;
}

/** nodemailer error codes that mean no message can get through right now (not just this one). */
const SERVER_UNAVAILABLE_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ETLS', 'EAUTH', 'ENOAUTH', 'EPROTOCOL']);

/** Whether a send error says the server is unreachable or refusing us, rather than this one message. */
export function isServerUnavailable(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && SERVER_UNAVAILABLE_CODES.has(code);
}

const LAST_ERROR_MAX = 500;

/**
 * A one-line reason for `last_error`: the SMTP/network code and message, with any credentials in
 * URLs or AUTH lines blanked, truncated. Shown to admins, so never secrets.
 */
export function describeSendError(err: unknown): string {
  const e = (err ?? {}) as { code?: unknown; responseCode?: unknown; message?: unknown };
  const message = typeof e.message === 'string' && e.message ? e.message : String(err);
  const code = typeof e.code === 'string' ? e.code : undefined;
  const response = typeof e.responseCode === 'number' ? String(e.responseCode) : undefined;
  const prefix = [code, response].filter(Boolean).join(' ');
  const text = (prefix ? `${prefix}: ${message}` : message)
    .replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi, '$1***@')
    .replace(/\b(AUTH\s+(?:PLAIN|LOGIN|XOAUTH2|CRAM-MD5)\s+)\S+/gi, '$1***')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > LAST_ERROR_MAX ? `${text.slice(0, LAST_ERROR_MAX - 1)}…` : text;
}
