import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../auth/auth-context';
import { canUse, navItem, type NavId } from './nav';

/** Route guard using the same role list as the navigation entry. */
export function RequireNav({ id, children }: { id: NavId; children: ReactNode }) {
  const me = useMe();
  const { t } = useTranslation();
  if (!canUse(navItem(id), me.roles)) {
    return (
      <section className="page" data-testid="forbidden">
        <h1>{t('errors.forbiddenTitle')}</h1>
        <p>{t('errors.forbiddenBody')}</p>
      </section>
    );
  }
  return <>{children}</>;
}

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <section className="page" data-testid="not-found">
      <h1>{t('errors.notFoundTitle')}</h1>
      <p>{t('errors.notFoundBody')}</p>
    </section>
  );
}
