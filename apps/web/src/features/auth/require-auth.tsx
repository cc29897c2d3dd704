import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useAuth, type LoginLocationState } from './auth-context';

export const PASSWORD_PATH = '/account/password';

/**
 * Gate for everything behind the login. A user who must change the password is held on the
 * password page: the server refuses other calls for them anyway.
 */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { state } = useAuth();
  const location = useLocation();
  const { t } = useTranslation();

  if (state.status === 'loading') {
    return (
      <div className="splash" role="status" aria-live="polite" data-testid="app-loading">
        {t('common.loading')}
      </div>
    );
  }
  if (state.status === 'anonymous') {
    // After an explicit logout the next person starts at home, not on the previous user's page.
    const loginState: LoginLocationState | undefined =
      state.reason === 'logout' ? undefined : { from: location.pathname + location.search, expired: state.reason === 'expired' };
    return <Navigate to="/login" replace state={loginState} />;
  }
  if (state.user.mustChangePassword && location.pathname !== PASSWORD_PATH) {
    return <Navigate to={PASSWORD_PATH} replace />;
  }
  return <>{children}</>;
}
