import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { usePageTitle } from '../../components/use-page-title';
import { certApi } from './api';

/** /tte — the public face of the e-signature service: sign, verify, and the CA's files for relying parties. */
export function TteHomePage() {
  const { t } = useTranslation();
  usePageTitle(t('certificates.public.title'));
  return (
    <section className="page page-medium">
      <h1 data-testid="tte-home-heading">{t('certificates.public.title')}</h1>
      <p className="lead">{t('certificates.public.intro')}</p>
      <div className="cards tte-cards">
        <div className="card">
          <h2>{t('certificates.public.signTitle')}</h2>
          <p>{t('certificates.public.signBody')}</p>
          <Link to="/tte/tanda-tangan" className="btn btn-primary" data-testid="tte-home-sign">
            {t('certificates.public.signCta')}
          </Link>
        </div>
        <div className="card">
          <h2>{t('certificates.public.verifyTitle')}</h2>
          <p>{t('certificates.public.verifyBody')}</p>
          <Link to="/tte/verifikasi" className="btn btn-primary" data-testid="tte-home-verify">
            {t('certificates.public.verifyCta')}
          </Link>
        </div>
      </div>
      <section className="card" aria-labelledby="tte-ca-title">
        <h2 id="tte-ca-title">{t('certificates.public.caTitle')}</h2>
        <p>{t('certificates.public.caBody')}</p>
        <ul className="link-list">
          <li>
            <a href={certApi.pki.chainUrl()} download="" data-testid="tte-download-chain">
              {t('certificates.public.chain')}
            </a>{' '}
            <span className="muted small">PEM</span>
          </li>
          <li>
            <a href={certApi.pki.rootUrl()} download="" data-testid="tte-download-root">
              {t('certificates.public.root')}
            </a>{' '}
            <span className="muted small">DER (.crt)</span>
          </li>
          <li>
            <a href={certApi.pki.crlUrl()} download="" data-testid="tte-download-crl">
              {t('certificates.public.crl')}
            </a>{' '}
            <span className="muted small">DER (.crl)</span>
          </li>
        </ul>
      </section>
      <section className="card" aria-labelledby="tte-apply-title">
        <h2 id="tte-apply-title">{t('certificates.public.applyTitle')}</h2>
        <p>{t('certificates.public.applyBody')}</p>
        <ol>
          {(['s1', 's2', 's3', 's4', 's5', 's6'] as const).map((s) => (
            <li key={s}>{t(`certificates.issuance.steps.${s}`)}</li>
          ))}
        </ol>
        <p className="muted">{t('certificates.issuance.serviceTime')}</p>
      </section>
    </section>
  );
}
