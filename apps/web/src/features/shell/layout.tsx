import { useEffect, useRef } from 'react';
import { Link, NavLink, useLocation } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useMe } from '../auth/auth-context';
import { LanguageSwitch } from './language-switch';
import { currentNavId, visibleNav } from './nav';
import { RoleLabelsProvider } from './role-labels';
import { RouteOutlet } from './route-outlet';
import { UserMenu } from './user-menu';

export function Layout() {
  return (
    <RoleLabelsProvider>
      <Shell />
    </RoleLabelsProvider>
  );
}

function Shell() {
  const { t } = useTranslation();
  const me = useMe();
  const location = useLocation();
  const mainRef = useRef<HTMLElement>(null);
  const firstRender = useRef(true);
  const nav = visibleNav(me.roles);
  const current = currentNavId(location.pathname, nav);

  // After client-side navigation, move focus to the content so screen-reader and keyboard
  // users start at the new page rather than on the link they left.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    mainRef.current?.focus({ preventScroll: true });
  }, [location.pathname]);

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t('shell.skipToContent')}
      </a>
      <header className="topbar">
        <NavLink to="/" className="brand" aria-label={t('shell.homeLink')}>
          <span className="brand-mark" aria-hidden="true" />
          <span className="brand-name" data-testid="app-name">
            Sandi
          </span>
          <span className="brand-sub">{t('app.tagline')}</span>
        </NavLink>
        <div className="topbar-actions">
          <LanguageSwitch />
          <UserMenu />
        </div>
      </header>
      <div className="app-body">
        <nav className="sidenav" aria-label={t('shell.mainNav')} data-testid="sidenav">
          <ul>
            {nav.map((item) => (
              <li key={item.id}>
                <Link
                  to={item.path}
                  className={item.id === current ? 'active' : undefined}
                  aria-current={item.id === current ? 'page' : undefined}
                  data-testid={`nav-${item.id}`}
                >
                  {t(item.labelKey)}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <main id="main" ref={mainRef} tabIndex={-1} className="content">
          {me.mustChangePassword && (
            <div className="alert alert-warn" role="status" data-testid="must-change-password">
              {t('account.mustChange')}
            </div>
          )}
          <RouteOutlet />
        </main>
      </div>
    </div>
  );
}
