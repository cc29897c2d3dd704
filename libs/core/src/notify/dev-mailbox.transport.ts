import { messageIdFor, type MailTransport, type OutgoingMail } from './mail-transport.js';

/**
 * Used when SMTP_URL is unset (development, demos, offices without a relay): "delivery" is the outbox
 * row itself being marked sent with transport 'devbox', and admins read it in the mailbox page.
 */
export class DevMailboxTransport implements MailTransport {
  readonly name = 'devbox' as const;

  constructor(private readonly from: string) {}

  async send(mail: OutgoingMail): Promise<{ messageId: string }> {
    return { messageId: messageIdFor(mail, this.from) };
  }
}
