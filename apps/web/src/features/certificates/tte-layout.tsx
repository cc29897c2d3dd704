import { Suspense } from 'react';
import { Link, NavLink, Outlet } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../shell/language-switch';
import './certificates.css';

/** Frame of the e-signature pages used without an account: applicants, signers, anyone verifying. */
export function TteLayout() {
  const { t } = useTranslation();
  return (
    <div className="app public-app">
      <a className="skip-link" href="#main">
        {t('shell.skipToContent')}
      </a>
      <header className="topbar">
        <Link to="/tte" className="brand" aria-label={t('certificates.public.homeLink')}>
          <span className="brand-mark" aria-hidden="true" />
          <span className="brand-name">Sandi</span>
          <span className="brand-sub">{t('certificates.public.tagline')}</span>
        </Link>
        <nav className="public-nav" aria-label={t('certificates.public.nav')}>
          <NavLink to="/tte" end data-testid="tte-nav-home">
            {t('certificates.public.navHome')}
          </NavLink>
          <NavLink to="/tte/tanda-tangan" data-testid="tte-nav-sign">
            {t('certificates.public.navSign')}
          </NavLink>
          <NavLink to="/tte/verifikasi" data-testid="tte-nav-verify">
            {t('certificates.public.navVerify')}
          </NavLink>
        </nav>
        <div className="topbar-actions">
          <LanguageSwitch />
          <Link to="/login" className="topbar-link" data-testid="tte-nav-login">
            {t('certificates.public.staffLogin')}
          </Link>
        </div>
      </header>
      <main id="main" tabIndex={-1} className="content public-content">
        <Suspense
          fallback={
            <div className="muted" role="status">
              {t('common.loading')}
            </div>
          }
        >
          <Outlet />
        </Suspense>
      </main>
      <footer className="login-footer public-footer">
        <p>{t('app.owner')}</p>
        <p>{t('certificates.public.footer')}</p>
      </footer>
    </div>
  );
}
