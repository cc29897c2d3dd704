import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client';
import type { ActionField, AllowedAction, ApplicationActionRequest, ApplicationDetail, StaffAction } from '../../api/certificates.types';
import { Field, describedBy, fieldError } from '../../components/field';
import { ProblemAlert } from '../../components/problem-alert';
import { StepsPanel } from '../../components/steps-panel';
import { certApi } from './api';
import { STEP_LOOK, isStaffAction } from './cert-model';

type TextField = Extract<ActionField, 'reason' | 'reference' | 'note'>;
const TEXT_FIELDS: readonly TextField[] = ['reason', 'reference', 'note'];

interface ActionsPanelProps {
  application: ApplicationDetail;
  onDone: (next: ApplicationDetail, action: StaffAction) => void;
  /** After a refused step (409/403) the page re-reads the application. */
  onStale: () => void;
}

/** The viewer's steps: exactly the staff actions in `allowedActions`, each with the fields the API names. */
export function ActionsPanel({ application, onDone, onStale }: ActionsPanelProps) {
  const { t } = useTranslation();
  const allowed = application.allowedActions.filter((a): a is AllowedAction & { action: StaffAction } => isStaffAction(a.action));
  return (
    <StepsPanel
      prefix="cert-"
      title={t('certificates.actions.title')}
      intro={t('certificates.actions.intro')}
      none={
        application.waitingOn
          ? t('certificates.actions.noneWaiting', { who: t(`certificates.waitingOn.${application.waitingOn}`) })
          : t('certificates.actions.noneFinal')
      }
      steps={allowed}
      label={(action) => t(`certificates.actionLabels.${action}`)}
      tone={(step) => STEP_LOOK[step.action].tone}
      refusal={{
        isStep: isStaffAction,
        allowedTitle: t('certificates.actions.refusedAllowed'),
        none: t('certificates.actions.refusedNone'),
        reloaded: t('certificates.actions.refusedReloaded'),
      }}
      onStale={onStale}
      form={(step, { close, refused }) => (
        <ActionForm
          key={step.action}
          allowed={step}
          action={step.action}
          application={application}
          onCancel={close}
          onDone={(next) => {
            close();
            onDone(next, step.action);
          }}
          onRefused={refused}
        />
      )}
    />
  );
}

interface ActionFormProps {
  allowed: AllowedAction;
  action: StaffAction;
  application: ApplicationDetail;
  onCancel: () => void;
  onDone: (next: ApplicationDetail) => void;
  onRefused: (err: unknown) => void;
}

function ActionForm({ allowed, action, application, onCancel, onDone, onRefused }: ActionFormProps) {
  const { t } = useTranslation();
  const fields = TEXT_FIELDS.filter((f) => allowed.required.includes(f) || allowed.optional.includes(f));
  const [values, setValues] = useState<Record<TextField, string>>({ reason: '', reference: '', note: '' });
  const [missing, setMissing] = useState<Partial<Record<TextField, string>>>({});
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const box = useRef<HTMLFormElement>(null);
  const look = STEP_LOOK[action];

  useEffect(() => {
    box.current?.querySelector<HTMLElement>('textarea, input, button[type="submit"]')?.focus();
  }, []);

  async function send() {
    const body: ApplicationActionRequest = {};
    for (const f of fields) if (values[f].trim()) body[f] = values[f].trim();
    setBusy(true);
    setError(null);
    try {
      onDone(await certApi.applications.act(application.id, action, body));
    } catch (err) {
      setBusy(false);
      setConfirming(false);
      if (isApiError(err) && (err.status === 409 || (err.status === 403 && Array.isArray(err.problem.allowedActions)))) onRefused(err);
      else setError(err);
    }
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    const problems: Partial<Record<TextField, string>> = {};
    for (const f of fields) if (allowed.required.includes(f) && !values[f].trim()) problems[f] = t('certificates.form.required');
    setMissing(problems);
    if (Object.keys(problems).length) return;
    if (look.confirm && !confirming) {
      setConfirming(true);
      return;
    }
    void send();
  }

  const err = (f: TextField) => missing[f] ?? fieldError(error, f);

  return (
    <form
      ref={box}
      className="action-form"
      onSubmit={submit}
      noValidate
      aria-busy={busy}
      data-testid="cert-action-form"
      data-action={action}
    >
      <h3>{t(`certificates.actionLabels.${action}`)}</h3>
      <p className="field-hint">{t(`certificates.actionHints.${action}`, { name: application.holder.fullName })}</p>
      <ProblemAlert error={error} testId="cert-action-form-error" inlineFields={fields} />
      {fields.map((f) => {
        const id = `cert-action-${f}`;
        const required = allowed.required.includes(f);
        const hint =
          f === 'reference'
            ? t('certificates.actions.referenceHint')
            : f === 'reason'
              ? t(`certificates.actions.reasonHint.${action === 'return_identity' ? 'return' : 'other'}`)
              : undefined;
        return (
          <Field key={f} id={id} label={t(`certificates.actions.fields.${f}`)} hint={hint} error={err(f)} required={required}>
            {f === 'reference' ? (
              <input
                id={id}
                data-testid={id}
                className="mono"
                maxLength={100}
                value={values[f]}
                onChange={(e) => setValues({ ...values, [f]: e.target.value })}
                {...describedBy(id, { hint: !!hint, error: err(f) })}
              />
            ) : (
              <textarea
                id={id}
                data-testid={id}
                rows={f === 'note' ? 2 : 4}
                maxLength={2000}
                value={values[f]}
                onChange={(e) => setValues({ ...values, [f]: e.target.value })}
                {...describedBy(id, { hint: !!hint, error: err(f) })}
              />
            )}
          </Field>
        );
      })}
      {confirming ? (
        <div className="alert alert-error" role="alert" data-testid="cert-action-confirm-panel">
          <p className="alert-title">
            {t(`certificates.actions.confirm.${action === 'cancel' ? 'cancel' : 'refuse'}`, { number: application.number })}
          </p>
          <p>{t('certificates.actions.confirm.body')}</p>
          <div className="form-actions">
            <button type="submit" className="btn btn-danger" data-testid="cert-action-confirm" disabled={busy}>
              {busy ? t('common.saving') : t('certificates.actions.confirm.yes', { action: t(`certificates.actionLabels.${action}`) })}
            </button>
            <button
              type="button"
              className="btn btn-secondary"
              data-testid="cert-action-confirm-cancel"
              onClick={() => setConfirming(false)}
              disabled={busy}
            >
              {t('certificates.actions.confirm.no')}
            </button>
          </div>
        </div>
      ) : (
        <div className="form-actions">
          <button
            type="submit"
            className={`btn btn-${look.tone === 'danger' ? 'danger' : 'primary'}`}
            data-testid="cert-action-submit"
            disabled={busy}
          >
            {busy ? t('common.saving') : t(`certificates.actionLabels.${action}`)}
          </button>
          <button type="button" className="btn btn-secondary" data-testid="cert-action-cancel" onClick={onCancel} disabled={busy}>
            {t('common.cancel')}
          </button>
        </div>
      )}
    </form>
  );
}
