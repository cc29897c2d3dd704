import { Module, type Provider } from '@nestjs/common';
import { ConfigService } from '@sandi/core';
import { CertApplicationService } from './cert-application.service.js';
import { CertApplicationsController } from './cert-applications.controller.js';
import { CertificateLifecycleService } from './certificate-lifecycle.service.js';
import { CertificateService } from './certificate.service.js';
import { CertificatesController } from './certificates.controller.js';
import { CertificatesJobs } from './certificates.jobs.js';
import { LocalCaService } from './local-ca.service.js';
import { OcspEndpoint } from './ocsp.endpoint.js';
import { PkiController } from './pki.controller.js';
import { PublicCertificatesController } from './public-certificates.controller.js';
import { BsreClient } from './ra/bsre/bsre.client.js';
import { BSRE_SIGNER, BsreRaAdapter } from './ra/bsre-ra.adapter.js';
import { LocalRaAdapter } from './ra/local-ra.adapter.js';
import { REGISTRATION_AUTHORITY } from './ra/registration-authority.port.js';
import { SigningService } from './signing.service.js';
import { TrustStoreService } from './trust-store.service.js';
import { VerificationService } from './verification.service.js';

const bsreProviders: Provider[] = [
  {
    provide: BsreClient,
    inject: [ConfigService],
    useFactory: (config: ConfigService) =>
      config.get('BSRE_BASE_URL')
        ? new BsreClient({
            baseUrl: config.get('BSRE_BASE_URL')!,
            username: config.get('BSRE_USERNAME') ?? '',
            password: config.get('BSRE_PASSWORD') ?? '',
            timeoutMs: config.get('BSRE_TIMEOUT_MS'),
            signTimeoutMs: config.get('BSRE_SIGN_TIMEOUT_MS'),
          })
        : null,
  },
  { provide: BsreRaAdapter, inject: [BsreClient], useFactory: (client: BsreClient | null) => (client ? new BsreRaAdapter(client) : null) },
  { provide: BSRE_SIGNER, useExisting: BsreRaAdapter },
];

/**
 * E-signature certificates (Pelayanan Tandatangan / Sertifikat Elektronik): the four procedures, the
 * RA port with the local CA and BSrE adapters, CRL and OCSP, verification, PDF signing. Needs
 * CoreModule (global): DataSource, ConfigService, DataCipher, AuditService, NotifyService,
 * FileStorageService, CalendarService.
 */
@Module({
  controllers: [PublicCertificatesController, PkiController, CertApplicationsController, CertificatesController],
  providers: [
    LocalCaService,
    OcspEndpoint,
    LocalRaAdapter,
    ...bsreProviders,
    {
      provide: REGISTRATION_AUTHORITY,
      inject: [ConfigService, LocalRaAdapter, BsreRaAdapter],
      useFactory: (config: ConfigService, local: LocalRaAdapter, bsre: BsreRaAdapter | null) => {
        if (config.get('CERT_RA_ADAPTER') === 'local') return local;
        if (!bsre) throw new Error('CERT_RA_ADAPTER=bsre needs BSRE_BASE_URL, BSRE_USERNAME and BSRE_PASSWORD');
        return bsre;
      },
    },
    CertApplicationService,
    CertificateService,
    CertificateLifecycleService,
    SigningService,
    VerificationService,
    TrustStoreService,
    CertificatesJobs,
  ],
  exports: [
    LocalCaService,
    OcspEndpoint,
    CertApplicationService,
    CertificateService,
    SigningService,
    VerificationService,
    CertificateLifecycleService,
  ],
})
export class CertificatesModule {}
