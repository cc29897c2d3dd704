import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Link, useLocation, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../../api/client';
import type { ApplicationDetail, CertificateRef, StaffAction } from '../../api/certificates.types';
import type { RoleCode } from '../../api/types';
import { DataTable } from '../../components/data-table';
import { formatBytes, formatDateTime } from '../../components/format';
import { Notice, ProblemAlert } from '../../components/problem-alert';
import { useAsync } from '../../components/use-async';
import { useLocale } from '../../components/use-locale';
import { usePageTitle } from '../../components/use-page-title';
import { useMe } from '../auth/auth-context';
import { DownloadLink } from '../incidents/download-link';
import { Section } from '../../components/section';
import { ActionsPanel } from './actions-panel';
import { certApi } from './api';
import { ApplicationStateBadge, CertificateStatusBadge, SlaBadge } from './cert-badges';
import { isApplicationState, isTimelineAction, saveBlob } from './cert-model';
import './certificates.css';

/** Roles of `certificates.documents`: the letters are personal data, downloaded (and audited) only by those who review. */
const DOCUMENT_READERS: readonly RoleCode[] = ['verifier', 'ra_operator'];
const CHANGE_FIELDS = ['fullName', 'email', 'nip', 'positionTitle', 'orgUnitId'] as const;

/** /sertifikat/permohonan/:id — one application: holder, identity for review, documents, timeline, and the viewer's steps. */
export function ApplicationPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const lang = useLocale();
  const me = useMe();
  const location = useLocation();
  const created = (location.state as { created?: string } | null)?.created;
  const loaded = useAsync((signal) => certApi.applications.get(id, { signal }), [id]);
  // The server answers every step with the application as it now is; that answer is shown until the next read.
  const [latest, setLatest] = useState<ApplicationDetail | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const statusRef = useRef<HTMLDivElement>(null);
  const app = latest?.id === id ? latest : loaded.data?.id === id ? loaded.data : undefined;
  // An update that moves the holder to another unit names it by id: the unit list gives its name.
  const unitChange = typeof app?.changes?.orgUnitId === 'string' ? app.changes.orgUnitId : null;
  const units = useAsync((signal) => (unitChange ? api.units.list({ signal }) : Promise.resolve([])), [unitChange]);
  usePageTitle(app ? `${app.number} · ${app.holder.fullName}` : t('certificates.detail.title'));

  useEffect(() => {
    setLatest(null);
    setNotice(null);
  }, [id]);

  function reload() {
    setLatest(null);
    loaded.reload();
  }

  function stepDone(next: ApplicationDetail, action: StaffAction) {
    setLatest(next);
    setNotice(
      t('certificates.detail.stepDone', {
        action: t(`certificates.actionLabels.${action}`),
        state: t(`certificates.states.${next.state}`),
      }),
    );
    statusRef.current?.focus();
  }

  if (!app) {
    return (
      <section className="page">
        <p className="breadcrumbs">
          <Link to="/sertifikat" data-testid="cert-app-back">
            ← {t('certificates.detail.back')}
          </Link>
        </p>
        {loaded.error ? (
          <>
            <ProblemAlert error={loaded.error} testId="cert-app-load-error" />
            {isApiError(loaded.error) && loaded.error.status === 404 && <p>{t('certificates.detail.notFound')}</p>}
          </>
        ) : (
          <p className="muted" role="status">
            {t('common.loading')}
          </p>
        )}
      </section>
    );
  }

  const canDownload = DOCUMENT_READERS.some((r) => me.roles.includes(r));
  const finished = !app.waitingOn;

  return (
    <section className="page page-wide cert-detail" data-testid="cert-app-detail" data-state={app.state}>
      <p className="breadcrumbs">
        <Link to="/sertifikat" data-testid="cert-app-back">
          ← {t('certificates.detail.back')}
        </Link>
      </p>

      <header className="card incident-header">
        <div className="incident-header-top">
          <div>
            <div className="mono ticket" data-testid="cert-app-number">
              {app.number}
            </div>
            <h1 data-testid="cert-app-title">
              {t(`certificates.procedures.${app.procedure}`)} — {app.holder.fullName}
            </h1>
          </div>
          <div className="action-group">
            <button
              type="button"
              className="btn btn-small btn-secondary"
              data-testid="cert-app-refresh"
              onClick={reload}
              disabled={loaded.loading}
            >
              {t('common.refresh')}
            </button>
          </div>
        </div>
        <div className="incident-badges" ref={statusRef} tabIndex={-1} aria-live="polite">
          <ApplicationStateBadge state={app.state} testId="cert-app-state" />
          <span className="badge badge-muted" data-testid="cert-app-adapter" data-adapter={app.adapter}>
            {t(`certificates.adapters.${app.adapter}`)}
          </span>
        </div>
        <dl className="meta-list meta-grid">
          <dt>{t('certificates.fields.waitingOn')}</dt>
          <dd data-testid="cert-app-waiting" data-waiting={app.waitingOn ?? ''}>
            {app.waitingOn ? t(`certificates.waitingOn.${app.waitingOn}`) : '—'}
          </dd>
          {app.keySource && (
            <>
              <dt>{t('certificates.fields.privateKey')}</dt>
              <dd data-testid="cert-app-key-source" data-key-source={app.keySource}>
                {t(`certificates.keySources.${app.keySource}`)}
              </dd>
            </>
          )}
          <dt>{t('certificates.fields.submittedAt')}</dt>
          <dd>{formatDateTime(app.submittedAt, lang)}</dd>
          {app.finishedAt && (
            <>
              <dt>{t('certificates.fields.finishedAt')}</dt>
              <dd data-testid="cert-app-finished">{formatDateTime(app.finishedAt, lang)}</dd>
            </>
          )}
        </dl>
        <div className="sla-clocks" data-testid="cert-app-sla" data-sla={app.sla}>
          <div className="sla-clock">
            <div className="sla-clock-title">{t('certificates.detail.serviceTime')}</div>
            <SlaBadge status={app.sla} />
            <div className="cell-note">
              {finished && app.finishedAt
                ? t('certificates.detail.finishedWithin', { due: formatDateTime(app.dueAt, lang) })
                : t('certificates.detail.dueAt', { time: formatDateTime(app.dueAt, lang) })}
            </div>
          </div>
        </div>
      </header>

      {created && !notice && <Notice testId="cert-created-notice">{t('certificates.detail.created', { number: created })}</Notice>}
      {notice && <Notice testId="cert-action-notice">{notice}</Notice>}
      <ProblemAlert error={latest ? null : loaded.error} testId="cert-app-reload-error" />

      <div className="detail-layout">
        <div className="detail-main">
          <Outcome app={app} />

          <Section id="cert-holder" title={t('certificates.detail.holder')} testId="cert-app-holder">
            <dl className="meta-list meta-grid">
              <dt>{t('certificates.fields.fullName')}</dt>
              <dd data-testid="cert-holder-name">{app.holder.fullName}</dd>
              <dt>{t('certificates.fields.email')}</dt>
              <dd data-testid="cert-holder-email">{app.holder.email}</dd>
              <dt>{t('certificates.fields.nik')}</dt>
              <dd className="mono" data-testid="cert-holder-nik">
                {app.holder.nikMasked}
              </dd>
              <dt>{t('certificates.fields.nip')}</dt>
              <dd className="mono">{app.holder.nip ?? '—'}</dd>
              <dt>{t('certificates.fields.positionTitle')}</dt>
              <dd>{app.holder.positionTitle}</dd>
              <dt>{t('certificates.fields.unit')}</dt>
              <dd>{app.holder.unitName ?? '—'}</dd>
            </dl>
            {app.note && (
              <div className="outcome">
                <h3>{t('certificates.fields.note')}</h3>
                <p className="prose">{app.note}</p>
              </div>
            )}
          </Section>

          <IdentityPanel app={app} />

          <CsrPanel app={app} />

          {(app.changes || app.revocationReason || app.certificate) && (
            <Section id="cert-request" title={t('certificates.detail.request')} testId="cert-app-request">
              <dl className="meta-list meta-grid">
                {app.certificate && (
                  <>
                    <dt>{t('certificates.detail.sourceCertificate')}</dt>
                    <dd>
                      <CertificateRefLink cert={app.certificate} testId="cert-app-source-cert" />
                    </dd>
                  </>
                )}
                {app.revocationReason && (
                  <>
                    <dt>{t('certificates.fields.revocationReason')}</dt>
                    <dd data-testid="cert-app-revocation-reason" data-reason={app.revocationReason}>
                      {t(`certificates.revocationReasons.${app.revocationReason}`)} <code className="muted">{app.revocationReason}</code>
                    </dd>
                  </>
                )}
                {app.changes &&
                  CHANGE_FIELDS.filter((f) => app.changes && app.changes[f] !== undefined && app.changes[f] !== null).map((f) => (
                    <Change key={f} label={t(`certificates.changes.${f === 'orgUnitId' ? 'unitName' : f}`)} testId={`cert-app-change-${f}`}>
                      {f === 'orgUnitId'
                        ? (units.data?.find((u) => u.id === app.changes?.orgUnitId)?.name ?? String(app.changes?.orgUnitId))
                        : String(app.changes?.[f])}
                    </Change>
                  ))}
              </dl>
            </Section>
          )}

          <Section
            id="cert-documents"
            title={t('certificates.detail.documents', { count: app.documents.length })}
            testId="cert-app-documents"
          >
            <p className="field-hint">{t('certificates.detail.documentsCustody')}</p>
            {app.documents.length === 0 ? (
              <p className="muted">{t('certificates.detail.noDocuments')}</p>
            ) : (
              <DataTable
                testId="cert-doc-table"
                className="table-compact"
                columns={[
                  { label: t('certificates.detail.document') },
                  { label: 'SHA-256' },
                  { label: t('certificates.detail.uploadedAt') },
                  { label: t('common.actions'), hidden: true },
                ]}
                rows={app.documents}
                row={(d, i) => (
                  <tr key={d.id} data-testid="cert-doc-row" data-sha256={d.sha256}>
                    <td>
                      <div className="cell-strong break-word" data-testid="cert-doc-name">
                        {d.fileName}
                      </div>
                      <div className="cell-note">
                        {t(`certificates.documentKinds.${d.kind}`)} · {formatBytes(d.size, lang)}
                      </div>
                    </td>
                    <td>
                      <code className="hash" data-testid="cert-doc-sha256">
                        {d.sha256}
                      </code>
                    </td>
                    <td className="cell-small">{formatDateTime(d.uploadedAt, lang)}</td>
                    <td className="actions">
                      {canDownload ? (
                        <DownloadLink
                          href={certApi.applications.documentUrl(app.id, d.id)}
                          className="btn btn-small btn-secondary"
                          testId={`cert-doc-download-${i}`}
                          aria-label={t('certificates.detail.downloadAria', { name: d.fileName })}
                          title={t('certificates.detail.downloadHint')}
                        >
                          {t('certificates.detail.download')}
                        </DownloadLink>
                      ) : (
                        <span className="muted small">{t('certificates.detail.downloadStaffOnly')}</span>
                      )}
                    </td>
                  </tr>
                )}
              />
            )}
          </Section>

          <Section id="cert-timeline" title={t('certificates.detail.timeline')} testId="cert-app-timeline">
            <ol className="timeline" data-testid="cert-timeline">
              {[...app.timeline].reverse().map((e, i) => (
                <li
                  key={`${e.at}-${e.action}-${i}`}
                  className={`timeline-entry timeline-${e.actorKind === 'applicant' ? 'reporter' : e.actorKind}`}
                  data-testid="cert-timeline-entry"
                  data-action={e.action}
                >
                  <div className="timeline-meta">
                    <time dateTime={e.at}>{formatDateTime(e.at, lang)}</time>
                    <span className="timeline-actor">
                      {e.actorKind === 'system'
                        ? t('certificates.timeline.system')
                        : e.actorKind === 'applicant'
                          ? t('certificates.timeline.applicant', { name: e.actorName ?? '' })
                          : (e.actorName ?? '—')}
                    </span>
                  </div>
                  <div className="timeline-body">
                    <strong>{isTimelineAction(e.action) ? t(`certificates.timeline.actions.${e.action}`) : e.action}</strong>
                    {e.toState && isApplicationState(e.toState) && e.toState !== e.fromState && (
                      <>
                        {' → '}
                        <ApplicationStateBadge state={e.toState} />
                      </>
                    )}
                    {e.note && <div className="prose">{e.note}</div>}
                  </div>
                </li>
              ))}
            </ol>
          </Section>
        </div>
        <aside className="detail-aside">
          <ActionsPanel application={app} onDone={stepDone} onStale={reload} />
        </aside>
      </div>
    </section>
  );
}

function Change({ label, testId, children }: { label: string; testId: string; children: ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </>
  );
}

function CertificateRefLink({ cert, testId }: { cert: CertificateRef; testId: string }) {
  return (
    <span>
      <Link to={`/sertifikat/sertifikat/${cert.id}`} className="mono break-word" data-testid={testId}>
        {cert.serial}
      </Link>{' '}
      <CertificateStatusBadge status={cert.status} />
    </span>
  );
}

/** The outcome or the open questions: return reason, decision, BSrE portal submission, issued certificate. */
function Outcome({ app }: { app: ApplicationDetail }) {
  const { t } = useTranslation();
  const lang = useLocale();
  const hasRa = app.raReference || app.raSubmittedAt || app.raLastStatus;
  if (!app.returnReason && !app.decisionReason && !hasRa && !app.issuedCertificate) return null;
  return (
    <Section id="cert-outcome" title={t('certificates.detail.outcome')} testId="cert-app-outcome">
      {app.returnReason && app.state === 'awaiting_identity' && (
        <div className="alert alert-warn" data-testid="cert-app-return-reason">
          <p className="alert-title">{t('certificates.detail.returnReason')}</p>
          <p className="prose">{app.returnReason}</p>
        </div>
      )}
      {app.decisionReason && (
        <div className={`alert ${app.state === 'refused' ? 'alert-error' : 'alert-info'}`} data-testid="cert-app-decision-reason">
          <p className="alert-title">
            {app.state === 'cancelled' ? t('certificates.detail.cancelReason') : t('certificates.detail.decisionReason')}
          </p>
          <p className="prose">{app.decisionReason}</p>
        </div>
      )}
      {app.issuedCertificate && (
        <div className="alert alert-success" data-testid="cert-app-issued">
          <p className="alert-title">
            {t(app.procedure === 'revocation' ? 'certificates.detail.revokedDone' : 'certificates.detail.issued')}
          </p>
          <CertificateRefLink cert={app.issuedCertificate} testId="cert-app-issued-link" />
        </div>
      )}
      {hasRa && (
        <dl className="meta-list meta-grid" data-testid="cert-app-ra">
          {app.raReference && (
            <>
              <dt>{t('certificates.detail.raReference')}</dt>
              <dd className="mono" data-testid="cert-app-ra-reference">
                {app.raReference}
              </dd>
            </>
          )}
          {app.raSubmittedAt && (
            <>
              <dt>{t('certificates.detail.raSubmittedAt')}</dt>
              <dd>{formatDateTime(app.raSubmittedAt, lang)}</dd>
            </>
          )}
          {app.raDecidedAt && (
            <>
              <dt>{t('certificates.detail.raDecidedAt')}</dt>
              <dd>{formatDateTime(app.raDecidedAt, lang)}</dd>
            </>
          )}
          {app.raLastStatus && (
            <>
              <dt>{t('certificates.detail.raLastStatus')}</dt>
              <dd>
                <code>{app.raLastStatus}</code>
                {app.raLastPolledAt && <span className="muted"> · {formatDateTime(app.raLastPolledAt, lang)}</span>}
              </dd>
            </>
          )}
        </dl>
      )}
    </Section>
  );
}

/**
 * The applicant's own key request, while it awaits the RA: what was asked for (the subject is not
 * copied: the certificate carries the verified identity), the key, and the PEM to copy or download.
 */
function CsrPanel({ app }: { app: ApplicationDetail }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState<'ok' | 'failed' | null>(null);
  const csr = app.csr;
  if (!csr) return null;
  const deciding = app.allowedActions.some((a) => a.action === 'ra_approve');

  async function copy(pem: string) {
    try {
      await navigator.clipboard.writeText(pem);
      setCopied('ok');
    } catch {
      setCopied('failed');
    }
  }

  function download(pem: string) {
    const url = URL.createObjectURL(new Blob([pem], { type: 'application/pkcs10' }));
    saveBlob(url, `${app.number}.csr`);
    // Revoked a little later: revoking at once can cancel the download in some browsers.
    window.setTimeout(() => URL.revokeObjectURL(url), 30_000);
  }

  return (
    <Section id="cert-csr" title={t('certificates.detail.csr.title')} testId="cert-app-csr">
      <p className="field-hint">{t('certificates.detail.csr.intro')}</p>
      {deciding && (
        <p className="field-hint" data-testid="cert-csr-ra-hint">
          {t('certificates.detail.csr.raHint')}
        </p>
      )}
      <dl className="meta-list">
        <dt>{t('certificates.detail.csr.subject')}</dt>
        <dd>
          <span className="mono break-word" data-testid="cert-csr-subject">
            {csr.requestedSubject || '—'}
          </span>
          <div className="field-hint" data-testid="cert-csr-subject-note">
            {t('certificates.detail.csr.subjectNote', { name: app.holder.fullName, email: app.holder.email })}
          </div>
        </dd>
        <dt>{t('certificates.detail.csr.emails')}</dt>
        <dd data-testid="cert-csr-emails">
          {csr.requestedEmails.length ? (
            <ul className="plain-list">
              {csr.requestedEmails.map((e) => (
                <li key={e} className="break-word">
                  {e}
                </li>
              ))}
            </ul>
          ) : (
            <span className="muted">{t('certificates.detail.csr.noEmails')}</span>
          )}
        </dd>
        <dt>{t('certificates.detail.csr.key')}</dt>
        <dd data-testid="cert-csr-key">{csr.key}</dd>
        <dt>{t('certificates.detail.csr.signatureAlgorithm')}</dt>
        <dd className="mono" data-testid="cert-csr-signature-algorithm">
          {csr.signatureAlgorithm}
        </dd>
      </dl>
      <details className="form-more csr-details" data-testid="cert-csr-pem-toggle">
        <summary>{t('certificates.detail.csr.pem')}</summary>
        <pre className="csr-pem-block" data-testid="cert-csr-pem">
          {csr.pem}
        </pre>
      </details>
      <div className="action-group csr-actions">
        <button type="button" className="btn btn-small btn-secondary" data-testid="cert-csr-copy" onClick={() => void copy(csr.pem)}>
          {t('certificates.detail.csr.copy')}
        </button>
        <button type="button" className="btn btn-small btn-secondary" data-testid="cert-csr-download" onClick={() => download(csr.pem)}>
          {t('certificates.detail.csr.download')}
        </button>
        <span role="status" className="small muted" data-testid="cert-csr-copy-status" data-copied={copied ?? ''}>
          {copied === 'ok' ? t('certificates.detail.csr.copied') : copied === 'failed' ? t('certificates.detail.csr.copyFailed') : ''}
        </span>
      </div>
    </Section>
  );
}

/** The identity data the applicant submitted, beside what the verifier entered, for review. */
function IdentityPanel({ app }: { app: ApplicationDetail }) {
  const { t } = useTranslation();
  const lang = useLocale();
  if (app.procedure !== 'issuance' && app.procedure !== 'renewal') return null;
  const id = app.identity;
  const nameDiffers = id ? normaliseName(id.fullNameOnId) !== normaliseName(stripTitles(app.holder.fullName)) : false;
  return (
    <Section id="cert-identity" title={t('certificates.detail.identity')} testId="cert-app-identity">
      {!id ? (
        <p className="muted" data-testid="cert-identity-none">
          {app.state === 'awaiting_identity' ? t('certificates.detail.identityPending') : t('certificates.detail.identityHidden')}
        </p>
      ) : (
        <>
          {app.state === 'identity_review' && <p className="field-hint">{t('certificates.detail.identityReviewHint')}</p>}
          <dl className="meta-list meta-grid">
            <dt>{t('certificates.identity.fullNameOnId')}</dt>
            <dd data-testid="cert-identity-name">
              {id.fullNameOnId}
              {nameDiffers && (
                <div className="field-hint" data-testid="cert-identity-name-differs">
                  {t('certificates.detail.nameDiffers', { name: app.holder.fullName })}
                </div>
              )}
            </dd>
            <dt>{t('certificates.identity.birth')}</dt>
            <dd data-testid="cert-identity-birth">
              {id.birthPlace}, {formatDate(id.birthDate, lang)}
            </dd>
            <dt>{t('certificates.identity.address')}</dt>
            <dd className="prose" data-testid="cert-identity-address">
              {id.address}
            </dd>
            <dt>{t('certificates.identity.phone')}</dt>
            <dd data-testid="cert-identity-phone">{id.phone}</dd>
            <dt>{t('certificates.identity.submittedAt')}</dt>
            <dd>{formatDateTime(id.submittedAt, lang)}</dd>
          </dl>
          <p className="field-hint">{t('certificates.detail.identityNikChecked')}</p>
        </>
      )}
    </Section>
  );
}

/** Academic and religious titles (", S.Kom.", "Dr.", "H.") are on the letter but not on the KTP. */
function stripTitles(name: string): string {
  return name.split(',')[0]!.replace(/^((dr|drs|dra|ir|prof|h|hj)\.\s*)+/i, '');
}

function normaliseName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^\p{L}]+/gu, ' ')
    .trim();
}

/** A YYYY-MM-DD date in the UI language, without a time zone shift. */
export function formatDate(ymd: string, lang: 'id' | 'en'): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd);
  if (!m) return ymd;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return new Intl.DateTimeFormat(lang === 'id' ? 'id-ID' : 'en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(d);
}
