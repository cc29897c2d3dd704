import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import {
  CERT_ERROR,
  type CertificateReport,
  type CertificationBodyReport,
  type SignatureReport,
  type VerificationReport,
} from '../../api/certificates.types';
import { Field, describedBy } from '../../components/field';
import { formatBytes, formatDateTime } from '../../components/format';
import { ProblemAlert } from '../../components/problem-alert';
import { useLocale } from '../../components/use-locale';
import { usePageTitle } from '../../components/use-page-title';
import { certApi } from './api';
import { VerdictBadge } from './cert-badges';
import {
  DOCUMENT_MAX_BYTES,
  certReportTone,
  chainTone,
  overallVerdict,
  problemCode,
  revocationTone,
  verdictTone,
  type Tone,
} from './cert-model';

/** /tte/verifikasi — anyone checks a signed PDF or a certificate: who signed, intact or not, trusted or not. */
export function VerifyPage() {
  const { t } = useTranslation();
  const lang = useLocale();
  const [file, setFile] = useState<File | null>(null);
  const [missing, setMissing] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<{ report: VerificationReport; fileName: string } | null>(null);
  const resultRef = useRef<HTMLDivElement>(null);
  usePageTitle(t('certificates.verify.title'));

  useEffect(() => {
    if (report || error) resultRef.current?.focus();
  }, [report, error]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!file) {
      setMissing(t('certificates.form.required'));
      return;
    }
    if (file.size > DOCUMENT_MAX_BYTES) {
      setMissing(t('certificates.documents.tooBig', { size: formatBytes(DOCUMENT_MAX_BYTES, lang) }));
      return;
    }
    setMissing(null);
    setBusy(true);
    setError(null);
    setReport(null);
    try {
      const form = new FormData();
      form.append('file', file, file.name);
      setReport({ report: await certApi.public.verify(form), fileName: file.name });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const code = problemCode(error);
  const unrecognised = code === CERT_ERROR.unrecognisedFile || code === CERT_ERROR.invalidPdf || code === CERT_ERROR.malformedCertificate;

  return (
    <section className="page page-medium">
      <h1 data-testid="tte-verify-heading">{t('certificates.verify.title')}</h1>
      <p className="lead">{t('certificates.verify.intro')}</p>
      <form className="card form" onSubmit={(e) => void submit(e)} noValidate aria-busy={busy} data-testid="tte-verify-form">
        <Field
          id="tte-verify-file"
          label={t('certificates.verify.file')}
          hint={t('certificates.verify.fileHint')}
          error={missing ?? undefined}
          required
        >
          <input
            id="tte-verify-file"
            data-testid="tte-verify-file"
            type="file"
            accept="application/pdf,.pdf,.pem,.crt,.cer,.der"
            disabled={busy}
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              setMissing(null);
            }}
            {...describedBy('tte-verify-file', { hint: true, error: missing ?? undefined })}
          />
        </Field>
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" data-testid="tte-verify-submit" disabled={busy}>
            {busy ? t('certificates.verify.checking') : t('certificates.verify.submit')}
          </button>
        </div>
        <p className="field-hint">{t('certificates.verify.privacy')}</p>
      </form>

      <div ref={resultRef} tabIndex={-1} aria-live="polite">
        {error !== null &&
          (unrecognised ? (
            <div className="alert alert-warn" role="alert" data-testid="tte-verify-unrecognised">
              <p className="alert-title">{t('certificates.verify.unrecognisedTitle')}</p>
              <p>{t('certificates.verify.unrecognisedBody')}</p>
            </div>
          ) : (
            <ProblemAlert error={error} testId="tte-verify-error" />
          ))}
        {report && <Report report={report.report} fileName={report.fileName} lang={lang} />}
      </div>
    </section>
  );
}

function Report({ report, fileName, lang }: { report: VerificationReport; fileName: string; lang: 'id' | 'en' }) {
  const { t } = useTranslation();
  return (
    <section className="verify-result" data-testid="tte-verify-result" data-kind={report.kind} aria-labelledby="tte-verify-result-title">
      <h2 id="tte-verify-result-title">{t('certificates.verify.resultTitle')}</h2>
      <p className="muted small">{t('certificates.verify.checkedAt', { name: fileName, time: formatDateTime(report.checkedAt, lang) })}</p>
      {report.kind === 'pdf' ? (
        <Signatures signatures={report.signatures ?? []} lang={lang} />
      ) : report.certificate ? (
        <CertificateResult cert={report.certificate} lang={lang} />
      ) : null}
      {report.certificationBody && <CertificationBody body={report.certificationBody} />}
    </section>
  );
}

/** BSrE's own answer, shown as a second opinion: it never replaces the checks above. */
function CertificationBody({ body }: { body: CertificationBodyReport }) {
  const { t } = useTranslation();
  return (
    <section className="card" data-testid="tte-verify-bsre" data-checked={String(body.checked)} aria-labelledby="tte-verify-bsre-title">
      <h3 id="tte-verify-bsre-title">{t('certificates.verify.bsreTitle')}</h3>
      {body.checked ? (
        <>
          <p>
            <strong data-testid="tte-verify-bsre-conclusion">{body.conclusion}</strong>
            {body.description ? ` — ${body.description}` : ''}
          </p>
          <ul className="plain-list">
            {body.signatures.map((s, i) => (
              <li key={i}>
                {s.signerName ?? '—'}: {s.integrityValid ? t('certificates.verify.bsreIntact') : t('certificates.verify.bsreNotIntact')},{' '}
                {s.certificateTrusted ? t('certificates.verify.bsreTrusted') : t('certificates.verify.bsreNotTrusted')}
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p className="muted">
          {t('certificates.verify.bsreUnavailable')} {body.problem}
        </p>
      )}
    </section>
  );
}

function Signatures({ signatures, lang }: { signatures: SignatureReport[]; lang: 'id' | 'en' }) {
  const { t } = useTranslation();
  const verdict = overallVerdict(signatures);
  if (!verdict) {
    return (
      <div className="alert alert-warn" role="status" data-testid="tte-verify-no-signatures">
        <p className="alert-title">{t('certificates.verify.noSignaturesTitle')}</p>
        <p>{t('certificates.verify.noSignaturesBody')}</p>
      </div>
    );
  }
  return (
    <>
      <div
        className={`alert alert-${alertOf(verdictTone(verdict))} verdict-summary`}
        role="status"
        data-testid="tte-verify-summary"
        data-verdict={verdict}
      >
        <p className="alert-title">
          {signatures.length === 1
            ? t(`certificates.verify.summaryOne.${verdict}`)
            : t(`certificates.verify.summaryMany.${verdict}`, { count: signatures.length })}
        </p>
        <p>{t(`certificates.verify.summaryBody.${verdict}`)}</p>
      </div>
      <ol className="plain-list signature-list">
        {signatures.map((s, i) => (
          <li
            key={`${s.fieldName}-${i}`}
            className={`card signature-card signature-${s.verdict}`}
            data-testid="tte-verify-signature"
            data-verdict={s.verdict}
          >
            <div className="signature-head">
              <h3>
                {t('certificates.verify.signatureN', { n: i + 1 })}:{' '}
                <span data-testid="tte-verify-signer">{s.signerName ?? t('certificates.verify.unknownSigner')}</span>
              </h3>
              <VerdictBadge verdict={s.verdict} testId="tte-verify-verdict" />
            </div>
            <p className="verdict-explain">{t(`certificates.verify.verdictExplain.${s.verdict}`)}</p>
            <dl className="meta-list meta-grid">
              {s.signerEmail && (
                <>
                  <dt>{t('certificates.fields.email')}</dt>
                  <dd>{s.signerEmail}</dd>
                </>
              )}
              <dt>{t('certificates.verify.signingTime')}</dt>
              <dd data-testid="tte-verify-time">{s.signingTime ? formatDateTime(s.signingTime, lang) : t('certificates.verify.noTime')}</dd>
              {s.reason && (
                <>
                  <dt>{t('certificates.sign.reason')}</dt>
                  <dd>{s.reason}</dd>
                </>
              )}
              {s.location && (
                <>
                  <dt>{t('certificates.sign.location')}</dt>
                  <dd>{s.location}</dd>
                </>
              )}
              {s.serial && (
                <>
                  <dt>{t('certificates.fields.serial')}</dt>
                  <dd className="mono break-word">{s.serial}</dd>
                </>
              )}
            </dl>
            <ul className="checks" aria-label={t('certificates.verify.checks')}>
              <Check tone={s.intact ? 'ok' : 'error'} testId="tte-verify-intact" value={String(s.intact)}>
                {s.intact ? t('certificates.verify.intact') : t('certificates.verify.notIntact')}
              </Check>
              <Check tone={s.coversWholeDocument ? 'ok' : 'warn'} testId="tte-verify-covers" value={String(s.coversWholeDocument)}>
                {s.coversWholeDocument ? t('certificates.verify.coversWhole') : t('certificates.verify.modifiedAfter')}
              </Check>
              <Check tone={chainTone(s.chain)} testId="tte-verify-chain" value={s.chain}>
                {t(`certificates.verify.chain.${s.chain}`)}
                {s.chainProblem && <span className="cell-note"> ({s.chainProblem})</span>}
              </Check>
              <Check tone={revocationTone(s.revocation)} testId="tte-verify-revocation" value={s.revocation}>
                {s.revocation === 'revoked' && s.revokedAt
                  ? t('certificates.verify.revokedAt', { time: formatDateTime(s.revokedAt, lang) })
                  : t(`certificates.verify.revocation.${s.revocation}`)}
              </Check>
              <Check tone={s.validAtSigning ? 'ok' : 'error'} testId="tte-verify-valid-at-signing" value={String(s.validAtSigning)}>
                {s.validAtSigning ? t('certificates.verify.validAtSigning') : t('certificates.verify.notValidAtSigning')}
              </Check>
            </ul>
          </li>
        ))}
      </ol>
    </>
  );
}

function CertificateResult({ cert, lang }: { cert: CertificateReport; lang: 'id' | 'en' }) {
  const { t } = useTranslation();
  const tone = certReportTone(cert.status);
  return (
    <div className="card" data-testid="tte-verify-certificate" data-status={cert.status}>
      <div className={`alert alert-${alertOf(tone)}`} role="status">
        <p className="alert-title">
          <span className={`badge badge-${tone}`} data-testid="tte-verify-cert-status" data-status={cert.status}>
            {t(`certificates.verify.certStatus.${cert.status}`)}
          </span>
        </p>
        <p>{t(`certificates.verify.certStatusExplain.${cert.status}`)}</p>
      </div>
      <dl className="meta-list meta-grid">
        <dt>{t('certificates.fields.subject')}</dt>
        <dd className="break-word" data-testid="tte-verify-cert-subject">
          {cert.subject}
        </dd>
        {cert.email && (
          <>
            <dt>{t('certificates.fields.email')}</dt>
            <dd>{cert.email}</dd>
          </>
        )}
        <dt>{t('certificates.verify.issuer')}</dt>
        <dd className="break-word" data-testid="tte-verify-cert-issuer">
          {cert.issuer}
        </dd>
        <dt>{t('certificates.fields.serial')}</dt>
        <dd className="mono break-word">{cert.serial}</dd>
        <dt>{t('certificates.fields.validity')}</dt>
        <dd data-testid="tte-verify-cert-validity">
          {formatDateTime(cert.notBefore, lang)} – {formatDateTime(cert.notAfter, lang)}
        </dd>
        <dt>{t('certificates.fields.fingerprint')}</dt>
        <dd>
          <code className="hash">{cert.fingerprint}</code>
        </dd>
        {cert.chainSubjects.length > 0 && (
          <>
            <dt>{t('certificates.verify.chainPath')}</dt>
            <dd>
              <ol className="plain-list">
                {cert.chainSubjects.map((s, i) => (
                  <li key={`${s}-${i}`} className="break-word">
                    {s}
                  </li>
                ))}
              </ol>
            </dd>
          </>
        )}
      </dl>
      <ul className="checks" aria-label={t('certificates.verify.checks')}>
        <Check tone={chainTone(cert.chain)} testId="tte-verify-chain" value={cert.chain}>
          {t(`certificates.verify.chain.${cert.chain}`)}
          {cert.chainProblem && <span className="cell-note"> ({cert.chainProblem})</span>}
        </Check>
        <Check tone={revocationTone(cert.revocation)} testId="tte-verify-revocation" value={cert.revocation}>
          {cert.revocation === 'revoked' && cert.revokedAt
            ? t('certificates.verify.revokedAt', { time: formatDateTime(cert.revokedAt, lang) })
            : t(`certificates.verify.revocation.${cert.revocation}`)}
          {cert.revocationReason && <span className="cell-note"> ({cert.revocationReason})</span>}
        </Check>
      </ul>
    </div>
  );
}

function Check({ tone, testId, value, children }: { tone: Tone; testId: string; value: string; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <li className={`check check-${tone}`} data-testid={testId} data-value={value}>
      <span className="check-mark" aria-hidden="true">
        {tone === 'ok' ? '✓' : tone === 'error' ? '✗' : '!'}
      </span>
      <span className="visually-hidden">
        {t(`certificates.verify.checkTone.${tone === 'ok' ? 'ok' : tone === 'error' ? 'error' : 'warn'}`)}:{' '}
      </span>
      <span>{children}</span>
    </li>
  );
}

function alertOf(tone: Tone): 'success' | 'error' | 'warn' | 'info' {
  switch (tone) {
    case 'ok':
      return 'success';
    case 'error':
      return 'error';
    case 'warn':
      return 'warn';
    case 'info':
    case 'muted':
      return 'info';
  }
}
