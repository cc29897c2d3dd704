import { useMemo, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../../api/client';
import {
  REQUESTABLE_REVOCATION_REASONS,
  type ApplicationDetail,
  type CertificateView,
  type RequestableRevocationReason,
} from '../../api/certificates.types';
import { Field, describedBy, fieldError } from '../../components/field';
import { formatDateTime } from '../../components/format';
import { ProblemAlert } from '../../components/problem-alert';
import { useAsync } from '../../components/use-async';
import { useLocale } from '../../components/use-locale';
import { usePageTitle } from '../../components/use-page-title';
import { flattenUnitTree, unitOptionLabel } from '../admin/unit-tree';
import { certApi } from './api';
import { CertificateStatusBadge, DaysLeft } from './cert-badges';
import { isNipFormat } from './cert-model';
import { DocumentPicker, applicationForm } from './document-picker';
import { useFieldProblems } from './use-field-problems';
import './certificates.css';

export type CertificateProcedure = 'renewal' | 'update' | 'revocation';

const INLINE = ['fullName', 'email', 'nip', 'positionTitle', 'orgUnitId', 'note', 'reason', 'documents'] as const;

/**
 * /sertifikat/:certificateId/pembaruan | /perubahan | /pencabutan — the verifier starts renewal,
 * update of data or revocation from an issued certificate.
 */
export function ProcedurePage({ procedure }: { procedure: CertificateProcedure }) {
  const { certificateId = '' } = useParams();
  const { t } = useTranslation();
  const loaded = useAsync((signal) => certApi.certificates.get(certificateId, { signal }), [certificateId]);
  const cert = loaded.data?.id === certificateId ? loaded.data : undefined;
  usePageTitle(t(`certificates.procedureForm.${procedure}.title`));

  return (
    <section className="page page-medium">
      <p className="breadcrumbs">
        <Link to={cert ? `/sertifikat/sertifikat/${cert.id}` : '/sertifikat?tab=certificates'} data-testid="cert-back">
          ← {cert ? t('certificates.procedureForm.backToCertificate') : t('certificates.detail.back')}
        </Link>
      </p>
      <h1 data-testid={`cert-${procedure}-heading`}>{t(`certificates.procedureForm.${procedure}.title`)}</h1>
      <p className="lead">{t(`certificates.procedureForm.${procedure}.intro`)}</p>
      {!cert ? (
        loaded.error ? (
          <ProblemAlert error={loaded.error} testId="cert-load-error" />
        ) : (
          <p className="muted" role="status">
            {t('common.loading')}
          </p>
        )
      ) : (
        <>
          <CertificateSummary cert={cert} />
          <ProcedureForm key={`${procedure}-${cert.id}`} procedure={procedure} cert={cert} />
        </>
      )}
    </section>
  );
}

function CertificateSummary({ cert }: { cert: CertificateView }) {
  const { t } = useTranslation();
  const lang = useLocale();
  return (
    <div className="card" data-testid="cert-summary">
      <dl className="meta-list meta-grid">
        <dt>{t('certificates.fields.holder')}</dt>
        <dd data-testid="cert-summary-holder">
          {cert.holderName} <span className="muted">· {cert.email}</span>
        </dd>
        <dt>{t('certificates.fields.nik')}</dt>
        <dd className="mono">{cert.nikMasked}</dd>
        <dt>{t('certificates.fields.unit')}</dt>
        <dd>{cert.unitName ?? '—'}</dd>
        <dt>{t('certificates.fields.serial')}</dt>
        <dd className="mono break-word">{cert.serial}</dd>
        <dt>{t('certificates.fields.status')}</dt>
        <dd>
          <CertificateStatusBadge status={cert.status} dueForRenewal={cert.dueForRenewal} testId="cert-summary-status" />
        </dd>
        <dt>{t('certificates.fields.validity')}</dt>
        <dd>
          {formatDateTime(cert.notBefore, lang)} – {formatDateTime(cert.notAfter, lang)}{' '}
          <DaysLeft daysLeft={cert.daysLeft} dueForRenewal={cert.dueForRenewal} />
        </dd>
      </dl>
    </div>
  );
}

function ProcedureForm({ procedure, cert }: { procedure: CertificateProcedure; cert: CertificateView }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const units = useAsync((signal) => (procedure === 'update' ? api.units.list({ signal }) : Promise.resolve([])), [procedure]);
  const tree = useMemo(() => flattenUnitTree(units.data ?? []), [units.data]);
  const [note, setNote] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [fullName, setFullName] = useState('');
  const [email, setEmail] = useState('');
  const [nip, setNip] = useState('');
  const [positionTitle, setPositionTitle] = useState('');
  const [orgUnitId, setOrgUnitId] = useState('');
  const [reason, setReason] = useState<RequestableRevocationReason | ''>('');
  const [confirming, setConfirming] = useState(false);
  const [missing, setMissing, clear] = useFieldProblems();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);

  const blocked = cert.status === 'revoked' || (procedure !== 'renewal' && cert.status === 'expired');

  function validate(): Record<string, string> {
    const p: Record<string, string> = {};
    if (files.length === 0)
      p.documents = procedure === 'renewal' ? t('certificates.form.letterRequired') : t('certificates.form.documentRequired');
    if (procedure === 'update') {
      if (![fullName, email, nip, positionTitle, orgUnitId].some((v) => v.trim()))
        p.fullName = t('certificates.procedureForm.update.nothing');
      if (email.trim() && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())) p.email = t('certificates.form.badEmail');
      if (nip.trim() && !isNipFormat(nip)) p.nip = t('certificates.form.badNip');
    }
    if (procedure === 'revocation' && !reason) p.reason = t('certificates.form.required');
    return p;
  }

  async function send() {
    setBusy(true);
    setError(null);
    try {
      const base = { certificateId: cert.id, note };
      let created: ApplicationDetail;
      if (procedure === 'renewal') created = await certApi.applications.renewal(applicationForm(base, files));
      else if (procedure === 'update') {
        created = await certApi.applications.update(applicationForm({ ...base, fullName, email, nip, positionTitle, orgUnitId }, files));
      } else created = await certApi.applications.revocation(applicationForm({ ...base, reason }, files));
      void navigate(`/sertifikat/permohonan/${created.id}`, { state: { created: created.number } });
    } catch (err) {
      setError(err);
      setConfirming(false);
      setBusy(false);
    }
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    const problems = validate();
    setMissing(problems);
    if (Object.keys(problems).length) {
      formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    // Revocation cannot be undone once the RA approves: the verifier confirms before sending.
    if (procedure === 'revocation' && !confirming) {
      setConfirming(true);
      return;
    }
    void send();
  }

  const err = (f: string) => missing[f] ?? fieldError(error, f);
  const optionalText = (id: string, field: string, label: string, value: string, set: (v: string) => void, current: string | null) => (
    <Field
      id={id}
      label={label}
      hint={current ? t('certificates.procedureForm.update.current', { value: current }) : undefined}
      error={err(field)}
    >
      <input
        id={id}
        data-testid={id}
        value={value}
        onChange={(e) => {
          set(e.target.value);
          // "Nothing changes" is shown under the name: any change answers it.
          clear(field, 'fullName');
        }}
        {...describedBy(id, { hint: !!current, error: err(field) })}
      />
    </Field>
  );

  return (
    <form ref={formRef} className="card form" onSubmit={submit} noValidate aria-busy={busy} data-testid={`cert-${procedure}-form`}>
      {blocked && (
        <div className="alert alert-warn" role="note" data-testid="cert-procedure-blocked">
          {t('certificates.procedureForm.blocked', { status: t(`certificates.certStatus.${cert.status}`) })}
        </div>
      )}
      <ProblemAlert error={error} testId="cert-submit-error" inlineFields={INLINE} />
      {isApiError(error) && error.status === 409 && (
        <p className="field-hint" data-testid="cert-submit-conflict">
          {t('certificates.procedureForm.conflictHint')}
        </p>
      )}

      {procedure === 'update' && (
        <fieldset className="subform">
          <legend>{t('certificates.procedureForm.update.legend')}</legend>
          <div className="form-grid">
            {optionalText('cert-fullName', 'fullName', t('certificates.fields.fullName'), fullName, setFullName, cert.holderName)}
            {optionalText('cert-email', 'email', t('certificates.fields.email'), email, setEmail, cert.email)}
            {optionalText('cert-nip', 'nip', t('certificates.fields.nip'), nip, setNip, null)}
            {optionalText('cert-position', 'positionTitle', t('certificates.fields.positionTitle'), positionTitle, setPositionTitle, null)}
            <Field
              id="cert-unit"
              label={t('certificates.fields.unit')}
              hint={cert.unitName ? t('certificates.procedureForm.update.current', { value: cert.unitName }) : undefined}
              error={err('orgUnitId')}
            >
              <select
                id="cert-unit"
                data-testid="cert-unit"
                value={orgUnitId}
                onChange={(e) => {
                  setOrgUnitId(e.target.value);
                  clear('orgUnitId', 'fullName');
                }}
                {...describedBy('cert-unit', { hint: !!cert.unitName, error: err('orgUnitId') })}
              >
                <option value="">{t('certificates.procedureForm.update.unchanged')}</option>
                {tree.map((n) => (
                  <option key={n.unit.id} value={n.unit.id} disabled={!n.unit.active}>
                    {unitOptionLabel(n)}
                  </option>
                ))}
              </select>
            </Field>
          </div>
        </fieldset>
      )}

      {procedure === 'revocation' && (
        <Field
          id="cert-revocation-reason"
          label={t('certificates.fields.revocationReason')}
          hint={reason ? t(`certificates.revocationHints.${reason}`) : t('certificates.procedureForm.revocation.reasonHint')}
          error={err('reason')}
          required
        >
          <select
            id="cert-revocation-reason"
            data-testid="cert-revocation-reason"
            value={reason}
            onChange={(e) => {
              setReason(e.target.value as RequestableRevocationReason | '');
              clear('reason');
              setConfirming(false);
            }}
            {...describedBy('cert-revocation-reason', { hint: true, error: err('reason') })}
          >
            <option value="">{t('certificates.procedureForm.revocation.pick')}</option>
            {REQUESTABLE_REVOCATION_REASONS.map((r) => (
              <option key={r} value={r}>
                {t(`certificates.revocationReasons.${r}`)}
              </option>
            ))}
          </select>
        </Field>
      )}

      <DocumentPicker
        id="cert-documents"
        label={procedure === 'renewal' ? t('certificates.issuance.letter') : t('certificates.procedureForm.supporting')}
        hint={procedure === 'renewal' ? t('certificates.issuance.letterHint') : t(`certificates.procedureForm.${procedure}.documentsHint`)}
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

      {confirming && (
        <div className="alert alert-error" role="alert" data-testid="cert-confirm-panel">
          <p className="alert-title">{t('certificates.procedureForm.revocation.confirmTitle')}</p>
          <p>
            {t('certificates.procedureForm.revocation.confirmBody', {
              serial: cert.serial,
              name: cert.holderName,
              reason: reason ? t(`certificates.revocationReasons.${reason}`) : '',
            })}
          </p>
          <div className="form-actions">
            <button type="submit" className="btn btn-danger" data-testid="cert-confirm" disabled={busy}>
              {busy ? t('common.saving') : t('certificates.procedureForm.revocation.confirm')}
            </button>
            <button
              type="button"
              className="btn btn-secondary"
              data-testid="cert-confirm-cancel"
              onClick={() => setConfirming(false)}
              disabled={busy}
            >
              {t('common.cancel')}
            </button>
          </div>
        </div>
      )}
      {!confirming && (
        <div className="form-actions">
          <button
            type="submit"
            className={`btn ${procedure === 'revocation' ? 'btn-danger' : 'btn-primary'}`}
            data-testid="cert-submit"
            disabled={busy}
          >
            {busy ? t('common.saving') : t(`certificates.procedureForm.${procedure}.submit`)}
          </button>
          <Link to={`/sertifikat/sertifikat/${cert.id}`} className="btn btn-secondary" data-testid="cert-cancel">
            {t('common.cancel')}
          </Link>
        </div>
      )}
    </form>
  );
}
