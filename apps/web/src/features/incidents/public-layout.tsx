import { Suspense } from 'react';
import { Link, NavLink, Outlet } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../shell/language-switch';

/** Frame of the pages a member of the public uses without an account. */
export function PublicLayout() {
  const { t } = useTranslation();
  return (
    <div className="app public-app">
      <a className="skip-link" href="#main">
        {t('shell.skipToContent')}
      </a>
      <header className="topbar">
        <Link to="/lapor" className="brand" aria-label={t('publicSoc.homeLink')}>
          <span className="brand-mark" aria-hidden="true" />
          <span className="brand-name">Sandi</span>
          <span className="brand-sub">{t('publicSoc.tagline')}</span>
        </Link>
        <nav className="public-nav" aria-label={t('publicSoc.nav')}>
          <NavLink to="/lapor" data-testid="public-nav-report">
            {t('publicSoc.navReport')}
          </NavLink>
          <NavLink to="/lacak" data-testid="public-nav-track">
            {t('publicSoc.navTrack')}
          </NavLink>
        </nav>
        <div className="topbar-actions">
          <LanguageSwitch />
          <Link to="/login" className="topbar-link" data-testid="public-nav-login">
            {t('publicSoc.staffLogin')}
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
        <p>{t('publicSoc.footer')}</p>
      </footer>
    </div>
  );
}
