import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { PassphraseRule, StepResult } from '../../api/certificates.types';
import { Field, describedBy, fieldError } from '../../components/field';
import { ProblemAlert } from '../../components/problem-alert';
import { usePageTitle } from '../../components/use-page-title';
import { certApi } from './api';
import { PASSPHRASE_MIN, checkPassphrase, passphraseStrength } from './cert-model';
import { NextSteps } from './identity-page';
import { useFieldProblems } from './use-field-problems';
import { LinkGate, LinkSummary, linkProblemOf, type LinkContext } from './link-gate';

const ALL_RULES: readonly PassphraseRule[] = ['min10', 'lettersDigits', 'notPersonal', 'notCommon'];

/** /tte/passphrase#token=… — issuance step 4: the applicant sets the passphrase that guards the private key. */
export function PassphrasePage() {
  const { t } = useTranslation();
  const [done, setDone] = useState<StepResult | null>(null);
  usePageTitle(t('certificates.passphrase.title'));
  return (
    <section className="page page-medium">
      <h1 data-testid="tte-passphrase-heading">{t('certificates.passphrase.title')}</h1>
      {done ? <PassphraseDone result={done} /> : <LinkGate purpose="passphrase">{(ctx) => <PassphraseForm ctx={ctx} onDone={setDone} />}</LinkGate>}
    </section>
  );
}

function PassphraseForm({ ctx, onDone }: { ctx: LinkContext; onDone: (r: StepResult) => void }) {
  const { t } = useTranslation();
  const { link, token } = ctx;
  const [passphrase, setPassphrase] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [show, setShow] = useState(false);
  const [missing, setMissing, clear] = useFieldProblems();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const check = checkPassphrase(passphrase, { name: link.fullName, email: link.email });
  const strength = passphraseStrength(passphrase, check);
  const rules = link.passphraseRules.length ? ALL_RULES.filter((r) => link.passphraseRules.includes(r)) : ALL_RULES;

  async function submit(e: FormEvent) {
    e.preventDefault();
    const p: Record<string, string> = {};
    if (!passphrase) p.passphrase = t('certificates.form.required');
    else if (!rules.every((r) => check[r])) p.passphrase = t('certificates.passphrase.rulesUnmet');
    if (!confirmation) p.passphraseConfirmation = t('certificates.form.required');
    else if (confirmation !== passphrase) p.passphraseConfirmation = t('certificates.passphrase.mismatch');
    setMissing(p);
    if (Object.keys(p).length) return;
    setBusy(true);
    setError(null);
    try {
      onDone(await certApi.public.passphrase({ token, passphrase, passphraseConfirmation: confirmation }));
    } catch (err) {
      const gone = linkProblemOf(err);
      if (gone) ctx.onGone(gone);
      else {
        setError(err);
        setBusy(false);
      }
    }
  }

  const err = (f: string) => missing[f] ?? fieldError(error, f);
  return (
    <>
      <p className="lead">{t('certificates.passphrase.intro', { name: link.fullName })}</p>
      <LinkSummary link={link} />
      <div className="alert alert-warn" role="note" data-testid="tte-passphrase-warning">
        <p className="alert-title">{t('certificates.passphrase.keepTitle')}</p>
        <p>{t('certificates.passphrase.keepBody')}</p>
      </div>
      <form className="card form" onSubmit={(e) => void submit(e)} noValidate aria-busy={busy} data-testid="tte-passphrase-form">
        <ProblemAlert error={error} testId="tte-passphrase-error" inlineFields={['passphrase', 'passphraseConfirmation']} />
        <Field id="tte-passphrase" label={t('certificates.passphrase.passphrase')} error={err('passphrase')} required>
          <input
            id="tte-passphrase"
            data-testid="tte-passphrase"
            type={show ? 'text' : 'password'}
            autoComplete="new-password"
            spellCheck={false}
            maxLength={200}
            value={passphrase}
            onChange={(e) => {
              setPassphrase(e.target.value);
              clear('passphrase');
            }}
            {...describedBy('tte-passphrase', { error: err('passphrase') })}
            aria-describedby={['tte-passphrase-rules', 'tte-passphrase-strength', err('passphrase') ? 'tte-passphrase-error' : null].filter(Boolean).join(' ')}
          />
        </Field>
        <label className="checkbox">
          <input type="checkbox" data-testid="tte-passphrase-show" checked={show} onChange={(e) => setShow(e.target.checked)} />
          <span>{t('certificates.passphrase.show')}</span>
        </label>
        <div id="tte-passphrase-rules" className="policy" data-testid="tte-passphrase-rules">
          <span>{t('certificates.passphrase.rulesTitle')}</span>
          <ul>
            {rules.map((rule) => (
              <li key={rule} className={check[rule] ? 'ok' : 'todo'} data-ok={check[rule]} data-rule={rule}>
                <span className="visually-hidden">{check[rule] ? t('password.policy.met') : t('password.policy.unmet')}: </span>
                {t(`certificates.passphrase.rules.${rule}`, { min: PASSPHRASE_MIN })}
              </li>
            ))}
          </ul>
        </div>
        <div className="meter-wrap strength" id="tte-passphrase-strength" data-testid="tte-passphrase-strength" data-strength={passphrase ? strength.label : ''}>
          <span>{t('certificates.passphrase.strength')}</span>
          <meter min={0} max={1} low={0.35} high={0.6} optimum={1} value={strength.score} aria-hidden="true" />
          <strong aria-live="polite">{passphrase ? t(`certificates.passphrase.strengths.${strength.label}`) : '—'}</strong>
        </div>
        <p className="field-hint">{t('certificates.passphrase.tip')}</p>
        <Field id="tte-passphrase-confirm" label={t('certificates.passphrase.confirmation')} error={err('passphraseConfirmation')} required>
          <input
            id="tte-passphrase-confirm"
            data-testid="tte-passphrase-confirm"
            type={show ? 'text' : 'password'}
            autoComplete="new-password"
            spellCheck={false}
            maxLength={200}
            value={confirmation}
            onChange={(e) => {
              setConfirmation(e.target.value);
              clear('passphraseConfirmation');
            }}
            {...describedBy('tte-passphrase-confirm', { error: err('passphraseConfirmation') })}
          />
        </Field>
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" data-testid="tte-passphrase-submit" disabled={busy}>
            {busy ? t('certificates.passphrase.sending') : t('certificates.passphrase.submit')}
          </button>
        </div>
        {busy && <p className="field-hint" role="status">{t('certificates.passphrase.generating')}</p>}
      </form>
    </>
  );
}

function PassphraseDone({ result }: { result: StepResult }) {
  const { t } = useTranslation();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <div className="alert alert-success" role="status" data-testid="tte-passphrase-done" data-state={result.state}>
      <h2 ref={heading} tabIndex={-1} className="alert-title">
        {t('certificates.passphrase.doneTitle')}
      </h2>
      <p>{t('certificates.passphrase.doneBody', { number: result.number })}</p>
      <NextSteps keys={['ra', 'issued', 'sign']} />
      <p>
        <Link to="/tte/tanda-tangan" data-testid="tte-passphrase-to-sign">
          {t('certificates.public.signCta')}
        </Link>
      </p>
    </div>
  );
}
