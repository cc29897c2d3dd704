import { useMemo } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { INCIDENT_STATES, PRIORITIES, TEAMS, type IncidentListQuery, type IncidentState, type Priority, type Team } from '../../api/types';
import { formatDateTime } from '../../components/format';
import { PagedTable } from '../../components/data-table';
import { FilterSelect, Filters, SearchForm } from '../../components/list-toolbar';
import { ProblemAlert } from '../../components/problem-alert';
import { useAsync } from '../../components/use-async';
import { useListParams } from '../../components/use-list-params';
import { useLocale } from '../../components/use-locale';
import { usePageTitle } from '../../components/use-page-title';
import { flattenUnitTree, unitOptionLabel } from '../admin/unit-tree';
import { useMe } from '../auth/auth-context';
import { CategoryOptions } from './category-options';
import { DownloadLink } from './download-link';
import { PriorityBadge, SlaBadge, StateBadge, TlpBadge } from './incident-badges';
import { TEAM_OF_STATE, TEAM_ROLE, queueSla, teamsOf } from './incident-model';
import { pick, useTaxonomy } from './use-taxonomy';

const PAGE_SIZE = 25;
type TeamFilter = Team | 'all';

const isTeam = (v: string | null): v is Team => !!v && (TEAMS as readonly string[]).includes(v);
const isState = (v: string | null): v is IncidentState => !!v && (INCIDENT_STATES as readonly string[]).includes(v);
const isPriority = (v: string | null): v is Priority => !!v && (PRIORITIES as readonly string[]).includes(v);

/** /insiden — the team queues (TheHive's "cases" list): the viewer's own queue first. */
export function QueuePage() {
  const { t } = useTranslation();
  const lang = useLocale();
  const me = useMe();
  const { params, setParams, page, update, goToPage } = useListParams();
  const taxonomy = useTaxonomy();
  const units = useAsync((signal) => api.units.list({ signal }), []);
  const unitTree = useMemo(() => flattenUnitTree(units.data ?? []), [units.data]);
  usePageTitle(t('incidents.queue.title'));

  const myTeams = teamsOf(me.roles);
  const defaultTeam: TeamFilter = myTeams[0] ?? 'all';
  const teamParam = params.get('team');
  const team: TeamFilter = teamParam === 'all' ? 'all' : isTeam(teamParam) ? teamParam : defaultTeam;
  const status = isState(params.get('status')) ? (params.get('status') as IncidentState) : '';
  const priority = isPriority(params.get('priority')) ? (params.get('priority') as Priority) : '';
  const category = params.get('category') ?? '';
  const opdUnitId = params.get('opd') ?? '';
  const overdue = params.get('overdue') === '1';
  const mine = params.get('mine') === '1';
  const q = params.get('q') ?? '';

  const query: IncidentListQuery = {
    page,
    pageSize: PAGE_SIZE,
    team: team === 'all' ? undefined : team,
    status: status ? [status] : undefined,
    priority: priority || undefined,
    category: category || undefined,
    opdUnitId: opdUnitId || undefined,
    overdue: overdue || undefined,
    assignedToMe: mine || undefined,
    q: q || undefined,
  };
  const list = useAsync((signal) => api.incidents.list(query, { signal }), [JSON.stringify(query)]);

  const filtered = Boolean(status || priority || category || opdUnitId || overdue || mine || q || team !== defaultTeam);
  const teamStates = team === 'all' ? [] : INCIDENT_STATES.filter((s) => TEAM_OF_STATE[s] === team);
  const canReport = me.roles.includes('helpdesk');

  return (
    <section className="page page-wide">
      <div className="page-header">
        <h1>{t('incidents.queue.title')}</h1>
        <div className="action-group">
          <DownloadLink href={api.incidents.csvUrl({})} testId="incidents-export-csv">
            {t('incidents.queue.exportCsv')}
          </DownloadLink>
          {canReport && (
            <Link to="/insiden/baru" className="btn btn-primary" data-testid="incidents-new">
              {t('incidents.queue.new')}
            </Link>
          )}
        </div>
      </div>
      <p className="lead">
        {team === 'all'
          ? t('incidents.queue.introAll')
          : t('incidents.queue.introTeam', {
              team: t(`incidents.teams.${team}`),
              states: teamStates.map((s) => t(`incidents.states.${s}`)).join(', '),
            })}
      </p>

      <Filters label={t('incidents.queue.filters')}>
        <div className="filter-grid">
          <FilterSelect
            label={t('incidents.queue.team')}
            testId="incidents-filter-team"
            value={team}
            onChange={(v) => update({ team: v })}
            options={[
              { value: 'all', label: t('incidents.queue.allTeams') },
              ...TEAMS.map((tm) => ({
                value: tm,
                label: `${t(`incidents.teams.${tm}`)}${me.roles.includes(TEAM_ROLE[tm]) ? ` ${t('incidents.queue.yourTeam')}` : ''}`,
              })),
            ]}
          />
          <FilterSelect
            label={t('incidents.queue.status')}
            testId="incidents-filter-status"
            value={status}
            // A state outside the chosen queue would show nothing: a status filter looks across queues.
            onChange={(v) => update({ status: v, team: v ? 'all' : null })}
            any={t('incidents.queue.any')}
            options={INCIDENT_STATES.map((s) => ({ value: s, label: t(`incidents.states.${s}`) }))}
          />
          <FilterSelect
            label={t('incidents.queue.priority')}
            testId="incidents-filter-priority"
            value={priority}
            onChange={(v) => update({ priority: v })}
            any={t('incidents.queue.any')}
            options={PRIORITIES.map((p) => ({ value: p, label: t(`incidents.priorities.${p}`) }))}
          />
          <FilterSelect
            label={t('incidents.queue.category')}
            testId="incidents-filter-category"
            value={category}
            onChange={(v) => update({ category: v })}
            any={t('incidents.queue.any')}
          >
            <CategoryOptions taxonomy={taxonomy.data} lang={lang} />
          </FilterSelect>
          <FilterSelect
            label={t('incidents.queue.opd')}
            testId="incidents-filter-opd"
            value={opdUnitId}
            onChange={(v) => update({ opd: v })}
            any={t('incidents.queue.any')}
            options={unitTree.map((n) => ({ value: n.unit.id, label: unitOptionLabel(n) }))}
          />
          <div className="filter filter-checks">
            <label className="checkbox">
              <input
                type="checkbox"
                data-testid="incidents-filter-overdue"
                checked={overdue}
                onChange={(e) => update({ overdue: e.target.checked ? '1' : null })}
              />
              <span>{t('incidents.queue.overdue')}</span>
            </label>
            <label className="checkbox">
              <input
                type="checkbox"
                data-testid="incidents-filter-mine"
                checked={mine}
                onChange={(e) => update({ mine: e.target.checked ? '1' : null })}
              />
              <span>{t('incidents.queue.mine')}</span>
            </label>
          </div>
        </div>
        <SearchForm
          id="incidents-search"
          label={t('incidents.queue.search')}
          placeholder={t('incidents.queue.searchPlaceholder')}
          value={q}
          onSearch={(v) => update({ q: v })}
        >
          {filtered && (
            <button
              type="button"
              className="btn btn-link"
              data-testid="incidents-filter-reset"
              onClick={() => setParams(new URLSearchParams())}
            >
              {t('incidents.queue.resetFilters')}
            </button>
          )}
        </SearchForm>
      </Filters>

      <ProblemAlert error={list.error} testId="incidents-load-error" />

      <PagedTable
        testId="incidents-table"
        className="table-compact incident-table"
        caption={t('incidents.queue.title')}
        columns={[
          { label: t('incidents.fields.ticket') },
          { label: t('incidents.fields.title') },
          { label: t('incidents.fields.status') },
          { label: t('incidents.fields.priority') },
          { label: 'TLP' },
          { label: t('incidents.fields.category') },
          { label: t('incidents.fields.opd') },
          { label: t('incidents.fields.sla') },
          { label: t('incidents.fields.reportedAt') },
          { label: t('incidents.fields.assignee') },
        ]}
        list={list}
        onPage={goToPage}
        empty={filtered ? t('incidents.queue.noMatch') : t('incidents.queue.empty')}
        emptyTestId="incidents-empty"
        row={(i) => {
          const sla = queueSla(i);
          const holder = i.team ? i.assignees[i.team] : null;
          return (
            <tr
              key={i.id}
              data-testid={`incident-row-${i.ticket}`}
              data-status={i.status}
              className={i.overdue ? 'row-overdue' : undefined}
            >
              <td className="nowrap">
                <Link to={`/insiden/${i.id}`} className="mono" data-testid={`incident-link-${i.ticket}`}>
                  {i.ticket}
                </Link>
              </td>
              <td>
                <div className="cell-strong">{i.title}</div>
                <div className="cell-note">
                  {i.reporterName}
                  {i.reporterOrganisation ? ` · ${i.reporterOrganisation}` : ''}
                </div>
              </td>
              <td>
                <StateBadge status={i.status} />
                {i.escalatedAt && (
                  <div>
                    <span className="badge badge-error">{t('incidents.escalated')}</span>
                  </div>
                )}
              </td>
              <td>
                <PriorityBadge priority={i.priority} />
              </td>
              <td>
                <TlpBadge label={i.tlp} />
              </td>
              <td className="cell-small">{pick(i.categoryLabel, lang)}</td>
              <td className="cell-small">{i.opdUnitName ?? '—'}</td>
              <td className="cell-small" data-testid={`incident-sla-${i.ticket}`}>
                {sla ? (
                  <>
                    <SlaBadge status={sla.status} />
                    <div className="cell-note" data-testid={`incident-next-due-${i.ticket}`} data-target={sla.target}>
                      {t('incidents.queue.nextDue', {
                        target: t(`incidents.slaTargets.${sla.target}`),
                        team: t(`incidents.teams.${sla.team}`),
                      })}
                      : {formatDateTime(sla.dueAt, lang)}
                    </div>
                  </>
                ) : (
                  '—'
                )}
              </td>
              <td className="cell-small">{formatDateTime(i.reportedAt, lang)}</td>
              <td className="cell-small">{holder?.name ?? '—'}</td>
            </tr>
          );
        }}
      />
    </section>
  );
}
