import { useTranslation } from 'react-i18next';
import { PublicFrame } from '../shell/public-frame';
import './certificates.css';

/** Frame of the e-signature pages used without an account: applicants, signers, anyone verifying. */
export function TteLayout() {
  const { t } = useTranslation();
  return (
    <PublicFrame
      home={{ to: '/tte', label: t('certificates.public.homeLink') }}
      tagline={t('certificates.public.tagline')}
      nav={{
        label: t('certificates.public.nav'),
        links: [
          { to: '/tte', end: true, label: t('certificates.public.navHome'), testId: 'tte-nav-home' },
          { to: '/tte/tanda-tangan', label: t('certificates.public.navSign'), testId: 'tte-nav-sign' },
          { to: '/tte/verifikasi', label: t('certificates.public.navVerify'), testId: 'tte-nav-verify' },
        ],
      }}
      login={{ label: t('certificates.public.staffLogin'), testId: 'tte-nav-login' }}
      footer={t('certificates.public.footer')}
    />
  );
}
