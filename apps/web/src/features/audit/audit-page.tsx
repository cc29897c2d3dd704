import { useEffect, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { PagedTable } from '../../components/data-table';
import { formatDateTime, shortHash } from '../../components/format';
import { pageParam } from '../../components/pagination';
import { ProblemAlert } from '../../components/problem-alert';
import { useAsync } from '../../components/use-async';
import { useLocale } from '../../components/use-locale';
import { usePageTitle } from '../../components/use-page-title';
import { useRoleLabels } from '../shell/role-labels';
import { AuditSummaryCell } from './audit-summary';

const PAGE_SIZE = 50;

export function AuditPage() {
  const { t } = useTranslation();
  const lang = useLocale();
  const { label } = useRoleLabels();
  const [params, setParams] = useSearchParams();
  const page = pageParam(params.get('page'));
  const action = params.get('action') ?? '';
  const entityType = params.get('entityType') ?? '';
  const [actionInput, setActionInput] = useState(action);
  const [entityInput, setEntityInput] = useState(entityType);
  usePageTitle(t('audit.title'));

  useEffect(() => {
    setActionInput(action);
    setEntityInput(entityType);
  }, [action, entityType]);

  const events = useAsync(
    (signal) =>
      api.audit.events({ page, pageSize: PAGE_SIZE, action: action || undefined, entityType: entityType || undefined }, { signal }),
    [page, action, entityType],
  );

  function go(next: { page?: number; action?: string; entityType?: string }) {
    const p = new URLSearchParams();
    const a = next.action ?? action;
    const e = next.entityType ?? entityType;
    if (a) p.set('action', a);
    if (e) p.set('entityType', e);
    if ((next.page ?? 1) > 1) p.set('page', String(next.page));
    setParams(p);
  }

  function applyFilters(e: FormEvent) {
    e.preventDefault();
    go({ page: 1, action: actionInput.trim(), entityType: entityInput.trim() });
  }

  return (
    <section className="page">
      <h1>{t('audit.title')}</h1>
      <p className="lead">{t('audit.intro')}</p>

      <VerifyBanner />

      <form className="toolbar" onSubmit={applyFilters} aria-label={t('audit.filters')}>
        <label htmlFor="audit-filter-action">{t('audit.action')}</label>
        <input
          id="audit-filter-action"
          data-testid="audit-filter-action"
          spellCheck={false}
          placeholder={t('audit.actionPlaceholder')}
          value={actionInput}
          onChange={(e) => setActionInput(e.target.value)}
        />
        <label htmlFor="audit-filter-entity">{t('audit.entityType')}</label>
        <input
          id="audit-filter-entity"
          data-testid="audit-filter-entity"
          spellCheck={false}
          placeholder={t('audit.entityPlaceholder')}
          value={entityInput}
          onChange={(e) => setEntityInput(e.target.value)}
        />
        <button type="submit" className="btn btn-secondary" data-testid="audit-filter-submit">
          {t('common.filter')}
        </button>
        {(action || entityType) && (
          <button
            type="button"
            className="btn btn-link"
            data-testid="audit-filter-reset"
            onClick={() => go({ page: 1, action: '', entityType: '' })}
          >
            {t('common.reset')}
          </button>
        )}
      </form>

      <ProblemAlert error={events.error} testId="audit-load-error" />

      <PagedTable
        testId="audit-table"
        className="table-compact"
        caption={t('audit.title')}
        columns={[
          { label: t('audit.seq'), className: 'num' },
          { label: t('audit.time') },
          { label: t('audit.actor') },
          { label: t('audit.roles') },
          { label: t('audit.action') },
          { label: t('audit.entityType') },
          { label: t('audit.entityId') },
          { label: t('audit.requestId') },
          { label: t('audit.hash') },
        ]}
        list={events}
        onPage={(p) => go({ page: p })}
        empty={t('common.empty')}
        emptyTestId="audit-empty"
        row={(ev) => (
          <tr key={ev.seq} data-testid={`audit-row-${ev.seq}`}>
            <td className="num">{ev.seq}</td>
            <td className="nowrap">
              <time dateTime={ev.occurredAt}>{formatDateTime(ev.occurredAt, lang)}</time>
            </td>
            <td>{ev.actorName ?? ev.actorId ?? <span className="muted">{t('audit.system')}</span>}</td>
            <td>{ev.actorRoles.map(label).join(', ') || '—'}</td>
            <td>
              <code data-testid={`audit-action-${ev.seq}`}>{ev.action}</code>
              <AuditSummaryCell seq={ev.seq} summary={ev.summary} />
            </td>
            <td>{ev.entityType}</td>
            <td className="mono truncate" title={ev.entityId ?? undefined}>
              {ev.entityId ?? '—'}
            </td>
            <td className="mono truncate" title={ev.requestId ?? undefined} data-testid={`audit-request-${ev.seq}`}>
              {ev.requestId ?? '—'}
            </td>
            <td className="mono" title={ev.hash}>
              {shortHash(ev.hash)}
            </td>
          </tr>
        )}
      />
    </section>
  );
}

function VerifyBanner() {
  const { t } = useTranslation();
  const verify = useAsync((signal) => api.audit.verify({ signal }), []);
  const result = verify.data;

  let state: 'loading' | 'ok' | 'broken' | 'error';
  let text: string;
  if (verify.loading) {
    state = 'loading';
    text = t('audit.verifying');
  } else if (verify.error || !result) {
    state = 'error';
    text = t('audit.verifyFailed');
  } else if (result.ok) {
    state = 'ok';
    text = t('audit.chainOk', { checked: result.checked });
  } else {
    state = 'broken';
    text = result.firstBroken
      ? t('audit.chainBroken', { seq: result.firstBroken.seq, reason: result.firstBroken.reason, checked: result.checked })
      : t('audit.chainBrokenUnknown', { checked: result.checked });
  }

  const tone = state === 'ok' ? 'alert-success' : state === 'loading' ? 'alert-info' : 'alert-error';
  return (
    <div className={`alert verify-banner ${tone}`} role={state === 'broken' ? 'alert' : 'status'}>
      <div>
        <p className="alert-title" data-testid="audit-verify-status" data-state={state}>
          {text}
        </p>
        {result?.headHash && (
          <p className="alert-meta">
            {t('audit.headHash')}: <code title={result.headHash}>{shortHash(result.headHash, 16)}</code>
          </p>
        )}
        {state === 'error' && <ProblemAlert error={verify.error} testId="audit-verify-error" />}
      </div>
      <button
        type="button"
        className="btn btn-secondary btn-small"
        data-testid="audit-verify-rerun"
        onClick={verify.reload}
        disabled={verify.loading}
      >
        {t('audit.verifyAgain')}
      </button>
    </div>
  );
}
