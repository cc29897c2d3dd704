import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import {
  APPLICATION_STATES,
  CERTIFICATE_FILTERS,
  PROCEDURES,
  type ApplicationListQuery,
  type ApplicationScope,
  type CertificateFilter,
  type CertificateListQuery,
} from '../../api/certificates.types';
import { formatDateTime } from '../../components/format';
import { PagedTable } from '../../components/data-table';
import { FilterSelect, Filters, SearchForm } from '../../components/list-toolbar';
import { pageParam } from '../../components/pagination';
import { ProblemAlert } from '../../components/problem-alert';
import { useAsync } from '../../components/use-async';
import { useListParams, type ParamsPatch } from '../../components/use-list-params';
import { useLocale } from '../../components/use-locale';
import { usePageTitle } from '../../components/use-page-title';
import { useMe } from '../auth/auth-context';
import { certApi } from './api';
import { ApplicationStateBadge, CertificateStatusBadge, DaysLeft, SlaBadge } from './cert-badges';
import { isApplicationState, isProcedure } from './cert-model';
import './certificates.css';

const PAGE_SIZE = 25;
const TABS = ['applications', 'certificates'] as const;
type Tab = (typeof TABS)[number];
const SCOPES: readonly ApplicationScope[] = ['open', 'finished', 'all'];

const isScope = (v: string | null): v is ApplicationScope => !!v && (SCOPES as readonly string[]).includes(v);
const isCertFilter = (v: string | null): v is CertificateFilter => !!v && (CERTIFICATE_FILTERS as readonly string[]).includes(v);

/** /sertifikat — the verifier's and RA's work: open applications (queue) and issued certificates. */
export function CertificatesPage() {
  const { t } = useTranslation();
  const me = useMe();
  const { params, setParams, update } = useListParams();
  const tab: Tab = params.get('tab') === 'certificates' ? 'certificates' : 'applications';
  const isVerifier = me.roles.includes('verifier');
  usePageTitle(t('certificates.list.title'));

  function selectTab(next: Tab) {
    setParams(next === 'applications' ? new URLSearchParams() : new URLSearchParams({ tab: next }));
  }

  return (
    <section className="page page-wide">
      <div className="page-header">
        <h1 data-testid="cert-heading">{t('certificates.list.title')}</h1>
        {isVerifier && (
          <div className="action-group">
            <Link to="/sertifikat/baru" className="btn btn-primary" data-testid="cert-new-issuance">
              {t('certificates.list.newIssuance')}
            </Link>
          </div>
        )}
      </div>
      <p className="lead">{t('certificates.list.intro')}</p>
      {isVerifier && (
        <p className="field-hint" data-testid="cert-procedures-hint">
          {t('certificates.list.proceduresHint')}{' '}
          <button
            type="button"
            className="btn btn-link btn-small"
            data-testid="cert-procedures-open"
            onClick={() => selectTab('certificates')}
          >
            {t('certificates.list.proceduresOpen')}
          </button>
        </p>
      )}

      <div className="tabs" role="tablist" aria-label={t('certificates.list.tabs')}>
        {TABS.map((k) => (
          <button
            key={k}
            type="button"
            role="tab"
            id={`cert-tab-${k}`}
            data-testid={`cert-tab-${k}`}
            aria-selected={tab === k}
            aria-controls={`cert-panel-${k}`}
            tabIndex={tab === k ? 0 : -1}
            className={`tab${tab === k ? ' tab-active' : ''}`}
            onClick={() => selectTab(k)}
            onKeyDown={(e) => {
              if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
                const i = (TABS.indexOf(k) + (e.key === 'ArrowRight' ? 1 : TABS.length - 1)) % TABS.length;
                selectTab(TABS[i]!);
                document.getElementById(`cert-tab-${TABS[i]!}`)?.focus();
              }
            }}
          >
            {t(`certificates.list.tab.${k}`)}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`cert-panel-${tab}`} aria-labelledby={`cert-tab-${tab}`} className="tab-panel">
        {tab === 'applications' ? (
          <ApplicationsPanel params={params} update={update} reset={() => selectTab('applications')} />
        ) : (
          <CertificateListPanel params={params} update={update} reset={() => selectTab('certificates')} isVerifier={isVerifier} />
        )}
      </div>
    </section>
  );
}

interface PanelProps {
  params: URLSearchParams;
  update: (patch: ParamsPatch) => void;
  reset: () => void;
}

function ApplicationsPanel({ params, update, reset }: PanelProps) {
  const { t } = useTranslation();
  const lang = useLocale();
  const scope: ApplicationScope = isScope(params.get('scope')) ? (params.get('scope') as ApplicationScope) : 'open';
  const procedure = isProcedure(params.get('procedure')) ? params.get('procedure') : null;
  const state = isApplicationState(params.get('state')) ? params.get('state') : null;
  const q = params.get('q') ?? '';
  const page = pageParam(params.get('page'));
  const query: ApplicationListQuery = {
    page,
    pageSize: PAGE_SIZE,
    scope,
    procedure: isProcedure(procedure) ? procedure : undefined,
    state: isApplicationState(state) ? state : undefined,
    q: q || undefined,
  };
  const list = useAsync((signal) => certApi.applications.list(query, { signal }), [JSON.stringify(query)]);
  const filtered = Boolean(procedure || state || q || scope !== 'open');

  return (
    <>
      <Filters label={t('certificates.list.filters')}>
        <div className="filter-grid">
          <FilterSelect
            label={t('certificates.list.scope')}
            testId="cert-app-filter-scope"
            value={scope}
            onChange={(v) => update({ scope: v === 'open' ? null : v })}
            options={SCOPES.map((s) => ({ value: s, label: t(`certificates.list.scopes.${s}`) }))}
          />
          <FilterSelect
            label={t('certificates.fields.procedure')}
            testId="cert-app-filter-procedure"
            value={procedure ?? ''}
            onChange={(v) => update({ procedure: v })}
            any={t('certificates.list.any')}
            options={PROCEDURES.map((p) => ({ value: p, label: t(`certificates.procedures.${p}`) }))}
          />
          <FilterSelect
            label={t('certificates.fields.state')}
            testId="cert-app-filter-state"
            value={state ?? ''}
            // A finished state is outside the open queue: a state filter looks at every application.
            onChange={(v) => update({ state: v, scope: v ? 'all' : null })}
            any={t('certificates.list.any')}
            options={APPLICATION_STATES.map((s) => ({ value: s, label: t(`certificates.states.${s}`) }))}
          />
        </div>
        <SearchForm
          id="cert-app-search"
          label={t('certificates.list.search')}
          placeholder={t('certificates.list.searchApplications')}
          value={q}
          onSearch={(v) => update({ q: v })}
        >
          {filtered && (
            <button type="button" className="btn btn-link" data-testid="cert-app-filter-reset" onClick={reset}>
              {t('certificates.list.resetFilters')}
            </button>
          )}
        </SearchForm>
      </Filters>

      <ProblemAlert error={list.error} testId="cert-app-load-error" />

      <PagedTable
        testId="cert-app-table"
        className="table-compact cert-table"
        caption={t('certificates.list.tab.applications')}
        columns={[
          { label: t('certificates.fields.number') },
          { label: t('certificates.fields.procedure') },
          { label: t('certificates.fields.holder') },
          { label: t('certificates.fields.unit') },
          { label: t('certificates.fields.state') },
          { label: t('certificates.fields.sla') },
        ]}
        list={list}
        onPage={(p) => update({ page: p > 1 ? String(p) : null })}
        empty={filtered ? t('certificates.list.noMatch') : t('certificates.list.noOpen')}
        emptyTestId="cert-app-empty"
        row={(a) => (
          <tr
            key={a.id}
            data-testid={`cert-app-row-${a.number}`}
            data-state={a.state}
            className={a.sla === 'breached' ? 'row-overdue' : a.myActions.length ? 'row-mine' : undefined}
          >
            <td className="nowrap">
              <Link to={`/sertifikat/permohonan/${a.id}`} className="mono" data-testid={`cert-app-link-${a.number}`}>
                {a.number}
              </Link>
              {a.myActions.length > 0 && (
                <div>
                  <span className="badge badge-info" data-testid={`cert-app-mine-${a.number}`}>
                    {t('certificates.list.yourTurn')}
                  </span>
                </div>
              )}
            </td>
            <td className="cell-small">
              {t(`certificates.procedures.${a.procedure}`)}
              {a.adapter === 'bsre' && <div className="cell-note">BSrE</div>}
            </td>
            <td>
              <div className="cell-strong">{a.holderName}</div>
              <div className="cell-note break-word">{a.holderEmail}</div>
              <div className="cell-note mono" title={t('certificates.fields.nik')}>
                {t('certificates.fields.nik')} {a.nikMasked}
              </div>
            </td>
            <td className="cell-small">{a.unitName ?? '—'}</td>
            <td>
              <ApplicationStateBadge state={a.state} />
              {a.waitingOn && (
                <div className="cell-note" data-testid={`cert-app-waiting-${a.number}`} data-waiting={a.waitingOn}>
                  {t('certificates.list.waiting', { who: t(`certificates.waitingOn.${a.waitingOn}`) })}
                </div>
              )}
            </td>
            <td className="cell-small" data-testid={`cert-app-sla-${a.number}`}>
              <SlaBadge status={a.sla} />
              <div className="cell-note">{t('certificates.list.due', { time: formatDateTime(a.dueAt, lang) })}</div>
            </td>
          </tr>
        )}
      />
    </>
  );
}

function CertificateListPanel({ params, update, reset, isVerifier }: PanelProps & { isVerifier: boolean }) {
  const { t } = useTranslation();
  const lang = useLocale();
  // Active certificates by default, as the queue shows open applications by default; `all` lists every one.
  const statusParam = params.get('status');
  const status: CertificateFilter | null = statusParam === 'all' ? null : isCertFilter(statusParam) ? statusParam : 'active';
  const q = params.get('q') ?? '';
  const page = pageParam(params.get('page'));
  const query: CertificateListQuery = { page, pageSize: PAGE_SIZE, status: status ?? undefined, q: q || undefined };
  const list = useAsync((signal) => certApi.certificates.list(query, { signal }), [JSON.stringify(query)]);
  // How many are due for renewal, shown on the highlighted filter whatever the current filter is.
  const due = useAsync((signal) => certApi.certificates.list({ status: 'expiring', pageSize: 1 }, { signal }), []);
  const filtered = Boolean(status !== 'active' || q);

  return (
    <>
      <Filters label={t('certificates.list.filters')}>
        <div className="segmented" role="group" aria-label={t('certificates.fields.status')}>
          <button
            type="button"
            className="btn btn-small btn-secondary"
            aria-pressed={status === null}
            data-testid="cert-filter-all"
            onClick={() => update({ status: 'all' })}
          >
            {t('certificates.list.allCertificates')}
          </button>
          {CERTIFICATE_FILTERS.map((s) => (
            <button
              key={s}
              type="button"
              className={`btn btn-small ${s === 'expiring' ? 'btn-due' : 'btn-secondary'}`}
              aria-pressed={status === s}
              data-testid={`cert-filter-${s}`}
              onClick={() => update({ status: s === 'active' ? null : s })}
            >
              {t(`certificates.list.filtersStatus.${s}`)}
              {s === 'expiring' && due.data ? ` (${due.data.total})` : ''}
            </button>
          ))}
        </div>
        <SearchForm
          id="cert-search"
          label={t('certificates.list.search')}
          placeholder={t('certificates.list.searchCertificates')}
          value={q}
          onSearch={(v) => update({ q: v })}
        >
          {filtered && (
            <button type="button" className="btn btn-link" data-testid="cert-filter-reset" onClick={reset}>
              {t('certificates.list.resetFilters')}
            </button>
          )}
        </SearchForm>
      </Filters>
      {status === 'expiring' && (
        <div className="alert alert-warn" role="note" data-testid="cert-due-note">
          {t('certificates.list.dueNote')}
        </div>
      )}

      <ProblemAlert error={list.error} testId="cert-load-error" />

      <PagedTable
        testId="cert-table"
        className="table-compact cert-table"
        caption={t('certificates.list.tab.certificates')}
        columns={[
          { label: t('certificates.fields.serial') },
          { label: t('certificates.fields.holder') },
          { label: t('certificates.fields.unit') },
          { label: t('certificates.fields.status') },
          { label: t('certificates.fields.notAfter') },
          isVerifier && { label: t('common.actions'), hidden: true },
        ]}
        list={list}
        onPage={(p) => update({ page: p > 1 ? String(p) : null })}
        empty={filtered ? t('certificates.list.noMatch') : t('certificates.list.noCertificates')}
        emptyTestId="cert-empty"
        row={(c) => (
          <tr key={c.id} data-testid={`cert-row-${c.serial}`} data-status={c.status} className={c.dueForRenewal ? 'row-due' : undefined}>
            <td>
              <Link to={`/sertifikat/sertifikat/${c.id}`} className="mono break-word" data-testid={`cert-link-${c.serial}`}>
                {c.serial}
              </Link>
              {c.adapter === 'bsre' && <div className="cell-note">BSrE</div>}
              {c.keyCustody === 'holder' && (
                <div>
                  <span
                    className="badge badge-muted"
                    data-testid={`cert-holder-key-${c.serial}`}
                    title={t('certificates.list.holderKeyHint')}
                  >
                    {t('certificates.list.holderKey')}
                  </span>
                </div>
              )}
            </td>
            <td>
              <div className="cell-strong">{c.holderName}</div>
              <div className="cell-note break-word">{c.email}</div>
              <div className="cell-note mono">
                {t('certificates.fields.nik')} {c.nikMasked}
              </div>
            </td>
            <td className="cell-small">{c.unitName ?? '—'}</td>
            <td>
              <CertificateStatusBadge status={c.status} dueForRenewal={c.dueForRenewal} />
            </td>
            <td className="cell-small">
              {formatDateTime(c.notAfter, lang)}
              <div>
                <DaysLeft daysLeft={c.daysLeft} dueForRenewal={c.dueForRenewal} testId={`cert-days-${c.serial}`} />
              </div>
            </td>
            {isVerifier && (
              <td className="actions">
                <CertificateProcedureLinks certificateId={c.id} status={c.status} serial={c.serial} small />
              </td>
            )}
          </tr>
        )}
      />
    </>
  );
}

/** The verifier's entry to renewal, update and revocation: only those the certificate's status allows. */
export function CertificateProcedureLinks({
  certificateId,
  status,
  serial,
  small = false,
}: {
  certificateId: string;
  status: string;
  serial: string;
  small?: boolean;
}) {
  const { t } = useTranslation();
  const size = small ? ' btn-small' : '';
  const suffix = small ? `-${serial}` : '';
  const active = status === 'active' || status === 'not_yet_valid';
  const links = [
    { kind: 'renewal', path: 'pembaruan', look: 'btn-secondary', shown: active || status === 'expired' },
    { kind: 'update', path: 'perubahan', look: 'btn-secondary', shown: active },
    { kind: 'revocation', path: 'pencabutan', look: 'btn-danger', shown: active },
  ] as const;
  return (
    <div className="action-group">
      {links
        .filter((l) => l.shown)
        .map((l) => (
          <Link
            key={l.kind}
            to={`/sertifikat/${certificateId}/${l.path}`}
            className={`btn ${l.look}${size}`}
            data-testid={`cert-start-${l.kind}${suffix}`}
            aria-label={small ? t(`certificates.procedureLinks.${l.kind}Aria`, { serial }) : undefined}
          >
            {t(`certificates.procedureLinks.${l.kind}`)}
          </Link>
        ))}
    </div>
  );
}
