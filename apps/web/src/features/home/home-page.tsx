import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { usePageTitle } from '../../components/use-page-title';
import { useMe } from '../auth/auth-context';
import { visibleNav } from '../shell/nav';
import { useRoleLabels } from '../shell/role-labels';

export function HomePage() {
  const { t } = useTranslation();
  const me = useMe();
  const { label, labelId } = useRoleLabels();
  usePageTitle(t('home.title'));
  const shortcuts = visibleNav(me.roles).filter((i) => i.path !== '/');

  return (
    <section className="page">
      <h1 data-testid="home-welcome">{t('home.welcome', { name: me.fullName || me.username })}</h1>
      <p className="lead">{t('home.intro')}</p>

      <div className="cards">
        <div className="card">
          <h2>{t('home.rolesTitle')}</h2>
          {me.roles.length === 0 ? (
            <p className="muted">{t('roles.none')}</p>
          ) : (
            <ul className="role-list" data-testid="home-roles">
              {me.roles.map((code) => (
                <li key={code} data-testid={`home-role-${code}`}>
                  <span className="role-label" lang="id">
                    {labelId(code)}
                  </span>
                  {label(code) !== labelId(code) && <span className="muted"> — {label(code)}</span>}
                  <code className="role-code">{code}</code>
                </li>
              ))}
            </ul>
          )}
        </div>
        <div className="card">
          <h2>{t('home.unitTitle')}</h2>
          <p data-testid="home-unit">{me.unitName ?? <span className="muted">{t('home.noUnit')}</span>}</p>
          <dl className="meta-list">
            <dt>{t('users.username')}</dt>
            <dd>{me.username}</dd>
            <dt>{t('users.email')}</dt>
            <dd>{me.email}</dd>
          </dl>
        </div>
        {shortcuts.length > 0 && (
          <div className="card">
            <h2>{t('home.shortcuts')}</h2>
            <ul className="link-list">
              {shortcuts.map((item) => (
                <li key={item.id}>
                  <Link to={item.path}>{t(item.labelKey)}</Link>
                </li>
              ))}
            </ul>
          </div>
        )}
      </div>
    </section>
  );
}
