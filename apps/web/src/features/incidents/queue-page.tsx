import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { INCIDENT_STATES, PRIORITIES, TEAMS, type IncidentListQuery, type IncidentState, type Priority, type Team } from '../../api/types';
import { formatDateTime } from '../../components/format';
import { Pagination, pageParam } from '../../components/pagination';
import { ProblemAlert } from '../../components/problem-alert';
import { useAsync } from '../../components/use-async';
import { useLocale } from '../../components/use-locale';
import { usePageTitle } from '../../components/use-page-title';
import { flattenUnitTree, unitOptionLabel } from '../admin/unit-tree';
import { useMe } from '../auth/auth-context';
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
  const [params, setParams] = useSearchParams();
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
  const page = pageParam(params.get('page'));
  const [search, setSearch] = useState(q);
  useEffect(() => setSearch(q), [q]);

  const query: IncidentListQuery = {
    page,
    pageSize: PAGE_SIZE,
    team: team === 'all' ? undefined : team,
    status: status || undefined,
    priority: priority || undefined,
    category: category || undefined,
    opdUnitId: opdUnitId || undefined,
    overdue: overdue || undefined,
    assignedToMe: mine || undefined,
    q: q || undefined,
  };
  const list = useAsync((signal) => api.incidents.list(query, { signal }), [JSON.stringify(query)]);

  function update(patch: Record<string, string | null>) {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v === null || v === '') next.delete(k);
      else next.set(k, v);
    }
    if (!('page' in patch)) next.delete('page');
    setParams(next);
  }

  function onSearch(e: FormEvent) {
    e.preventDefault();
    update({ q: search.trim() });
  }

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

      <div className="filters card" role="group" aria-label={t('incidents.queue.filters')}>
        <div className="filter-grid">
          <label className="filter">
            <span>{t('incidents.queue.team')}</span>
            <select data-testid="incidents-filter-team" value={team} onChange={(e) => update({ team: e.target.value })}>
              <option value="all">{t('incidents.queue.allTeams')}</option>
              {TEAMS.map((tm) => (
                <option key={tm} value={tm}>
                  {t(`incidents.teams.${tm}`)}
                  {me.roles.includes(TEAM_ROLE[tm]) ? ` ${t('incidents.queue.yourTeam')}` : ''}
                </option>
              ))}
            </select>
          </label>
          <label className="filter">
            <span>{t('incidents.queue.status')}</span>
            <select
              data-testid="incidents-filter-status"
              value={status}
              // A state outside the chosen queue would show nothing: a status filter looks across queues.
              onChange={(e) => update({ status: e.target.value, team: e.target.value ? 'all' : null })}
            >
              <option value="">{t('incidents.queue.any')}</option>
              {INCIDENT_STATES.map((s) => (
                <option key={s} value={s}>
                  {t(`incidents.states.${s}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="filter">
            <span>{t('incidents.queue.priority')}</span>
            <select data-testid="incidents-filter-priority" value={priority} onChange={(e) => update({ priority: e.target.value })}>
              <option value="">{t('incidents.queue.any')}</option>
              {PRIORITIES.map((p) => (
                <option key={p} value={p}>
                  {t(`incidents.priorities.${p}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="filter">
            <span>{t('incidents.queue.category')}</span>
            <select data-testid="incidents-filter-category" value={category} onChange={(e) => update({ category: e.target.value })}>
              <option value="">{t('incidents.queue.any')}</option>
              {(taxonomy.data?.classes ?? []).map((c) => (
                <optgroup key={c.code} label={pick(c.label, lang)}>
                  {c.types.map((ty) => (
                    <option key={ty.code} value={ty.code}>
                      {pick(ty.label, lang)}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
          </label>
          <label className="filter">
            <span>{t('incidents.queue.opd')}</span>
            <select data-testid="incidents-filter-opd" value={opdUnitId} onChange={(e) => update({ opd: e.target.value })}>
              <option value="">{t('incidents.queue.any')}</option>
              {unitTree.map((n) => (
                <option key={n.unit.id} value={n.unit.id}>
                  {unitOptionLabel(n)}
                </option>
              ))}
            </select>
          </label>
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
        <form className="toolbar" role="search" onSubmit={onSearch}>
          <label htmlFor="incidents-search">{t('incidents.queue.search')}</label>
          <input
            id="incidents-search"
            data-testid="incidents-search"
            type="search"
            placeholder={t('incidents.queue.searchPlaceholder')}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
          <button type="submit" className="btn btn-secondary" data-testid="incidents-search-submit">
            {t('common.search')}
          </button>
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
        </form>
      </div>

      <ProblemAlert error={list.error} testId="incidents-load-error" />

      <div className="table-wrap">
        <table className="table table-compact incident-table" data-testid="incidents-table" aria-busy={list.loading}>
          <caption className="visually-hidden">{t('incidents.queue.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('incidents.fields.ticket')}</th>
              <th scope="col">{t('incidents.fields.title')}</th>
              <th scope="col">{t('incidents.fields.status')}</th>
              <th scope="col">{t('incidents.fields.priority')}</th>
              <th scope="col">TLP</th>
              <th scope="col">{t('incidents.fields.category')}</th>
              <th scope="col">{t('incidents.fields.opd')}</th>
              <th scope="col">{t('incidents.fields.sla')}</th>
              <th scope="col">{t('incidents.fields.reportedAt')}</th>
              <th scope="col">{t('incidents.fields.assignee')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data?.items.map((i) => {
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
            })}
            {list.data && list.data.items.length === 0 && (
              <tr>
                <td colSpan={10} className="empty" data-testid="incidents-empty">
                  {filtered ? t('incidents.queue.noMatch') : t('incidents.queue.empty')}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {list.data && (
        <Pagination
          page={list.data.page}
          pageSize={list.data.pageSize}
          total={list.data.total}
          onPage={(p) => update({ page: p > 1 ? String(p) : null })}
          disabled={list.loading}
        />
      )}
    </section>
  );
}
