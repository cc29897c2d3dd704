import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../../api/client';
import type { IncidentState, Tracking } from '../../api/types';
import { Field, describedBy, fieldError } from '../../components/field';
import { formatDateTime } from '../../components/format';
import { Notice, ProblemAlert } from '../../components/problem-alert';
import { useAsync } from '../../components/use-async';
import { useLocale } from '../../components/use-locale';
import { usePageTitle } from '../../components/use-page-title';
import { EvidencePicker, formDataOf } from './evidence-picker';
import { TlpBadge } from './incident-badges';
import { TICKET_PATTERN, TOKEN_PATTERN, hasEvidenceProblems, parseTrackingLink, stateTone } from './incident-model';
import { useEvidenceLimits } from './use-evidence-limits';
import { ObservableRows, observablesJson, type ObservableRow } from './observable-rows';
import { pick } from './use-taxonomy';

/** The six steps of the service standard as a reporter sees them. */
const STEPS = ['received', 'recorded', 'analysis', 'handling', 'closing', 'done'] as const;

/** Index of the step an incident in `status` is at; STEPS.length when everything is done. */
function stepOf(status: IncidentState): number {
  switch (status) {
    case 'reported':
    case 'returned_to_reporter':
    case 'rejected':
      return 0;
    case 'validated':
      return 1;
    case 'recorded':
    case 'in_analysis':
      return 2;
    case 'in_handling':
      return 3;
    case 'resolved':
      return 4;
    case 'closed':
      return 5;
    case 'reporter_closed':
      return STEPS.length;
  }
}

/**
 * /lacak (also /report/track, where the server's links point): the reporter follows a report with
 * the ticket and secret code from the link's fragment, which never reaches a server log.
 */
export function TrackPage() {
  const { t } = useTranslation();
  const location = useLocation();
  const creds = useMemo(() => parseTrackingLink(location.hash || location.search), [location.hash, location.search]);
  usePageTitle(t('track.title'));

  return (
    <section className="page page-medium">
      <h1>{t('track.title')}</h1>
      {creds ? <TrackingView key={`${creds.ticket}:${creds.token}`} ticket={creds.ticket} token={creds.token} /> : <TrackForm />}
    </section>
  );
}

function TrackForm({ initialTicket = '' }: { initialTicket?: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [ticket, setTicket] = useState(initialTicket);
  const [code, setCode] = useState('');
  const [errors, setErrors] = useState<{ ticket?: string; code?: string }>({});

  function submit(e: FormEvent) {
    e.preventDefault();
    // A whole link pasted into either field works too.
    const fromLink = parseTrackingLink(code) ?? parseTrackingLink(ticket);
    const tk = (fromLink?.ticket ?? ticket).trim().toUpperCase();
    const tok = (fromLink?.token ?? code).trim();
    const next: typeof errors = {};
    if (!TICKET_PATTERN.test(tk)) next.ticket = t('track.badTicket');
    if (!TOKEN_PATTERN.test(tok)) next.code = t('track.badCode');
    setErrors(next);
    if (next.ticket || next.code) return;
    void navigate({ pathname: '/lacak', hash: `ticket=${encodeURIComponent(tk)}&token=${encodeURIComponent(tok)}` }, { replace: true });
  }

  return (
    <form className="card form" onSubmit={submit} noValidate data-testid="track-form">
      <p>{t('track.intro')}</p>
      <div className="form-grid">
        <Field id="track-ticket-input" label={t('track.ticket')} error={errors.ticket} required>
          <input
            id="track-ticket-input"
            data-testid="track-ticket-input"
            className="mono"
            placeholder="INC-2026-000123"
            autoCapitalize="characters"
            spellCheck={false}
            value={ticket}
            onChange={(e) => setTicket(e.target.value)}
            {...describedBy('track-ticket-input', { error: errors.ticket })}
          />
        </Field>
        <Field id="track-code-input" label={t('track.code')} hint={t('track.codeHint')} error={errors.code} required>
          <input
            id="track-code-input"
            data-testid="track-code-input"
            className="mono"
            autoComplete="off"
            spellCheck={false}
            value={code}
            onChange={(e) => setCode(e.target.value)}
            {...describedBy('track-code-input', { hint: true, error: errors.code })}
          />
        </Field>
      </div>
      <button type="submit" className="btn btn-primary" data-testid="track-submit">
        {t('track.submit')}
      </button>
    </form>
  );
}

function TrackingView({ ticket, token }: { ticket: string; token: string }) {
  const { t } = useTranslation();
  const lang = useLocale();
  const loaded = useAsync((signal) => api.publicIncidents.track(ticket, token, { signal }), [ticket, token]);
  const [override, setOverride] = useState<Tracking | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const data = override ?? loaded.data;

  function reload() {
    setOverride(null);
    setNotice(null);
    loaded.reload();
  }

  if (loaded.error && !data) {
    const notFound = isApiError(loaded.error) && (loaded.error.status === 404 || loaded.error.status === 400);
    return (
      <>
        {notFound ? (
          <div className="alert alert-error" role="alert" data-testid="track-error">
            <p className="alert-title">{t('track.notFoundTitle')}</p>
            <p>{t('track.notFoundBody')}</p>
          </div>
        ) : (
          <ProblemAlert error={loaded.error} testId="track-error" />
        )}
        <TrackForm initialTicket={ticket} />
      </>
    );
  }
  if (!data) {
    return (
      <p className="muted" role="status" data-testid="track-loading">
        {t('common.loading')}
      </p>
    );
  }

  const step = stepOf(data.status);
  const rejected = data.status === 'rejected';
  const done = data.status === 'reporter_closed' || data.status === 'closed';

  return (
    <div data-testid="track-view" aria-busy={loaded.loading}>
      <div className="card track-head">
        <div className="track-head-row">
          <div>
            <div className="muted">{t('track.ticket')}</div>
            <div className="ticket-big" data-testid="track-ticket">
              {data.ticket}
            </div>
          </div>
          <TlpBadge label={data.tlp} testId="track-tlp" />
        </div>
        <h2 className="track-title" data-testid="track-title">
          {data.title}
        </h2>
        <p className={`track-status track-status-${stateTone(data.status)}`} data-testid="track-status" data-status={data.status}>
          <span className="muted">{t('track.statusNow')}</span>{' '}
          <strong data-testid="track-status-label">{pick(data.statusLabel, lang)}</strong>
        </p>
        <dl className="meta-list">
          <dt>{t('track.reportedAt')}</dt>
          <dd>{formatDateTime(data.reportedAt, lang)}</dd>
          {data.category && (
            <>
              <dt>{t('track.category')}</dt>
              <dd data-testid="track-category">{pick(data.category, lang)}</dd>
            </>
          )}
          {data.closedAt && (
            <>
              <dt>{t('track.closedAt')}</dt>
              <dd data-testid="track-closed-at">{formatDateTime(data.closedAt, lang)}</dd>
            </>
          )}
        </dl>
        <button
          type="button"
          className="btn btn-small btn-secondary"
          data-testid="track-refresh"
          onClick={reload}
          disabled={loaded.loading}
        >
          {t('common.refresh')}
        </button>
      </div>

      {notice && <Notice testId="track-notice">{notice}</Notice>}
      <ProblemAlert error={loaded.error} testId="track-refresh-error" />

      {done && (
        <div className="alert alert-success" role="status" data-testid="track-closed">
          <p className="alert-title">{data.status === 'reporter_closed' ? t('track.doneTitle') : t('track.closedTitle')}</p>
          <p>{t('track.doneBody')}</p>
        </div>
      )}
      {rejected && (
        <div className="alert alert-error" role="status" data-testid="track-rejected">
          <p className="alert-title">{t('track.rejectedTitle')}</p>
          <p>{t('track.rejectedBody')}</p>
        </div>
      )}

      {!rejected && (
        <ol className="progress-steps" data-testid="track-progress" aria-label={t('track.progress')}>
          {STEPS.map((s, i) => {
            const state = i < step ? 'done' : i === step ? 'current' : 'todo';
            return (
              <li key={s} data-state={state} aria-current={state === 'current' ? 'step' : undefined}>
                <span className="step-dot" aria-hidden="true">
                  {state === 'done' ? '✓' : i + 1}
                </span>
                <span className="step-label">{t(`track.steps.${s}`)}</span>
                <span className="visually-hidden">{t(`track.stepState.${state}`)}</span>
              </li>
            );
          })}
        </ol>
      )}

      {data.recommendation && (
        <section className="card recommendation" data-testid="track-recommendation" aria-labelledby="track-recommendation-title">
          <h2 id="track-recommendation-title">{t('track.recommendationTitle')}</h2>
          <p className="muted">{t('track.recommendationSent', { time: formatDateTime(data.recommendation.sentAt, lang) })}</p>
          <div className="prose" data-testid="track-recommendation-text">
            {data.recommendation.text}
          </div>
        </section>
      )}
      {data.recommendationWithheld && (
        <div className="alert alert-info" role="status" data-testid="track-recommendation-withheld">
          {t('track.recommendationWithheld')}
        </div>
      )}

      {data.canSupplement && (
        <SupplementForm
          ticket={ticket}
          token={token}
          message={[...data.milestones].reverse().find((m) => m.kind === 'return_incomplete')?.message ?? null}
          onDone={(next) => {
            setOverride(next);
            setNotice(t('track.supplemented'));
          }}
        />
      )}

      <section className="card" aria-labelledby="track-milestones-title">
        <h2 id="track-milestones-title">{t('track.milestones')}</h2>
        <ol className="milestones" data-testid="track-milestones">
          {[...data.milestones].reverse().map((m, i) => (
            <li key={`${m.at}-${m.kind}-${i}`} data-testid="track-milestone" data-kind={m.kind}>
              <time dateTime={m.at} className="milestone-time">
                {formatDateTime(m.at, lang)}
              </time>
              <div className="milestone-label">{pick(m.label, lang)}</div>
              {m.message && <div className="milestone-message">{m.message}</div>}
            </li>
          ))}
        </ol>
      </section>
      <p className="muted small">{t('track.privacy')}</p>
    </div>
  );
}

function SupplementForm({
  ticket,
  token,
  message,
  onDone,
}: {
  ticket: string;
  token: string;
  message: string | null;
  onDone: (t: Tracking) => void;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [observables, setObservables] = useState<ObservableRow[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [missing, setMissing] = useState(false);
  const evidenceLimits = useEvidenceLimits();

  useEffect(() => setMissing(false), [text]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!text.trim()) {
      setMissing(true);
      return;
    }
    // The picker already says what is wrong; nothing is uploaded until it is fixed.
    if (hasEvidenceProblems(files, evidenceLimits)) {
      document.getElementById('track-supplement-evidence')?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const next = await api.publicIncidents.supplement(
        formDataOf({ ticket, token, message: text, observables: observablesJson(observables) }, files),
      );
      onDone(next);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const msgError = missing ? t('incidents.form.required') : fieldError(error, 'message');
  return (
    <form className="card form supplement" onSubmit={(e) => void submit(e)} noValidate aria-busy={busy} data-testid="track-supplement">
      <h2>{t('track.supplementTitle')}</h2>
      {message && (
        <div className="alert alert-warn" data-testid="track-supplement-request">
          <p className="alert-title">{t('track.supplementAsked')}</p>
          <p className="prose">{message}</p>
        </div>
      )}
      <ProblemAlert error={error} testId="track-supplement-error" inlineFields={['message']} />
      <Field id="track-supplement-message" label={t('track.supplementMessage')} error={msgError} required>
        <textarea
          id="track-supplement-message"
          data-testid="track-supplement-message"
          rows={5}
          value={text}
          onChange={(e) => setText(e.target.value)}
          {...describedBy('track-supplement-message', { error: msgError })}
        />
      </Field>
      <details className="form-more">
        <summary>{t('incidents.form.observables')}</summary>
        <ObservableRows prefix="track-supplement-obs" rows={observables} onChange={setObservables} error={error} />
      </details>
      <EvidencePicker id="track-supplement-evidence" files={files} onChange={setFiles} disabled={busy} limits={evidenceLimits} />
      <button type="submit" className="btn btn-primary" data-testid="track-supplement-submit" disabled={busy}>
        {busy ? t('incidents.form.sending') : t('track.supplementSubmit')}
      </button>
    </form>
  );
}
