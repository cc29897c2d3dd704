import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { PRIORITIES, SLA_TARGETS, type Compliance, type DurationStats, type Locale } from '../../api/types';
import { Field } from '../../components/field';
import { formatDateTime } from '../../components/format';
import { ProblemAlert } from '../../components/problem-alert';
import { useAsync } from '../../components/use-async';
import { useLocale } from '../../components/use-locale';
import { usePageTitle } from '../../components/use-page-title';
import { DownloadLink } from './download-link';
import { pick, useCategoryLabels, useTaxonomy } from './use-taxonomy';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const pad = (n: number) => String(n).padStart(2, '0');
const dateInput = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

/** Start of a local calendar day as ISO; `plusDays` moves it (the period's end is exclusive). */
function dayStartIso(value: string, plusDays = 0): string {
  const [y, m, d] = value.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d + plusDays).toISOString();
}

function number(n: number | null, lang: Locale, digits = 1): string {
  return n === null ? '—' : new Intl.NumberFormat(lang === 'id' ? 'id-ID' : 'en-GB', { maximumFractionDigits: digits }).format(n);
}

/** /insiden/metrik — the SOC service figures for a period (times, SLA compliance, counts per month). */
export function MetricsPage() {
  const { t } = useTranslation();
  const lang = useLocale();
  const [params, setParams] = useSearchParams();
  const today = new Date();
  const from = DATE.test(params.get('from') ?? '') ? params.get('from')! : `${today.getFullYear()}-01-01`;
  const to = DATE.test(params.get('to') ?? '') ? params.get('to')! : dateInput(today);
  const [draftFrom, setDraftFrom] = useState(from);
  const [draftTo, setDraftTo] = useState(to);
  // The monthly report mail links here with ?bulan=YYYY-MM: that month is offered for download.
  const linkedMonth = /^\d{4}-(0[1-9]|1[0-2])$/.test(params.get('bulan') ?? '') ? params.get('bulan')! : null;
  const [month, setMonth] = useState(linkedMonth ?? `${today.getFullYear()}-${pad(today.getMonth() + 1)}`);
  const taxonomy = useTaxonomy();
  const categories = useCategoryLabels(taxonomy.data);
  usePageTitle(t('incidents.metrics.title'));

  const period = { from: dayStartIso(from), to: dayStartIso(to, 1) };
  const metrics = useAsync((signal) => api.incidents.metrics(period, { signal }), [period.from, period.to]);
  const m = metrics.data;

  function apply(e: FormEvent) {
    e.preventDefault();
    setParams(new URLSearchParams({ from: draftFrom, to: draftTo }));
  }

  const hours = (h: number | null) =>
    h === null
      ? '—'
      : h >= 48
        ? t('incidents.metrics.days', { value: number(h / 24, lang) })
        : h >= 1
          ? t('incidents.metrics.hours', { value: number(h, lang) })
          : h * 60 < 1
            ? t('incidents.metrics.underMinute')
            : t('incidents.metrics.minutes', { value: number(Math.round(h * 60), lang, 0) });
  const durationRow = (key: 'timeToValidate' | 'timeToInitialRecommendation' | 'timeToResolution', d: DurationStats) => (
    <tr key={key} data-testid={`metrics-${key}`}>
      <th scope="row">{t(`incidents.metrics.${key}`)}</th>
      <td className="num">{d.count}</td>
      <td className="num">{hours(d.averageHours)}</td>
      <td className="num">{hours(d.medianHours)}</td>
      <td className="num">{hours(d.maxHours)}</td>
    </tr>
  );
  const complianceRow = (key: string, label: string, c: Compliance) => (
    <tr key={key} data-testid={`metrics-sla-${key}`}>
      <th scope="row">{label}</th>
      <td className="num">{c.met}</td>
      <td className="num">{c.missed}</td>
      <td>
        {c.percent === null ? (
          '—'
        ) : (
          <span className="meter-wrap">
            <meter min={0} max={100} low={80} high={95} optimum={100} value={c.percent} aria-hidden="true" />
            <span className="num">{number(c.percent, lang)}%</span>
          </span>
        )}
      </td>
    </tr>
  );

  return (
    <section className="page page-wide">
      <div className="page-header">
        <h1>{t('incidents.metrics.title')}</h1>
      </div>
      <p className="lead">{t('incidents.metrics.intro')}</p>

      <form className="card toolbar metrics-period" onSubmit={apply} aria-label={t('incidents.metrics.period')}>
        <Field id="metrics-from" label={t('incidents.metrics.from')}>
          <input
            id="metrics-from"
            data-testid="metrics-from"
            type="date"
            value={draftFrom}
            max={draftTo}
            onChange={(e) => setDraftFrom(e.target.value)}
          />
        </Field>
        <Field id="metrics-to" label={t('incidents.metrics.to')}>
          <input
            id="metrics-to"
            data-testid="metrics-to"
            type="date"
            value={draftTo}
            min={draftFrom}
            onChange={(e) => setDraftTo(e.target.value)}
          />
        </Field>
        <button
          type="submit"
          className="btn btn-primary"
          data-testid="metrics-apply"
          disabled={!DATE.test(draftFrom) || !DATE.test(draftTo)}
        >
          {t('incidents.metrics.apply')}
        </button>
        <DownloadLink href={api.incidents.csvUrl(period)} testId="metrics-csv">
          {t('incidents.metrics.csv')}
        </DownloadLink>
      </form>

      <ProblemAlert error={metrics.error} testId="metrics-error" />

      {m && (
        <div aria-busy={metrics.loading} data-testid="metrics-figures">
          <p className="muted small">
            {t('incidents.metrics.periodShown', { from: formatDateTime(m.from, lang), to: formatDateTime(m.to, lang) })}
          </p>
          <div className="stat-cards">
            <div className="card stat">
              <div className="stat-value" data-testid="metrics-total">
                {m.total}
              </div>
              <div className="stat-label">{t('incidents.metrics.total')}</div>
            </div>
            <div className="card stat">
              <div className="stat-value" data-testid="metrics-open">
                {m.open}
              </div>
              <div className="stat-label">{t('incidents.metrics.open')}</div>
            </div>
            <div className="card stat">
              <div className="stat-value" data-testid="metrics-rejected">
                {m.rejected}
              </div>
              <div className="stat-label">{t('incidents.metrics.rejected')}</div>
            </div>
            <div className="card stat">
              <div className="stat-value" data-testid="metrics-sla-overall-percent">
                {m.slaCompliance.overall.percent === null ? '—' : `${number(m.slaCompliance.overall.percent, lang)}%`}
              </div>
              <div className="stat-label">{t('incidents.metrics.slaOverall')}</div>
            </div>
          </div>

          <div className="cards cards-2">
            <div className="card">
              <h2>{t('incidents.metrics.durations')}</h2>
              <table className="table table-compact">
                <thead>
                  <tr>
                    <th scope="col">{t('incidents.metrics.measure')}</th>
                    <th scope="col" className="num">
                      {t('incidents.metrics.count')}
                    </th>
                    <th scope="col" className="num">
                      {t('incidents.metrics.average')}
                    </th>
                    <th scope="col" className="num">
                      {t('incidents.metrics.median')}
                    </th>
                    <th scope="col" className="num">
                      {t('incidents.metrics.max')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {durationRow('timeToValidate', m.timeToValidate)}
                  {durationRow('timeToInitialRecommendation', m.timeToInitialRecommendation)}
                  {durationRow('timeToResolution', m.timeToResolution)}
                </tbody>
              </table>
            </div>
            <div className="card">
              <h2>{t('incidents.metrics.compliance')}</h2>
              <table className="table table-compact">
                <thead>
                  <tr>
                    <th scope="col">{t('incidents.metrics.target')}</th>
                    <th scope="col" className="num">
                      {t('incidents.metrics.met')}
                    </th>
                    <th scope="col" className="num">
                      {t('incidents.metrics.missed')}
                    </th>
                    <th scope="col">%</th>
                  </tr>
                </thead>
                <tbody>
                  {SLA_TARGETS.map((target) => complianceRow(target, t(`incidents.slaTargets.${target}`), m.slaCompliance[target]))}
                  {complianceRow('overall', t('incidents.metrics.overall'), m.slaCompliance.overall)}
                </tbody>
              </table>
            </div>
          </div>

          <div className="card">
            <h2>{t('incidents.metrics.byMonth')}</h2>
            <div className="table-wrap">
              <table className="table table-compact" data-testid="metrics-by-month">
                <thead>
                  <tr>
                    <th scope="col">{t('incidents.metrics.month')}</th>
                    <th scope="col" className="num">
                      {t('incidents.metrics.total')}
                    </th>
                    {PRIORITIES.map((p) => (
                      <th key={p} scope="col" className="num">
                        {p}
                      </th>
                    ))}
                    <th scope="col">{t('incidents.metrics.topCategories')}</th>
                    <th scope="col">{t('incidents.metrics.topOpd')}</th>
                  </tr>
                </thead>
                <tbody>
                  {m.byMonth.map((row) => (
                    <tr key={row.month} data-testid={`metrics-month-${row.month}`}>
                      <th scope="row" className="mono">
                        {row.month}
                      </th>
                      <td className="num">{row.total}</td>
                      {PRIORITIES.map((p) => (
                        <td key={p} className="num">
                          {row.byPriority[p] ?? 0}
                        </td>
                      ))}
                      <td className="cell-small">
                        {Object.entries(row.byCategory)
                          .sort((a, b) => b[1] - a[1])
                          .slice(0, 3)
                          .map(([code, n]) => `${categories.has(code) ? pick(categories.get(code)!.type, lang) : code} (${n})`)
                          .join(', ')}
                      </td>
                      <td className="cell-small">
                        {[...row.byOpd]
                          .sort((a, b) => b.count - a.count)
                          .slice(0, 3)
                          .map((o) => `${o.unitName ?? t('incidents.metrics.noOpd')} (${o.count})`)
                          .join(', ')}
                      </td>
                    </tr>
                  ))}
                  {m.byMonth.length === 0 && (
                    <tr>
                      <td colSpan={8} className="empty">
                        {t('incidents.metrics.none')}
                      </td>
                    </tr>
                  )}
                </tbody>
              </table>
            </div>
          </div>
        </div>
      )}
      {!m && !metrics.error && (
        <p className="muted" role="status">
          {t('common.loading')}
        </p>
      )}

      <div className="card">
        <h2>{t('incidents.metrics.monthly')}</h2>
        <p className="muted">{t('incidents.metrics.monthlyIntro')}</p>
        <div className="toolbar">
          <label htmlFor="metrics-month">{t('incidents.metrics.month')}</label>
          <input id="metrics-month" data-testid="metrics-month" type="month" value={month} onChange={(e) => setMonth(e.target.value)} />
          <DownloadLink href={api.incidents.monthlyReportUrl(month)} testId="metrics-monthly-pdf">
            {t('incidents.metrics.monthlyPdf')}
          </DownloadLink>
        </div>
      </div>
    </section>
  );
}
