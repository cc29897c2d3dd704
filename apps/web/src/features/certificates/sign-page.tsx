import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client';
import { CERT_ERROR } from '../../api/certificates.types';
import { Field, describedBy, fieldError } from '../../components/field';
import { formatBytes, formatDateTime } from '../../components/format';
import { ProblemAlert } from '../../components/problem-alert';
import { useLocale } from '../../components/use-locale';
import { usePageTitle } from '../../components/use-page-title';
import { certApi } from './api';
import {
  DOCUMENT_MAX_BYTES,
  SIGNATURE_POSITIONS,
  SIGNATURE_POSITION_KEYS,
  isNikFormat,
  looksLikePdf,
  problemCode,
  saveBlob,
  type SignaturePosition,
} from './cert-model';
import { useFieldProblems } from './use-field-problems';

type Failure =
  | { kind: 'wrongPassphrase'; attemptsLeft: number | null }
  | { kind: 'locked'; lockedUntil: string | null }
  | { kind: 'unknown' }
  | { kind: 'noCertificate'; error: unknown }
  | { kind: 'other'; error: unknown };

interface Signed {
  url: string;
  fileName: string;
  size: number;
}

function failureOf(err: unknown): Failure {
  const code = problemCode(err);
  const problem = isApiError(err) ? err.problem : undefined;
  if (code === CERT_ERROR.wrongPassphrase || (isApiError(err) && err.status === 401)) {
    return { kind: 'wrongPassphrase', attemptsLeft: typeof problem?.attemptsLeft === 'number' ? problem.attemptsLeft : null };
  }
  if (code === CERT_ERROR.signingLocked || (isApiError(err) && err.status === 423)) {
    return { kind: 'locked', lockedUntil: typeof problem?.lockedUntil === 'string' ? problem.lockedUntil : null };
  }
  if (code === CERT_ERROR.signingOutcomeUnknown || (isApiError(err) && err.status === 504)) return { kind: 'unknown' };
  if (code === CERT_ERROR.noSigningCertificate || code === CERT_ERROR.certificateNotActive) return { kind: 'noCertificate', error: err };
  return { kind: 'other', error: err };
}

const INLINE = ['file', 'nik', 'passphrase', 'page', 'x', 'y', 'reason', 'location'] as const;

/** /tte/tanda-tangan — a certificate holder signs a PDF with NIK + passphrase; the signed PDF is downloaded. */
export function SignPage() {
  const { t } = useTranslation();
  const lang = useLocale();
  const [file, setFile] = useState<File | null>(null);
  const [nik, setNik] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [visible, setVisible] = useState(false);
  const [page, setPage] = useState('1');
  const [position, setPosition] = useState<SignaturePosition>('bottom-left');
  const [x, setX] = useState(String(SIGNATURE_POSITIONS['bottom-left'].x));
  const [y, setY] = useState(String(SIGNATURE_POSITIONS['bottom-left'].y));
  const [reason, setReason] = useState('');
  const [location, setLocation] = useState('');
  const [missing, setMissing, clear] = useFieldProblems();
  const [failure, setFailure] = useState<Failure | null>(null);
  const [unknownAck, setUnknownAck] = useState(false);
  const [busy, setBusy] = useState(false);
  const [signed, setSigned] = useState<Signed | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const resultRef = useRef<HTMLDivElement>(null);
  usePageTitle(t('certificates.sign.title'));

  // The signed PDF lives in an object URL until the next signature or until the page is left.
  useEffect(
    () => () => {
      if (signed) URL.revokeObjectURL(signed.url);
    },
    [signed],
  );

  useEffect(() => {
    if (failure || signed) resultRef.current?.focus();
  }, [failure, signed]);

  function validate(): Record<string, string> {
    const need = t('certificates.form.required');
    const p: Record<string, string> = {};
    if (!file) p.file = need;
    else if (!looksLikePdf(file)) p.file = t('certificates.sign.notPdf');
    else if (file.size === 0) p.file = t('certificates.documents.empty');
    else if (file.size > DOCUMENT_MAX_BYTES) p.file = t('certificates.documents.tooBig', { size: formatBytes(DOCUMENT_MAX_BYTES, lang) });
    if (!nik.trim()) p.nik = need;
    else if (!isNikFormat(nik)) p.nik = t('certificates.form.badNik');
    if (!passphrase) p.passphrase = need;
    if (visible) {
      if (!/^\d+$/.test(page) || Number(page) < 1) p.page = t('certificates.sign.badPage');
      if (position === 'custom') {
        if (!/^\d+$/.test(x)) p.x = t('certificates.sign.badCoordinate');
        if (!/^\d+$/.test(y)) p.y = t('certificates.sign.badCoordinate');
      }
    }
    return p;
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    const problems = validate();
    setMissing(problems);
    if (Object.keys(problems).length || !file) return;
    const form = new FormData();
    form.append('file', file, file.name);
    form.append('nik', nik.trim());
    form.append('passphrase', passphrase);
    form.append('visible', visible ? 'true' : 'false');
    if (visible) {
      const at = position === 'custom' ? { x: Number(x), y: Number(y) } : SIGNATURE_POSITIONS[position];
      form.append('page', String(Number(page)));
      form.append('x', String(at.x));
      form.append('y', String(at.y));
    }
    if (reason.trim()) form.append('reason', reason.trim());
    if (location.trim()) form.append('location', location.trim());

    setBusy(true);
    setFailure(null);
    setUnknownAck(false);
    setSigned(null);
    try {
      const res = await certApi.public.sign(form);
      const fileName = res.fileName ?? `${file.name.replace(/\.pdf$/i, '') || 'dokumen'}-ttd.pdf`;
      const url = URL.createObjectURL(res.blob);
      setSigned({ url, fileName, size: res.blob.size });
      saveBlob(url, fileName);
    } catch (err) {
      setFailure(failureOf(err));
    } finally {
      // The passphrase is never kept in the page longer than one attempt.
      setPassphrase('');
      setBusy(false);
    }
  }

  function signAnother() {
    setSigned(null);
    setFile(null);
    setFailure(null);
    if (fileInput.current) fileInput.current.value = '';
  }

  const otherError = failure?.kind === 'other' || failure?.kind === 'noCertificate' ? failure.error : null;
  const err = (f: string) => missing[f] ?? fieldError(otherError, f);
  const locked = failure?.kind === 'locked' && (!failure.lockedUntil || new Date(failure.lockedUntil).getTime() > Date.now());
  const blockedByUnknown = failure?.kind === 'unknown' && !unknownAck;

  return (
    <section className="page page-medium">
      <h1 data-testid="tte-sign-heading">{t('certificates.sign.title')}</h1>
      <p className="lead">{t('certificates.sign.intro')}</p>

      <div ref={resultRef} tabIndex={-1} aria-live="polite">
        {signed && (
          <div className="alert alert-success" role="status" data-testid="tte-sign-done">
            <p className="alert-title">{t('certificates.sign.doneTitle')}</p>
            <p>{t('certificates.sign.doneBody', { name: signed.fileName, size: formatBytes(signed.size, lang) })}</p>
            <div className="form-actions">
              <a href={signed.url} download={signed.fileName} className="btn btn-primary" data-testid="tte-sign-download">
                {t('certificates.sign.downloadAgain')}
              </a>
              <Link to="/tte/verifikasi" className="btn btn-secondary" data-testid="tte-sign-verify-link">
                {t('certificates.sign.verifyIt')}
              </Link>
              <button type="button" className="btn btn-link" data-testid="tte-sign-another" onClick={signAnother}>
                {t('certificates.sign.another')}
              </button>
            </div>
          </div>
        )}
        {failure?.kind === 'wrongPassphrase' && (
          <div
            className="alert alert-error"
            role="alert"
            data-testid="tte-sign-wrong-passphrase"
            data-attempts-left={failure.attemptsLeft ?? ''}
          >
            <p className="alert-title">{t('certificates.sign.wrongTitle')}</p>
            <p>
              {failure.attemptsLeft === null
                ? t('certificates.sign.wrongBody')
                : t('certificates.sign.wrongAttempts', { count: failure.attemptsLeft })}
            </p>
          </div>
        )}
        {failure?.kind === 'locked' && (
          <div className="alert alert-error" role="alert" data-testid="tte-sign-locked" data-locked-until={failure.lockedUntil ?? ''}>
            <p className="alert-title">{t('certificates.sign.lockedTitle')}</p>
            <p>
              {failure.lockedUntil
                ? t('certificates.sign.lockedUntil', { time: formatDateTime(failure.lockedUntil, lang) })
                : t('certificates.sign.lockedBody')}
            </p>
            <p>{t('certificates.sign.lockedHelp')}</p>
          </div>
        )}
        {failure?.kind === 'unknown' && (
          <div className="alert alert-warn" role="alert" data-testid="tte-sign-unknown">
            <p className="alert-title">{t('certificates.sign.unknownTitle')}</p>
            <p>{t('certificates.sign.unknownBody')}</p>
            <label className="checkbox">
              <input
                type="checkbox"
                data-testid="tte-sign-unknown-ack"
                checked={unknownAck}
                onChange={(e) => setUnknownAck(e.target.checked)}
              />
              <span>{t('certificates.sign.unknownAck')}</span>
            </label>
          </div>
        )}
        {failure?.kind === 'noCertificate' && (
          <div className="alert alert-error" role="alert" data-testid="tte-sign-no-certificate">
            <p className="alert-title">{t('certificates.sign.noCertificateTitle')}</p>
            <p>{isApiError(failure.error) && failure.error.detail ? failure.error.detail : t('certificates.sign.noCertificateBody')}</p>
            <p>
              {isApiError(failure.error) && failure.error.problem?.reason === 'KEY_NOT_HELD'
                ? t('certificates.sign.keyNotHeldHelp')
                : t('certificates.sign.noCertificateHelp')}
            </p>
          </div>
        )}
        {failure?.kind === 'other' && <ProblemAlert error={failure.error} testId="tte-sign-error" inlineFields={INLINE} />}
      </div>

      <form className="card form" onSubmit={(e) => void submit(e)} noValidate aria-busy={busy} data-testid="tte-sign-form">
        <Field
          id="tte-sign-file"
          label={t('certificates.sign.file')}
          hint={t('certificates.sign.fileHint', { size: formatBytes(DOCUMENT_MAX_BYTES, lang) })}
          error={err('file')}
          required
        >
          <input
            ref={fileInput}
            id="tte-sign-file"
            data-testid="tte-sign-file"
            type="file"
            accept="application/pdf,.pdf"
            disabled={busy}
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              clear('file');
            }}
            {...describedBy('tte-sign-file', { hint: true, error: err('file') })}
          />
        </Field>
        {file && (
          <p className="field-hint" data-testid="tte-sign-file-chosen">
            {file.name} · {formatBytes(file.size, lang)}
          </p>
        )}
        <div className="form-grid">
          <Field id="tte-sign-nik" label={t('certificates.sign.nik')} hint={t('certificates.sign.nikHint')} error={err('nik')} required>
            <input
              id="tte-sign-nik"
              data-testid="tte-sign-nik"
              className="mono"
              inputMode="numeric"
              autoComplete="off"
              value={nik}
              onChange={(e) => {
                setNik(e.target.value);
                clear('nik');
              }}
              {...describedBy('tte-sign-nik', { hint: true, error: err('nik') })}
            />
          </Field>
          <Field id="tte-sign-passphrase" label={t('certificates.sign.passphrase')} error={err('passphrase')} required>
            <input
              id="tte-sign-passphrase"
              data-testid="tte-sign-passphrase"
              type="password"
              autoComplete="current-password"
              spellCheck={false}
              value={passphrase}
              onChange={(e) => {
                setPassphrase(e.target.value);
                clear('passphrase');
              }}
              {...describedBy('tte-sign-passphrase', { error: err('passphrase') })}
            />
          </Field>
        </div>

        <fieldset className="subform">
          <legend>{t('certificates.sign.appearance')}</legend>
          <label className="checkbox">
            <input type="checkbox" data-testid="tte-sign-visible" checked={visible} onChange={(e) => setVisible(e.target.checked)} />
            <span>{t('certificates.sign.visible')}</span>
          </label>
          <p className="field-hint">{t('certificates.sign.visibleHint')}</p>
          {visible && (
            <div className="form-grid form-grid-tight">
              <Field id="tte-sign-page" label={t('certificates.sign.page')} error={err('page')}>
                <input
                  id="tte-sign-page"
                  data-testid="tte-sign-page"
                  type="number"
                  min={1}
                  step={1}
                  value={page}
                  onChange={(e) => {
                    setPage(e.target.value);
                    clear('page');
                  }}
                  {...describedBy('tte-sign-page', { error: err('page') })}
                />
              </Field>
              <Field id="tte-sign-position" label={t('certificates.sign.position')}>
                <select
                  id="tte-sign-position"
                  data-testid="tte-sign-position"
                  value={position}
                  onChange={(e) => {
                    const next = e.target.value as SignaturePosition;
                    setPosition(next);
                    if (next !== 'custom') {
                      setX(String(SIGNATURE_POSITIONS[next].x));
                      setY(String(SIGNATURE_POSITIONS[next].y));
                    }
                  }}
                >
                  {SIGNATURE_POSITION_KEYS.map((p) => (
                    <option key={p} value={p}>
                      {t(`certificates.sign.positions.${p}`)}
                    </option>
                  ))}
                </select>
              </Field>
              {position === 'custom' && (
                <>
                  <Field id="tte-sign-x" label={t('certificates.sign.x')} hint={t('certificates.sign.pointsHint')} error={err('x')}>
                    <input
                      id="tte-sign-x"
                      data-testid="tte-sign-x"
                      type="number"
                      min={0}
                      step={1}
                      value={x}
                      onChange={(e) => {
                        setX(e.target.value);
                        clear('x');
                      }}
                      {...describedBy('tte-sign-x', { hint: true, error: err('x') })}
                    />
                  </Field>
                  <Field id="tte-sign-y" label={t('certificates.sign.y')} hint={t('certificates.sign.pointsHint')} error={err('y')}>
                    <input
                      id="tte-sign-y"
                      data-testid="tte-sign-y"
                      type="number"
                      min={0}
                      step={1}
                      value={y}
                      onChange={(e) => {
                        setY(e.target.value);
                        clear('y');
                      }}
                      {...describedBy('tte-sign-y', { hint: true, error: err('y') })}
                    />
                  </Field>
                </>
              )}
            </div>
          )}
          <div className="form-grid">
            <Field
              id="tte-sign-reason"
              label={t('certificates.sign.reason')}
              hint={t('certificates.sign.reasonHint')}
              error={err('reason')}
            >
              <input
                id="tte-sign-reason"
                data-testid="tte-sign-reason"
                maxLength={200}
                placeholder={t('certificates.sign.reasonPlaceholder')}
                value={reason}
                onChange={(e) => setReason(e.target.value)}
                {...describedBy('tte-sign-reason', { hint: true, error: err('reason') })}
              />
            </Field>
            <Field id="tte-sign-location" label={t('certificates.sign.location')} error={err('location')}>
              <input
                id="tte-sign-location"
                data-testid="tte-sign-location"
                maxLength={200}
                value={location}
                onChange={(e) => setLocation(e.target.value)}
                {...describedBy('tte-sign-location', { error: err('location') })}
              />
            </Field>
          </div>
        </fieldset>

        <div className="form-actions">
          <button type="submit" className="btn btn-primary" data-testid="tte-sign-submit" disabled={busy || locked || blockedByUnknown}>
            {busy ? t('certificates.sign.signing') : t('certificates.sign.submit')}
          </button>
        </div>
        {blockedByUnknown && (
          <p className="field-hint" data-testid="tte-sign-unknown-blocked">
            {t('certificates.sign.unknownBlocked')}
          </p>
        )}
        <p className="field-hint">{t('certificates.sign.privacy')}</p>
      </form>
    </section>
  );
}
