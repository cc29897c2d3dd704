import { Suspense } from 'react';
import { Outlet } from 'react-router-dom';
import { useTranslation } from 'react-i18next';

/** The routed page of a frame, with a loading line while its lazily loaded code arrives. */
export function RouteOutlet() {
  const { t } = useTranslation();
  return (
    <Suspense
      fallback={
        <div className="muted" role="status">
          {t('common.loading')}
        </div>
      }
    >
      <Outlet />
    </Suspense>
  );
}
