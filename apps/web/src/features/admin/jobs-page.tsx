import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { JobRun, JobStatus } from '../../api/types';
import { formatDateTime } from '../../components/format';
import { PagedTable } from '../../components/data-table';
import { ProblemAlert } from '../../components/problem-alert';
import { Badge } from '../../components/status-badge';
import { useAsync } from '../../components/use-async';
import { useListParams } from '../../components/use-list-params';
import { useLocale } from '../../components/use-locale';
import { usePageTitle } from '../../components/use-page-title';

const PAGE_SIZE = 20;

const TONE: Record<JobStatus, 'ok' | 'info' | 'error'> = {
  running: 'info',
  succeeded: 'ok',
  failed: 'error',
};

function duration(run: JobRun, lang: 'id' | 'en'): string {
  if (!run.finishedAt) return '—';
  const ms = new Date(run.finishedAt).getTime() - new Date(run.startedAt).getTime();
  if (!Number.isFinite(ms) || ms < 0) return '—';
  const fmt = new Intl.NumberFormat(lang === 'id' ? 'id-ID' : 'en-GB', { maximumFractionDigits: ms < 10_000 ? 2 : 0 });
  return ms < 1000 ? `${fmt.format(ms)} ms` : `${fmt.format(ms / 1000)} s`;
}

export function JobsPage() {
  const { t } = useTranslation();
  const lang = useLocale();
  const { page, goToPage } = useListParams();
  usePageTitle(t('jobs.title'));
  const list = useAsync((signal) => api.jobs.runs({ page, pageSize: PAGE_SIZE }, { signal }), [page]);

  return (
    <section className="page">
      <div className="page-header">
        <h1>{t('jobs.title')}</h1>
        <button type="button" className="btn btn-secondary" data-testid="jobs-refresh" onClick={list.reload} disabled={list.loading}>
          {t('common.refresh')}
        </button>
      </div>
      <p className="lead">{t('jobs.intro')}</p>
      <ProblemAlert error={list.error} testId="jobs-load-error" />
      <PagedTable
        testId="jobs-table"
        caption={t('jobs.title')}
        columns={[
          { label: t('jobs.job') },
          { label: t('jobs.slot') },
          { label: t('jobs.instance') },
          { label: t('jobs.status') },
          { label: t('jobs.started') },
          { label: t('jobs.finished') },
          { label: t('jobs.duration'), className: 'num' },
          { label: t('jobs.error') },
        ]}
        list={list}
        onPage={goToPage}
        empty={t('jobs.empty')}
        emptyTestId="jobs-empty"
        row={(r) => (
          <tr key={r.id} data-testid={`job-row-${r.id}`}>
            <td>
              <code>{r.job}</code>
            </td>
            <td className="mono">{r.slot}</td>
            <td className="mono truncate" title={r.instance}>
              {r.instance}
            </td>
            <td>
              <Badge tone={TONE[r.status]} testId={`job-status-${r.id}`}>
                {t(`jobs.statuses.${r.status}`)}
              </Badge>
            </td>
            <td className="nowrap">{formatDateTime(r.startedAt, lang)}</td>
            <td className="nowrap">{formatDateTime(r.finishedAt, lang)}</td>
            <td className="num nowrap">{duration(r, lang)}</td>
            <td className="cell-error" title={r.error ?? undefined}>
              {r.error ?? '—'}
            </td>
          </tr>
        )}
      />
    </section>
  );
}
