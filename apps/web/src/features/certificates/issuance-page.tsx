import { useMemo, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { Field, TextField, describedBy, fieldError } from '../../components/field';
import { ProblemAlert } from '../../components/problem-alert';
import { useAsync } from '../../components/use-async';
import { usePageTitle } from '../../components/use-page-title';
import { flattenUnitTree, unitOptionLabel } from '../admin/unit-tree';
import { certApi } from './api';
import { isNikFormat, isNipFormat } from './cert-model';
import { DocumentPicker, applicationForm } from './document-picker';
import { useFieldProblems } from './use-field-problems';
import './certificates.css';

const INLINE = ['fullName', 'email', 'nik', 'nip', 'positionTitle', 'orgUnitId', 'note', 'documents'] as const;

/** /sertifikat/baru — issuance step 1: the verifier enters the applicant and the recommendation letter. */
export function IssuancePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const units = useAsync((signal) => api.units.list({ signal }), []);
  const tree = useMemo(() => flattenUnitTree(units.data ?? []), [units.data]);
  const [fullName, setFullName] = useState('');
  const [email, setEmail] = useState('');
  const [nik, setNik] = useState('');
  const [nip, setNip] = useState('');
  const [positionTitle, setPositionTitle] = useState('');
  const [orgUnitId, setOrgUnitId] = useState('');
  const [note, setNote] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [missing, setMissing, clear] = useFieldProblems();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  usePageTitle(t('certificates.issuance.title'));

  function validate(): Record<string, string> {
    const need = t('certificates.form.required');
    const p: Record<string, string> = {};
    if (!fullName.trim()) p.fullName = need;
    if (!email.trim()) p.email = need;
    else if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())) p.email = t('certificates.form.badEmail');
    if (!nik.trim()) p.nik = need;
    else if (!isNikFormat(nik)) p.nik = t('certificates.form.badNik');
    if (nip.trim() && !isNipFormat(nip)) p.nip = t('certificates.form.badNip');
    if (!positionTitle.trim()) p.positionTitle = need;
    if (!orgUnitId) p.orgUnitId = need;
    if (files.length === 0) p.documents = t('certificates.form.letterRequired');
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
      const created = await certApi.applications.issuance(
        applicationForm({ fullName, email, nik, nip, positionTitle, orgUnitId, note }, files),
      );
      void navigate(`/sertifikat/permohonan/${created.id}`, { state: { created: created.number } });
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  const err = (f: string) => missing[f] ?? fieldError(error, f);
  const text = (
    id: string,
    field: string,
    label: string,
    value: string,
    set: (v: string) => void,
    opts: { hint?: string; required?: boolean; type?: string; inputMode?: 'numeric' | 'email'; autoComplete?: string; mono?: boolean } = {},
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
    />
  );

  return (
    <section className="page page-medium">
      <p className="breadcrumbs">
        <Link to="/sertifikat" data-testid="cert-back">
          ← {t('certificates.detail.back')}
        </Link>
      </p>
      <h1 data-testid="cert-issuance-heading">{t('certificates.issuance.title')}</h1>
      <p className="lead">{t('certificates.issuance.intro')}</p>
      <details className="card service-steps">
        <summary>{t('certificates.issuance.stepsTitle')}</summary>
        <ol>
          {(['s1', 's2', 's3', 's4', 's5', 's6'] as const).map((s) => (
            <li key={s}>{t(`certificates.issuance.steps.${s}`)}</li>
          ))}
        </ol>
        <p className="muted">{t('certificates.issuance.serviceTime')}</p>
      </details>

      <form
        ref={formRef}
        className="card form"
        onSubmit={(e) => void submit(e)}
        noValidate
        aria-busy={busy}
        data-testid="cert-issuance-form"
      >
        <ProblemAlert error={error} testId="cert-submit-error" inlineFields={INLINE} />
        <h2>{t('certificates.issuance.applicant')}</h2>
        <div className="form-grid">
          {text('cert-fullName', 'fullName', t('certificates.fields.fullName'), fullName, setFullName, {
            required: true,
            hint: t('certificates.issuance.fullNameHint'),
          })}
          {text('cert-email', 'email', t('certificates.fields.email'), email, setEmail, {
            required: true,
            type: 'email',
            inputMode: 'email',
            hint: t('certificates.issuance.emailHint'),
          })}
          {text('cert-nik', 'nik', t('certificates.fields.nik'), nik, setNik, {
            required: true,
            inputMode: 'numeric',
            mono: true,
            hint: t('certificates.form.nikHint'),
          })}
          {text('cert-nip', 'nip', t('certificates.fields.nipOptional'), nip, setNip, {
            inputMode: 'numeric',
            mono: true,
            hint: t('certificates.form.nipHint'),
          })}
          {text('cert-position', 'positionTitle', t('certificates.fields.positionTitle'), positionTitle, setPositionTitle, {
            required: true,
          })}
          <Field id="cert-unit" label={t('certificates.fields.unit')} error={err('orgUnitId')} required>
            <select
              id="cert-unit"
              data-testid="cert-unit"
              value={orgUnitId}
              onChange={(e) => {
                setOrgUnitId(e.target.value);
                clear('orgUnitId');
              }}
              {...describedBy('cert-unit', { error: err('orgUnitId') })}
            >
              <option value="">{units.loading ? t('common.loading') : t('certificates.form.pickUnit')}</option>
              {tree.map((n) => (
                <option key={n.unit.id} value={n.unit.id} disabled={!n.unit.active}>
                  {unitOptionLabel(n)}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <ProblemAlert error={units.error} testId="cert-units-error" />
        <DocumentPicker
          id="cert-documents"
          label={t('certificates.issuance.letter')}
          hint={t('certificates.issuance.letterHint')}
          files={files}
          onChange={(next) => {
            setFiles(next);
            clear('documents');
          }}
          error={err('documents')}
          required
          disabled={busy}
        />
        <Field id="cert-note" label={t('certificates.fields.noteOptional')} error={err('note')}>
          <textarea id="cert-note" data-testid="cert-note" rows={3} value={note} onChange={(e) => setNote(e.target.value)} />
        </Field>
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" data-testid="cert-submit" disabled={busy}>
            {busy ? t('common.saving') : t('certificates.issuance.submit')}
          </button>
          <Link to="/sertifikat" className="btn btn-secondary" data-testid="cert-cancel">
            {t('common.cancel')}
          </Link>
        </div>
        <p className="field-hint">{t('certificates.issuance.afterSubmit')}</p>
      </form>
    </section>
  );
}
