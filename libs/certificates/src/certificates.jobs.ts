import { Injectable } from '@nestjs/common';
import { ConfigService, DAY_MS, HOUR_MS, MINUTE_MS, ScheduledJob } from '@sandi/core';
import { CertificateLifecycleService } from './certificate-lifecycle.service.js';
import { LocalCaService } from './local-ca.service.js';

/** The certificates library's schedules. Bodies only call services. */
@Injectable()
export class CertificatesJobs {
  constructor(
    private readonly lifecycle: CertificateLifecycleService,
    private readonly ca: LocalCaService,
    private readonly config: ConfigService,
  ) {}

  /** Expiry mails 30, 7 and 1 days before notAfter; daily at 07:00 WIB (00:00 UTC). */
  @ScheduledJob({ name: 'certificates.expiry', cron: '0 0 0 * * *', periodMs: DAY_MS })
  async expiry(): Promise<void> {
    await this.lifecycle.sendExpiryNotices();
  }

  /** SLA: applications past their 3 working days are put in front of the verifier (and the RA), once; hourly. */
  @ScheduledJob({ name: 'certificates.sla', cron: '0 15 * * * *', periodMs: HOUR_MS })
  async sla(): Promise<void> {
    await this.lifecycle.sendOverdueReminders();
  }

  /** The CRL is re-issued before its nextUpdate even when nothing was revoked. */
  @ScheduledJob({ name: 'certificates.crl', cron: '0 5 * * * *', periodMs: HOUR_MS })
  async crl(): Promise<void> {
    if (this.config.get('CERT_RA_ADAPTER') === 'local') await this.ca.refreshCrl();
  }

  /** BSrE: follow portal submissions (each application at most every BSRE_POLL_MINUTES). */
  @ScheduledJob({ name: 'certificates.ra_poll', cron: '0 */5 * * * *', periodMs: 5 * MINUTE_MS })
  async poll(): Promise<void> {
    await this.lifecycle.pollRegistrationAuthority();
  }
}
