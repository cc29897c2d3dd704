import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { Field, describedBy, fieldError } from '../../components/field';
import { Notice, ProblemAlert } from '../../components/problem-alert';
import { usePageTitle } from '../../components/use-page-title';
import { useAuth, useMe } from '../auth/auth-context';
import { PasswordPolicyHint } from './password-policy-hint';

export function PasswordPage() {
  const { t } = useTranslation();
  const me = useMe();
  const { reloadMe } = useAuth();
  const navigate = useNavigate();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [mismatch, setMismatch] = useState(false);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  usePageTitle(t('password.title'));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setDone(false);
    if (next !== confirm) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    setBusy(true);
    const wasForced = me.mustChangePassword;
    try {
      await api.auth.changePassword({ currentPassword: current, newPassword: next });
      setCurrent('');
      setNext('');
      setConfirm('');
      setDone(true);
      await reloadMe().catch(() => undefined);
      if (wasForced) void navigate('/', { replace: true });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const currentError = fieldError(error, 'currentPassword');
  const newError = fieldError(error, 'newPassword');
  const confirmError = mismatch ? t('password.mismatch') : undefined;

  return (
    <section className="page page-narrow">
      <h1>{t('password.title')}</h1>
      <p className="lead">{t('password.intro')}</p>
      {done && <Notice testId="password-success">{t('password.success')}</Notice>}
      <ProblemAlert error={error} testId="password-error" inlineFields={['currentPassword', 'newPassword']} />

      <form className="card form" onSubmit={(e) => void submit(e)} noValidate aria-busy={busy}>
        <Field id="password-current" label={t('password.current')} error={currentError} required>
          <input
            id="password-current"
            data-testid="password-current"
            type="password"
            autoComplete="current-password"
            required
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
            {...describedBy('password-current', { error: currentError })}
          />
        </Field>
        <Field
          id="password-new"
          label={t('password.new')}
          error={newError}
          required
          hint={<PasswordPolicyHint id="password-new-policy" password={next} username={me.username} />}
        >
          <input
            id="password-new"
            data-testid="password-new"
            type="password"
            autoComplete="new-password"
            required
            value={next}
            onChange={(e) => setNext(e.target.value)}
            {...describedBy('password-new', { hint: true, error: newError })}
          />
        </Field>
        <Field id="password-confirm" label={t('password.confirm')} error={confirmError} required>
          <input
            id="password-confirm"
            data-testid="password-confirm"
            type="password"
            autoComplete="new-password"
            required
            value={confirm}
            onChange={(e) => {
              setConfirm(e.target.value);
              setMismatch(false);
            }}
            {...describedBy('password-confirm', { error: confirmError })}
          />
        </Field>
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" data-testid="password-submit" disabled={busy || !current || !next || !confirm}>
            {busy ? t('common.saving') : t('password.submit')}
          </button>
        </div>
      </form>
    </section>
  );
}
