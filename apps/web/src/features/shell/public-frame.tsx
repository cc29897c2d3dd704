import { Link, NavLink } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from './language-switch';
import { RouteOutlet } from './route-outlet';

export interface PublicNavLink {
  to: string;
  label: string;
  testId: string;
  /** Active only on this exact path (a home link above other links). */
  end?: boolean;
}

interface PublicFrameProps {
  /** Where the brand links, and its accessible name. */
  home: { to: string; label: string };
  tagline: string;
  nav: { label: string; links: readonly PublicNavLink[] };
  login: { label: string; testId: string };
  footer: string;
}

/**
 * Frame of the pages used without an account (the public SOC report and tracking, the e-signature
 * applicant, signing and verification pages): brand, a few links, language, staff sign-in.
 */
export function PublicFrame({ home, tagline, nav, login, footer }: PublicFrameProps) {
  const { t } = useTranslation();
  return (
    <div className="app public-app">
      <a className="skip-link" href="#main">
        {t('shell.skipToContent')}
      </a>
      <header className="topbar">
        <Link to={home.to} className="brand" aria-label={home.label}>
          <span className="brand-mark" aria-hidden="true" />
          <span className="brand-name">Sandi</span>
          <span className="brand-sub">{tagline}</span>
        </Link>
        <nav className="public-nav" aria-label={nav.label}>
          {nav.links.map((l) => (
            <NavLink key={l.to} to={l.to} end={l.end} data-testid={l.testId}>
              {l.label}
            </NavLink>
          ))}
        </nav>
        <div className="topbar-actions">
          <LanguageSwitch />
          <Link to="/login" className="topbar-link" data-testid={login.testId}>
            {login.label}
          </Link>
        </div>
      </header>
      <main id="main" tabIndex={-1} className="content public-content">
        <RouteOutlet />
      </main>
      <footer className="login-footer public-footer">
        <p>{t('app.owner')}</p>
        <p>{footer}</p>
      </footer>
    </div>
  );
}
