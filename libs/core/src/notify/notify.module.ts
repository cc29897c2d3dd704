import { Module } from '@nestjs/common';
import { ConfigService } from '../config/config.service.js';
import { DevMailboxTransport } from './dev-mailbox.transport.js';
import { MailboxController } from './mailbox.controller.js';
import { MAIL_TRANSPORT, type MailTransport } from './mail-transport.js';
import { NotifyService } from './notify.service.js';
import { OutboxWorker } from './outbox.worker.js';
import { SmtpMailTransport } from './smtp-mail.transport.js';

export function createMailTransport(config: ConfigService): MailTransport {
  const url = config.get('SMTP_URL');
  const from = config.get('MAIL_FROM');
  return url ? new SmtpMailTransport({ url, from }) : new DevMailboxTransport(from);
}

/**
 * Mail outbox: NotifyService.enqueue writes mail in the caller's transaction, OutboxWorker delivers
 * it (SMTP, or the developer mailbox when SMTP_URL is unset). Needs DataSource and ConfigService
 * from the application (global providers).
 */
@Module({
  controllers: [MailboxController],
  providers: [NotifyService, OutboxWorker, { provide: MAIL_TRANSPORT, inject: [ConfigService], useFactory: createMailTransport }],
  exports: [NotifyService, OutboxWorker, MAIL_TRANSPORT],
})
export class NotifyModule {}
