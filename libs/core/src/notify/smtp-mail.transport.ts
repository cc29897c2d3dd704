import { createTransport, type Transporter } from 'nodemailer';
import { messageIdFor, type MailTransport, type OutgoingMail } from './mail-transport.js';

export interface SmtpMailTransportOptions {
  /** smtp://user:pass@host:587 (STARTTLS when offered) or smtps://host:465 (implicit TLS). */
  url: string;
  from: string;
  /** Connect, greeting and idle-socket timeout; a hung server must not stall the outbox worker. */
  timeoutMs?: number;
}

/**
 * Delivers through an SMTP server with nodemailer. One connection per message (no pool): the worker
 * sends a small batch every few seconds, and nothing is left open to go stale between batches.
 */
export class SmtpMailTransport implements MailTransport {
  readonly name = 'smtp' as const;
  private readonly transporter: Transporter;

  constructor(private readonly options: SmtpMailTransportOptions) {
    const timeout = options.timeoutMs ?? 10_000;
    this.transporter = createTransport({
      url: options.url,
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
      dnsTimeout: timeout,
    });
  }

  async send(mail: OutgoingMail): Promise<{ messageId: string }> {
    const info = await this.transporter.sendMail({
      from: this.options.from,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html ?? undefined,
      messageId: messageIdFor(mail, this.options.from),
      headers: { 'Auto-Submitted': 'auto-generated' },
    });
    return { messageId: String(info.messageId ?? messageIdFor(mail, this.options.from)) };
  }

  close(): void {
    this.transporter.close();
  }
}
