import type { SchemaParts } from '@sandi/core';
import { CertApplicantLinkEntity } from './entities/cert-applicant-link.entity.js';
import { CertApplicationDocumentEntity } from './entities/cert-application-document.entity.js';
import { CertApplicationEventEntity } from './entities/cert-application-event.entity.js';
import { CertApplicationEntity } from './entities/cert-application.entity.js';
import { CertCrlEntity } from './entities/cert-crl.entity.js';
import { CertHolderEntity } from './entities/cert-holder.entity.js';
import { CertSignatureEntity } from './entities/cert-signature.entity.js';
import { CertificateAuthorityEntity } from './entities/certificate-authority.entity.js';
import { CertificateEntity } from './entities/certificate.entity.js';
import { CertificatesSchema1764979200000 } from './migrations/1764979200000-certificates-schema.js';
import { CertificatesCsrKeySourceChain1795392000000 } from './migrations/1795392000000-certificates-csr-key-source.js';
import { CertificatesStatusNotify1795478400000 } from './migrations/1795478400000-certificates-status-notify.js';

/** The certificates library's tables, for the application's data source and the test databases. */
export const CERTIFICATES_SCHEMA: SchemaParts = {
  entities: [
    CertificateAuthorityEntity,
    CertHolderEntity,
    CertificateEntity,
    CertApplicationEntity,
    CertApplicationDocumentEntity,
    CertApplicationEventEntity,
    CertApplicantLinkEntity,
    CertCrlEntity,
    CertSignatureEntity,
  ],
  migrations: [CertificatesSchema1764979200000, CertificatesCsrKeySourceChain1795392000000, CertificatesStatusNotify1795478400000],
};
