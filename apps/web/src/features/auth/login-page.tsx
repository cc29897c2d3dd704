import { useState, type FormEvent } from 'react';
import { Link, Navigate, useLocation } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../../api/client';
import { Field, describedBy, fieldError } from '../../components/field';
import { formatDateTime } from '../../components/format';
import { useLocale } from '../../components/use-locale';
import { ProblemAlert } from '../../components/problem-alert';
import { usePageTitle } from '../../components/use-page-title';
import { LanguageSwitch } from '../shell/language-switch';
import { safeReturnPath, useAuth, type LoginLocationState } from './auth-context';
import { PASSWORD_PATH } from './require-auth';

export function LoginPage() {
  const { t } = useTranslation();
  const { state, signedIn } = useAuth();
  const location = useLocation();
  const locationState = (location.state ?? {}) as LoginLocationState;
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const lang = useLocale();
  usePageTitle(t('login.title'));

  // Redirect by rendering rather than by navigate() in submit: router updates run as
  // transitions, so an imperative navigate could lose to this component's own re-render.
  if (state.status === 'authenticated') {
    const target = state.user.mustChangePassword ? PASSWORD_PATH : safeReturnPath(locationState.from);
    return <Navigate to={target} replace />;
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { user } = await api.auth.login({ username: username.trim(), password });
      signedIn(user);
    } catch (err) {
      setError(err);
      setPassword('');
      setBusy(false);
    }
  }

  // A lockout (423) carries `lockedUntil`; show it in the reader's locale and time zone.
  const lockedUntil =
    isApiError(error) && error.status === 423 && typeof error.problem.lockedUntil === 'string' ? error.problem.lockedUntil : null;
  const usernameError = fieldError(error, 'username');
  const passwordError = fieldError(error, 'password');

  return (
    <div className="login-screen">
      <div className="login-lang">
        <LanguageSwitch />
      </div>
      <main className="login-card" id="main">
        <div className="login-brand">
          <span className="brand-mark" aria-hidden="true" />
          <div>
            <div className="brand-name">Sandi</div>
            <div className="brand-sub">{t('app.tagline')}</div>
          </div>
        </div>
        <h1>{t('login.title')}</h1>
        <p className="muted">{t('login.intro')}</p>

        {locationState.expired && !error && (
          <div className="alert alert-info" role="status" data-testid="login-expired">
            {t('login.expired')}
          </div>
        )}
        <ProblemAlert error={error} testId="login-error" inlineFields={['username', 'password']} />
        {lockedUntil && (
          <p className="alert alert-warn" data-testid="login-locked-until">
            {t('login.lockedUntil', { time: formatDateTime(lockedUntil, lang) })}
          </p>
        )}

        <form onSubmit={(e) => void submit(e)} noValidate aria-busy={busy}>
          <Field id="login-username" label={t('login.username')} error={usernameError} required>
            <input
              id="login-username"
              data-testid="login-username"
              name="username"
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              required
              autoFocus
              value={username}
              onChange={(e) => setUsername(e.target.value)}
              {...describedBy('login-username', { error: usernameError })}
            />
          </Field>
          <Field id="login-password" label={t('login.password')} error={passwordError} required>
            <input
              id="login-password"
              data-testid="login-password"
              name="password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              {...describedBy('login-password', { error: passwordError })}
            />
          </Field>
          <button
            type="submit"
            className="btn btn-primary btn-block"
            data-testid="login-submit"
            disabled={busy || !username.trim() || !password}
          >
            {busy ? t('login.submitting') : t('login.submit')}
          </button>
        </form>
      </main>
      <aside className="login-public" aria-label={t('login.publicTitle')}>
        <p>{t('login.publicIntro')}</p>
        <div className="login-public-links">
          <Link to="/lapor" className="btn btn-primary" data-testid="login-report-link">
            {t('login.reportLink')}
          </Link>
          <Link to="/lacak" className="btn btn-secondary" data-testid="login-track-link">
            {t('login.trackLink')}
          </Link>
          <Link to="/tte" className="btn btn-secondary" data-testid="login-tte-link">
            {t('certificates.public.loginLink')}
          </Link>
        </div>
      </aside>
      <footer className="login-footer">{t('app.owner')}</footer>
    </div>
  );
}
