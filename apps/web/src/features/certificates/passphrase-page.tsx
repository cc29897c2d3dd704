import { useEffect, useRef, useState, type ChangeEvent, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client';
import { CERT_ERROR, PASSPHRASE_RULES, type CsrProblemReason, type StepResult } from '../../api/certificates.types';
import { Field, describedBy, fieldError } from '../../components/field';
import { ProblemAlert } from '../../components/problem-alert';
import { usePageTitle } from '../../components/use-page-title';
import { certApi } from './api';
import {
  CSR_FILE_MAX_BYTES,
  CSR_MAX_CHARS,
  PASSPHRASE_MIN,
  checkPassphrase,
  isCsrProblemReason,
  looksLikePrivateKey,
  passphraseStrength,
  problemCode,
} from './cert-model';
import { StepDone } from './step-done';
import { useFieldProblems } from './use-field-problems';
import { LinkGate, LinkSummary, linkProblemOf, type LinkContext } from './link-gate';

/** How the applicant finished step 4: a passphrase (the default), or their own key's request (CSR). */
type KeyMode = 'passphrase' | 'csr';

/**
 * /tte/passphrase#token=… — issuance step 4: the applicant sets the passphrase that guards the private key
 * the platform makes. Where the link allows it (`csrAccepted`, local CA) an advanced applicant may instead
 * send a PKCS#10 request for a key pair of their own; the platform then holds no key for them.
 */
export function PassphrasePage() {
  const { t } = useTranslation();
  const [mode, setMode] = useState<KeyMode>('passphrase');
  const [done, setDone] = useState<{ result: StepResult; mode: KeyMode } | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const title = mode === 'csr' ? t('certificates.csr.title') : t('certificates.passphrase.title');
  usePageTitle(title);

  // Switching between the two ways replaces the form below the heading (the button pressed goes away):
  // focus moves to the heading, which stays and is renamed.
  function switchTo(next: KeyMode) {
    setMode(next);
    heading.current?.focus();
  }

  return (
    <section className="page page-medium">
      <h1 ref={heading} tabIndex={-1} data-testid="tte-passphrase-heading" data-mode={mode}>
        {title}
      </h1>
      {done ? (
        done.mode === 'csr' ? (
          <StepDone
            result={done.result}
            testId="tte-csr-done"
            title={t('certificates.csr.doneTitle')}
            body={t('certificates.csr.doneBody', { number: done.result.number })}
            next={['ra', 'issued', 'signOwn']}
          />
        ) : (
          <StepDone
            result={done.result}
            testId="tte-passphrase-done"
            title={t('certificates.passphrase.doneTitle')}
            body={t('certificates.passphrase.doneBody', { number: done.result.number })}
            next={['ra', 'issued', 'sign']}
          >
            <p>
              <Link to="/tte/tanda-tangan" data-testid="tte-passphrase-to-sign">
                {t('certificates.public.signCta')}
              </Link>
            </p>
          </StepDone>
        )
      ) : (
        <LinkGate purpose="passphrase">
          {(ctx) =>
            mode === 'csr' && ctx.link.csrAccepted ? (
              <CsrForm ctx={ctx} onDone={(result) => setDone({ result, mode: 'csr' })} onBack={() => switchTo('passphrase')} />
            ) : (
              <>
                <PassphraseForm ctx={ctx} onDone={(result) => setDone({ result, mode: 'passphrase' })} />
                {ctx.link.csrAccepted && <CsrOffer onChoose={() => switchTo('csr')} />}
              </>
            )
          }
        </LinkGate>
      )}
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
  const rules = link.passphraseRules.length ? PASSPHRASE_RULES.filter((r) => link.passphraseRules.includes(r)) : PASSPHRASE_RULES;

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
            aria-describedby={['tte-passphrase-rules', 'tte-passphrase-strength', err('passphrase') ? 'tte-passphrase-error' : null]
              .filter(Boolean)
              .join(' ')}
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
        <div
          className="meter-wrap strength"
          id="tte-passphrase-strength"
          data-testid="tte-passphrase-strength"
          data-strength={passphrase ? strength.label : ''}
        >
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
        {busy && (
          <p className="field-hint" role="status">
            {t('certificates.passphrase.generating')}
          </p>
        )}
      </form>
    </>
  );
}

/** The advanced way, offered below the passphrase form and clearly second to it. */
function CsrOffer({ onChoose }: { onChoose: () => void }) {
  const { t } = useTranslation();
  return (
    <section className="card csr-offer" aria-labelledby="tte-csr-offer-title" data-testid="tte-csr-offer">
      <h2 id="tte-csr-offer-title">{t('certificates.csr.offerTitle')}</h2>
      <p className="field-hint">{t('certificates.csr.offerBody')}</p>
      <button type="button" className="btn btn-secondary btn-small" data-testid="tte-csr-choose" onClick={onChoose}>
        {t('certificates.csr.offerButton')}
      </button>
    </section>
  );
}

const OPENSSL_EXAMPLE =
  'openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -sha256 \\\n  -keyout kunci-saya.key -out permintaan.csr -subj "/CN=Nama Anda"';

/** A `certificates.malformed_csr` answer: which check failed and the server's technical detail. */
function csrProblemOf(err: unknown): { reason: CsrProblemReason | 'unknown'; detail: string | undefined } | null {
  if (!isApiError(err) || problemCode(err) !== CERT_ERROR.malformedCsr) return null;
  return { reason: isCsrProblemReason(err.problem.reason) ? err.problem.reason : 'unknown', detail: err.fieldError('csr') };
}

function CsrForm({ ctx, onDone, onBack }: { ctx: LinkContext; onDone: (r: StepResult) => void; onBack: () => void }) {
  const { t } = useTranslation();
  const { link, token } = ctx;
  const [pem, setPem] = useState('');
  const [ack, setAck] = useState(false);
  const [missing, setMissing, clear] = useFieldProblems();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const problemRef = useRef<HTMLDivElement>(null);
  const problem = csrProblemOf(error);

  // A refused request: take the applicant to the explanation (it sits above the long form).
  useEffect(() => {
    if (csrProblemOf(error)) problemRef.current?.focus();
  }, [error]);

  /** A picked file is read here, never uploaded as such: only a request's text goes to the server. */
  async function pick(e: ChangeEvent<HTMLInputElement>) {
    const input = e.currentTarget;
    const file = input.files?.[0];
    input.value = '';
    clear('csrFile', 'csr');
    setError(null);
    if (!file) return;
    if (file.size > CSR_FILE_MAX_BYTES) {
      setMissing((p) => ({ ...p, csrFile: t('certificates.csr.fileTooBig') }));
      return;
    }
    let text: string;
    try {
      text = await file.text();
    } catch {
      setMissing((p) => ({ ...p, csrFile: t('certificates.csr.fileUnreadable') }));
      return;
    }
    // A private key never goes into the form, so it cannot be sent by a second careless click.
    if (looksLikePrivateKey(text)) {
      setMissing((p) => ({ ...p, csrFile: t('certificates.csr.privateKey') }));
      return;
    }
    setPem(text.trim());
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    const csr = pem.trim();
    const p: Record<string, string> = {};
    if (!csr) p.csr = t('certificates.form.required');
    else if (looksLikePrivateKey(csr)) p.csr = t('certificates.csr.privateKey');
    else if (csr.length > CSR_MAX_CHARS) p.csr = t('certificates.csr.tooLong', { max: CSR_MAX_CHARS });
    if (!ack) p.ack = t('certificates.csr.ackRequired');
    setMissing(p);
    if (Object.keys(p).length) return;
    setBusy(true);
    setError(null);
    try {
      onDone(await certApi.public.csr({ token, csr }));
    } catch (err) {
      const gone = linkProblemOf(err);
      if (gone) ctx.onGone(gone);
      else {
        setError(err);
        setBusy(false);
      }
    }
  }

  // A pasted private key is flagged at once, before anything is sent.
  const csrError =
    missing.csr ??
    (looksLikePrivateKey(pem) ? t('certificates.csr.privateKey') : undefined) ??
    (problem ? undefined : fieldError(error, 'csr'));
  const pemDescribedBy = ['tte-csr-hint', csrError ? 'tte-csr-error' : null, problem ? 'tte-csr-problem' : null].filter(Boolean).join(' ');
  return (
    <>
      <p className="lead">{t('certificates.csr.intro')}</p>
      <LinkSummary link={link} />
      <div className="alert alert-warn" role="note" data-testid="tte-csr-warning">
        <p className="alert-title">{t('certificates.csr.consequenceTitle')}</p>
        <p>{t('certificates.csr.consequenceBody')}</p>
        <p>{t('certificates.csr.consequenceKeep')}</p>
      </div>
      <div className="csr-requirements" data-testid="tte-csr-requirements">
        <p className="label-strong">{t('certificates.csr.requirementsTitle')}</p>
        <ul>
          <li>{t('certificates.csr.requirements.format')}</li>
          <li>{t('certificates.csr.requirements.key')}</li>
          <li>{t('certificates.csr.requirements.algorithm')}</li>
          <li>{t('certificates.csr.requirements.email', { email: link.email })}</li>
          <li>{t('certificates.csr.requirements.subject', { name: link.fullName })}</li>
        </ul>
      </div>
      <details className="form-more csr-example" data-testid="tte-csr-example">
        <summary>{t('certificates.csr.exampleTitle')}</summary>
        <p className="field-hint">{t('certificates.csr.exampleBody')}</p>
        <pre className="csr-command">
          <code>{OPENSSL_EXAMPLE}</code>
        </pre>
      </details>
      <form className="card form" onSubmit={(e) => void submit(e)} noValidate aria-busy={busy} data-testid="tte-csr-form">
        {problem ? (
          <div
            ref={problemRef}
            tabIndex={-1}
            id="tte-csr-problem"
            className="alert alert-error"
            role="alert"
            data-testid="tte-csr-problem"
            data-reason={problem.reason}
          >
            <p className="alert-title" data-testid="tte-csr-problem-title">
              {t(`certificates.csr.problems.${problem.reason}.title`)}
            </p>
            <p>{t(`certificates.csr.problems.${problem.reason}.body`, { email: link.email })}</p>
            <p>{t('certificates.csr.retry')}</p>
            {problem.detail && <p className="alert-meta">{t('certificates.csr.problemDetail', { detail: problem.detail })}</p>}
          </div>
        ) : (
          <ProblemAlert error={error} testId="tte-csr-error-alert" inlineFields={['csr']} />
        )}
        <Field id="tte-csr-file" label={t('certificates.csr.file')} hint={t('certificates.csr.fileHint')} error={missing.csrFile}>
          <input
            id="tte-csr-file"
            data-testid="tte-csr-file"
            type="file"
            accept=".csr,.pem,.req,.txt,application/pkcs10,text/plain"
            onChange={(e) => void pick(e)}
            disabled={busy}
            {...describedBy('tte-csr-file', { hint: true, error: missing.csrFile })}
          />
        </Field>
        <Field id="tte-csr" label={t('certificates.csr.pem')} hint={t('certificates.csr.pemHint')} error={csrError} required>
          <textarea
            id="tte-csr"
            data-testid="tte-csr"
            className="mono csr-pem"
            rows={10}
            spellCheck={false}
            autoCapitalize="off"
            autoComplete="off"
            placeholder={'-----BEGIN CERTIFICATE REQUEST-----\n…\n-----END CERTIFICATE REQUEST-----'}
            value={pem}
            onChange={(e) => {
              setPem(e.target.value);
              clear('csr');
              if (problem) setError(null);
            }}
            aria-describedby={pemDescribedBy}
            aria-invalid={csrError || problem ? true : undefined}
          />
        </Field>
        <div className={`field${missing.ack ? ' field-invalid' : ''}`}>
          <label className="checkbox">
            <input
              type="checkbox"
              data-testid="tte-csr-ack"
              checked={ack}
              onChange={(e) => {
                setAck(e.target.checked);
                clear('ack');
              }}
              aria-invalid={missing.ack ? true : undefined}
              aria-describedby={missing.ack ? 'tte-csr-ack-error' : undefined}
            />
            <span>{t('certificates.csr.ack')}</span>
          </label>
          {missing.ack && (
            <div className="field-error" id="tte-csr-ack-error" data-testid="tte-csr-ack-error">
              {missing.ack}
            </div>
          )}
        </div>
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" data-testid="tte-csr-submit" disabled={busy}>
            {busy ? t('certificates.csr.sending') : t('certificates.csr.submit')}
          </button>
          <button type="button" className="btn btn-secondary" data-testid="tte-csr-back" onClick={onBack} disabled={busy}>
            {t('certificates.csr.back')}
          </button>
        </div>
      </form>
    </>
  );
}
