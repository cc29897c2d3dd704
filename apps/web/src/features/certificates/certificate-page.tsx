import { Link, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client';
import { formatDateTime } from '../../components/format';
import { ProblemAlert } from '../../components/problem-alert';
import { useAsync } from '../../components/use-async';
import { useLocale } from '../../components/use-locale';
import { usePageTitle } from '../../components/use-page-title';
import { useMe } from '../auth/auth-context';
import { DownloadLink } from '../incidents/download-link';
import { certApi } from './api';
import { CertificateStatusBadge, DaysLeft } from './cert-badges';
import { CertificateProcedureLinks } from './certificates-page';
import './certificates.css';

/** /sertifikat/sertifikat/:id — an issued certificate: details, PEM/DER download, the verifier's procedures. */
export function CertificatePage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const lang = useLocale();
  const me = useMe();
  const loaded = useAsync((signal) => certApi.certificates.get(id, { signal }), [id]);
  const cert = loaded.data?.id === id ? loaded.data : undefined;
  usePageTitle(cert ? `${cert.holderName} · ${cert.serial}` : t('certificates.certificate.title'));

  if (!cert) {
    return (
      <section className="page">
        <p className="breadcrumbs">
          <Link to="/sertifikat?tab=certificates" data-testid="cert-back">
            ← {t('certificates.certificate.back')}
          </Link>
        </p>
        {loaded.error ? (
          <>
            <ProblemAlert error={loaded.error} testId="cert-load-error" />
            {isApiError(loaded.error) && loaded.error.status === 404 && <p>{t('certificates.certificate.notFound')}</p>}
          </>
        ) : (
          <p className="muted" role="status">
            {t('common.loading')}
          </p>
        )}
      </section>
    );
  }

  const isVerifier = me.roles.includes('verifier');
  return (
    <section className="page page-medium" data-testid="cert-detail" data-status={cert.status}>
      <p className="breadcrumbs">
        <Link to="/sertifikat?tab=certificates" data-testid="cert-back">
          ← {t('certificates.certificate.back')}
        </Link>
      </p>
      <div className="page-header">
        <h1 data-testid="cert-title">{t('certificates.certificate.heading', { name: cert.holderName })}</h1>
        <CertificateStatusBadge status={cert.status} dueForRenewal={cert.dueForRenewal} testId="cert-status" />
      </div>
      {cert.dueForRenewal && (
        <div className="alert alert-warn" role="note" data-testid="cert-due-warning">
          {t('certificates.certificate.dueWarning', { count: cert.daysLeft })}
        </div>
      )}
      {cert.status === 'revoked' && (
        <div className="alert alert-error" role="note" data-testid="cert-revoked-note">
          {t('certificates.certificate.revokedNote', {
            time: formatDateTime(cert.revokedAt, lang),
            reason: cert.revocationReason ? t(`certificates.revocationReasons.${cert.revocationReason}`) : '—',
          })}
        </div>
      )}

      <div className="card">
        <dl className="meta-list meta-grid">
          <dt>{t('certificates.fields.holder')}</dt>
          <dd data-testid="cert-holder">{cert.holderName}</dd>
          <dt>{t('certificates.fields.email')}</dt>
          <dd>{cert.email}</dd>
          <dt>{t('certificates.fields.nik')}</dt>
          <dd className="mono">{cert.nikMasked}</dd>
          <dt>{t('certificates.fields.unit')}</dt>
          <dd>{cert.unitName ?? '—'}</dd>
          <dt>{t('certificates.fields.subject')}</dt>
          <dd className="mono break-word" data-testid="cert-subject">
            {cert.subject}
          </dd>
          <dt>{t('certificates.fields.serial')}</dt>
          <dd className="mono break-word" data-testid="cert-serial">
            {cert.serial}
          </dd>
          <dt>{t('certificates.fields.validity')}</dt>
          <dd>
            {formatDateTime(cert.notBefore, lang)} – {formatDateTime(cert.notAfter, lang)}
            <div>
              <DaysLeft daysLeft={cert.daysLeft} dueForRenewal={cert.dueForRenewal} testId="cert-days-left" />
            </div>
          </dd>
          <dt>{t('certificates.fields.keyAlgorithm')}</dt>
          <dd>{cert.keyAlgorithm}</dd>
          <dt>{t('certificates.fields.privateKey')}</dt>
          <dd data-testid="cert-key-custody" data-custody={cert.keyCustody}>
            {t(`certificates.keyCustody.${cert.keyCustody}`)}
          </dd>
          <dt>{t('certificates.fields.issuer')}</dt>
          <dd>{t(`certificates.adapters.${cert.adapter}`)}</dd>
          <dt>{t('certificates.fields.fingerprint')}</dt>
          <dd>
            <code className="hash" data-testid="cert-fingerprint">
              {cert.fingerprint}
            </code>
          </dd>
        </dl>
      </div>

      <section className="card" aria-labelledby="cert-downloads-title">
        <h2 id="cert-downloads-title">{t('certificates.certificate.downloads')}</h2>
        <p className="field-hint">{t('certificates.certificate.downloadsHint')}</p>
        <div className="action-group">
          <DownloadLink href={certApi.certificates.downloadUrl(cert.id, 'pem')} testId="cert-download-pem">
            {t('certificates.certificate.downloadPem')}
          </DownloadLink>
          <DownloadLink href={certApi.certificates.downloadUrl(cert.id, 'der')} testId="cert-download-der">
            {t('certificates.certificate.downloadDer')}
          </DownloadLink>
          <a href={certApi.pki.chainUrl()} download="" className="btn btn-secondary" data-testid="cert-download-chain">
            {t('certificates.public.chain')}
          </a>
        </div>
      </section>

      {isVerifier && (
        <section className="card" aria-labelledby="cert-procedures-title" data-testid="cert-procedures">
          <h2 id="cert-procedures-title">{t('certificates.certificate.procedures')}</h2>
          {cert.status === 'revoked' ? (
            <p className="muted">{t('certificates.certificate.noProcedures')}</p>
          ) : (
            <>
              <p className="field-hint">{t('certificates.certificate.proceduresHint')}</p>
              <CertificateProcedureLinks certificateId={cert.id} status={cert.status} serial={cert.serial} />
            </>
          )}
        </section>
      )}
    </section>
  );
}
