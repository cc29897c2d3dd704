import { useTranslation } from 'react-i18next';
import { PublicFrame } from '../shell/public-frame';

/** Frame of the pages a member of the public uses without an account. */
export function PublicLayout() {
  const { t } = useTranslation();
  return (
    <PublicFrame
      home={{ to: '/lapor', label: t('publicSoc.homeLink') }}
      tagline={t('publicSoc.tagline')}
      nav={{
        label: t('publicSoc.nav'),
        links: [
          { to: '/lapor', label: t('publicSoc.navReport'), testId: 'public-nav-report' },
          { to: '/lacak', label: t('publicSoc.navTrack'), testId: 'public-nav-track' },
        ],
      }}
      login={{ label: t('publicSoc.staffLogin'), testId: 'public-nav-login' }}
      footer={t('publicSoc.footer')}
    />
  );
}
