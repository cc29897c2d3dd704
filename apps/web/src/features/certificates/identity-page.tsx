import { useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { StepResult } from '../../api/certificates.types';
import { Field, TextField, describedBy, fieldError } from '../../components/field';
import { ProblemAlert } from '../../components/problem-alert';
import { usePageTitle } from '../../components/use-page-title';
import { certApi } from './api';
import { birthDateMatchesNik, isNikFormat } from './cert-model';
import { StepDone } from './step-done';
import { useFieldProblems } from './use-field-problems';
import { LinkGate, LinkSummary, linkProblemOf, type LinkContext } from './link-gate';

const INLINE = ['nik', 'fullNameOnId', 'birthPlace', 'birthDate', 'address', 'phone'] as const;

/** /tte/identitas#token=… — issuance step 2: the applicant enters the identity data as on the KTP. */
export function IdentityPage() {
  const { t } = useTranslation();
  const [done, setDone] = useState<StepResult | null>(null);
  usePageTitle(t('certificates.identity.title'));
  return (
    <section className="page page-medium">
      <h1 data-testid="tte-identity-heading">{t('certificates.identity.title')}</h1>
      {done ? (
        <StepDone
          result={done}
          testId="tte-identity-done"
          title={t('certificates.identity.doneTitle')}
          body={t('certificates.identity.doneBody', { number: done.number })}
          next={['review', 'passphraseMail', 'ra', 'issued']}
        >
          <p>
            <Link to="/tte">{t('certificates.link.toService')}</Link>
          </p>
        </StepDone>
      ) : (
        <LinkGate purpose="identity">{(ctx) => <IdentityForm ctx={ctx} onDone={setDone} />}</LinkGate>
      )}
    </section>
  );
}

function IdentityForm({ ctx, onDone }: { ctx: LinkContext; onDone: (r: StepResult) => void }) {
  const { t } = useTranslation();
  const { link, token } = ctx;
  const [nik, setNik] = useState('');
  const [fullNameOnId, setFullNameOnId] = useState('');
  const [birthPlace, setBirthPlace] = useState('');
  const [birthDate, setBirthDate] = useState('');
  const [address, setAddress] = useState('');
  const [phone, setPhone] = useState('');
  const [missing, setMissing, clear] = useFieldProblems();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);

  function validate(): Record<string, string> {
    const need = t('certificates.form.required');
    const p: Record<string, string> = {};
    if (!nik.trim()) p.nik = need;
    else if (!isNikFormat(nik)) p.nik = t('certificates.form.badNik');
    if (!fullNameOnId.trim()) p.fullNameOnId = need;
    if (!birthPlace.trim()) p.birthPlace = need;
    if (!birthDate) p.birthDate = need;
    else if (!birthDateMatchesNik(nik, birthDate)) p.birthDate = t('certificates.identity.birthDateMismatch');
    if (!address.trim()) p.address = need;
    if (!phone.trim()) p.phone = need;
    else if (!/^\+?[0-9][0-9 ().-]{5,28}$/.test(phone.trim())) p.phone = t('certificates.identity.badPhone');
    return p;
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    const problems = validate();
    setMissing(problems);
    if (Object.keys(problems).length) {
      formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onDone(
        await certApi.public.identity({
          token,
          nik: nik.trim(),
          fullNameOnId: fullNameOnId.trim(),
          birthPlace: birthPlace.trim(),
          birthDate,
          address: address.trim(),
          phone: phone.trim(),
        }),
      );
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
  const input = (
    id: string,
    field: string,
    label: string,
    value: string,
    set: (v: string) => void,
    opts: { hint?: string; type?: string; inputMode?: 'numeric' | 'tel'; autoComplete?: string; mono?: boolean } = {},
  ) => (
    <TextField
      {...opts}
      id={id}
      label={label}
      value={value}
      onChange={(v) => {
        set(v);
        clear(field);
      }}
      error={err(field)}
      required
    />
  );

  return (
    <>
      <p className="lead">{t('certificates.identity.intro', { name: link.fullName })}</p>
      <LinkSummary link={link} />
      {link.returnReason && (
        <div className="alert alert-warn" role="note" data-testid="tte-identity-return-reason">
          <p className="alert-title">{t('certificates.identity.returned')}</p>
          <p className="prose">{link.returnReason}</p>
        </div>
      )}
      <form
        ref={formRef}
        className="card form"
        onSubmit={(e) => void submit(e)}
        noValidate
        aria-busy={busy}
        data-testid="tte-identity-form"
      >
        <ProblemAlert error={error} testId="tte-identity-error" inlineFields={INLINE} />
        <div className="form-grid">
          {input('tte-identity-nik', 'nik', t('certificates.identity.nik'), nik, setNik, {
            inputMode: 'numeric',
            mono: true,
            hint: t('certificates.identity.nikHint'),
          })}
          {input('tte-identity-name', 'fullNameOnId', t('certificates.identity.fullNameOnId'), fullNameOnId, setFullNameOnId, {
            autoComplete: 'name',
            hint: t('certificates.identity.fullNameHint'),
          })}
          {input('tte-identity-birth-place', 'birthPlace', t('certificates.identity.birthPlace'), birthPlace, setBirthPlace)}
          {input('tte-identity-birth-date', 'birthDate', t('certificates.identity.birthDate'), birthDate, setBirthDate, {
            type: 'date',
            autoComplete: 'bday',
          })}
          {input('tte-identity-phone', 'phone', t('certificates.identity.phone'), phone, setPhone, {
            type: 'tel',
            inputMode: 'tel',
            autoComplete: 'tel',
            hint: t('certificates.identity.phoneHint'),
          })}
        </div>
        <Field
          id="tte-identity-address"
          label={t('certificates.identity.address')}
          hint={t('certificates.identity.addressHint')}
          error={err('address')}
          required
        >
          <textarea
            id="tte-identity-address"
            data-testid="tte-identity-address"
            rows={3}
            autoComplete="street-address"
            value={address}
            onChange={(e) => {
              setAddress(e.target.value);
              clear('address');
            }}
            {...describedBy('tte-identity-address', { hint: true, error: err('address') })}
          />
        </Field>
        <p className="field-hint">{t('certificates.identity.privacy')}</p>
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" data-testid="tte-identity-submit" disabled={busy}>
            {busy ? t('certificates.identity.sending') : t('certificates.identity.submit')}
          </button>
        </div>
      </form>
    </>
  );
}
