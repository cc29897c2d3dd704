import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../../api/client';
import { SLA_TARGETS, TEAMS, type IncidentAction, type IncidentDetail, type RoleCode, type Team } from '../../api/types';
import { formatDateTime } from '../../components/format';
import { Notice, ProblemAlert } from '../../components/problem-alert';
import { Section } from '../../components/section';
import { useAsync } from '../../components/use-async';
import { useLocale } from '../../components/use-locale';
import { usePageTitle } from '../../components/use-page-title';
import { useMe } from '../auth/auth-context';
import { ActionsPanel } from './actions-panel';
import { CoordinationList, EvidencePanel, ObservablesPanel, TimelinePanel } from './detail-panels';
import { DownloadLink } from './download-link';
import { PriorityBadge, SlaBadge, StateBadge, TlpBadge } from './incident-badges';
import { TEAM_ROLE, mayDo } from './incident-model';
import { pick } from './use-taxonomy';

/** Roles of `incidents.share`: STIX bundles go to other CSIRTs. */
const SHARERS: readonly RoleCode[] = ['incident_data', 'incident_analyst', 'incident_handler'];
/** Roles of `incidents.reporter_contact`: the teams who call the reporter back (the auditor only sees that it happened). */
const CONTACT_REVEALERS: readonly RoleCode[] = ['admin', 'helpdesk', 'incident_data', 'incident_analyst', 'incident_handler'];

/** /insiden/:id — one incident: header, the viewer's actions, report, evidence, observables, coordination, timeline. */
export function DetailPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const lang = useLocale();
  const me = useMe();
  const loaded = useAsync((signal) => api.incidents.get(id, { signal }), [id]);
  const units = useAsync((signal) => api.units.list({ signal }), []);
  const unitNames = useMemo(() => new Map((units.data ?? []).map((u) => [u.id, u.name])), [units.data]);
  // The server answers every change with the incident as it now is; that answer is shown until the next read.
  const [latest, setLatest] = useState<IncidentDetail | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [assignError, setAssignError] = useState<unknown>(null);
  const statusRef = useRef<HTMLDivElement>(null);
  const incident = latest?.id === id ? latest : loaded.data?.id === id ? loaded.data : undefined;
  usePageTitle(incident ? `${incident.ticket} · ${incident.title}` : t('incidents.detail.title'));

  useEffect(() => {
    setLatest(null);
    setNotice(null);
  }, [id]);

  function changed(next: IncidentDetail) {
    setLatest(next);
  }

  function reload() {
    setLatest(null);
    loaded.reload();
  }

  function stepDone(next: IncidentDetail, action: IncidentAction) {
    setLatest(next);
    setNotice(
      t('incidents.detail.stepDone', { action: t(`incidents.actionLabels.${action}`), status: t(`incidents.states.${next.status}`) }),
    );
    statusRef.current?.focus();
  }

  async function assign(userId: string | null) {
    if (!incident?.team) return;
    setAssignError(null);
    try {
      setLatest(await api.incidents.assign(incident.id, incident.team, userId));
    } catch (err) {
      setAssignError(err);
    }
  }

  if (!incident) {
    if (loaded.error) {
      return (
        <section className="page">
          <p>
            <Link to="/insiden">← {t('incidents.detail.back')}</Link>
          </p>
          <ProblemAlert error={loaded.error} testId="incident-load-error" />
          {isApiError(loaded.error) && loaded.error.status === 404 && <p>{t('incidents.detail.notFound')}</p>}
        </section>
      );
    }
    return (
      <section className="page">
        <p className="muted" role="status">
          {t('common.loading')}
        </p>
      </section>
    );
  }

  const team = incident.team;
  const mayAssign = Boolean(team && mayDo(incident, 'assign') && me.roles.includes(TEAM_ROLE[team]));
  const mine = team ? incident.assignees[team]?.id === me.id : false;
  const canShare = SHARERS.some((r) => me.roles.includes(r));

  return (
    <section className="page page-wide incident-detail" data-testid="incident-detail" data-status={incident.status}>
      <p className="breadcrumbs">
        <Link to="/insiden" data-testid="incident-back">
          ← {t('incidents.detail.back')}
        </Link>
      </p>

      <header className="card incident-header">
        <div className="incident-header-top">
          <div>
            <div className="mono ticket" data-testid="incident-ticket">
              {incident.ticket}
            </div>
            <h1 data-testid="incident-title">{incident.title}</h1>
          </div>
          <div className="action-group">
            <button
              type="button"
              className="btn btn-small btn-secondary"
              data-testid="incident-refresh"
              onClick={reload}
              disabled={loaded.loading}
            >
              {t('common.refresh')}
            </button>
            <DownloadLink href={api.incidents.reportPdfUrl(incident.id)} className="btn btn-small" testId="incident-export-pdf">
              {t('incidents.detail.pdf')}
            </DownloadLink>
            {canShare &&
              (incident.tlp === 'RED' ? (
                <span
                  className="btn btn-small"
                  aria-disabled="true"
                  data-testid="incident-export-stix-refused"
                  title={t('incidents.detail.stixRed')}
                >
                  STIX 2.1
                </span>
              ) : (
                <DownloadLink
                  href={api.incidents.stixUrl(incident.id)}
                  className="btn btn-small"
                  testId="incident-export-stix"
                  title={t('incidents.detail.stixHint')}
                >
                  STIX 2.1
                </DownloadLink>
              ))}
          </div>
        </div>
        <div className="incident-badges" ref={statusRef} tabIndex={-1} aria-live="polite">
          <StateBadge status={incident.status} testId="incident-status" />
          <PriorityBadge priority={incident.priority} testId="incident-priority" />
          <TlpBadge label={incident.tlp} testId="incident-tlp" />
          {incident.escalatedAt && <span className="badge badge-error">{t('incidents.escalated')}</span>}
          {incident.closedAutomatically && <span className="badge badge-muted">{t('incidents.detail.closedAutomatically')}</span>}
        </div>
        <dl className="meta-list meta-grid incident-meta">
          <dt>{t('incidents.fields.category')}</dt>
          <dd data-testid="incident-category" data-code={incident.category}>
            {pick(incident.categoryLabel, lang)} <code className="muted">{incident.category}</code>
          </dd>
          <dt>{t('incidents.fields.opd')}</dt>
          <dd data-testid="incident-opd">{incident.opdUnitName ?? '—'}</dd>
          <dt>{t('incidents.fields.impactUrgency')}</dt>
          <dd>
            {t(`incidents.impacts.${incident.impact}`)} / {t(`incidents.urgencies.${incident.urgency}`)}
          </dd>
          <dt>{t('incidents.fields.queue')}</dt>
          <dd data-testid="incident-team">{team ? t(`incidents.teams.${team}`) : '—'}</dd>
          <dt>{t('incidents.fields.reportedAt')}</dt>
          <dd>{formatDateTime(incident.reportedAt, lang)}</dd>
          <dt>{t('incidents.fields.source')}</dt>
          <dd>{t(`incidents.sources.${incident.source}`)}</dd>
        </dl>
        <div className="sla-clocks" data-testid="incident-sla">
          {SLA_TARGETS.map((target) => {
            const c = incident.sla[target];
            return (
              <div key={target} className="sla-clock" data-testid={`incident-sla-${target}`} data-sla={c.status}>
                <div className="sla-clock-title">{t(`incidents.slaTargets.${target}`)}</div>
                <SlaBadge status={c.status} />
                <div className="cell-note">
                  {c.metAt
                    ? t('incidents.detail.metAt', { time: formatDateTime(c.metAt, lang) })
                    : t('incidents.detail.dueAt', { time: formatDateTime(c.dueAt, lang) })}
                </div>
              </div>
            );
          })}
        </div>
        <div className="assignees" data-testid="incident-assignees">
          <span className="muted">{t('incidents.fields.assignees')}:</span>
          {TEAMS.map((tm) => (
            <span key={tm} className={`assignee${tm === team ? ' assignee-current' : ''}`}>
              {t(`incidents.teams.${tm}`)}: <strong data-testid={`incident-assignee-${tm}`}>{incident.assignees[tm]?.name ?? '—'}</strong>
            </span>
          ))}
          {mayAssign &&
            (mine ? (
              <button type="button" className="btn btn-small btn-link" data-testid="assign-clear" onClick={() => void assign(null)}>
                {t('incidents.detail.unassign')}
              </button>
            ) : (
              <button type="button" className="btn btn-small btn-secondary" data-testid="assign-me" onClick={() => void assign(me.id)}>
                {t('incidents.detail.assignMe')}
              </button>
            ))}
          {mayAssign && team && (
            <ColleaguePicker team={team} current={incident.assignees[team]?.id ?? null} onPick={(userId) => void assign(userId)} />
          )}
        </div>
        <ProblemAlert error={assignError} testId="assign-error" />
      </header>

      {notice && <Notice testId="action-notice">{notice}</Notice>}
      <ProblemAlert error={loaded.error} testId="incident-reload-error" />

      <div className="detail-layout">
        <div className="detail-main">
          <Section id="report" title={t('incidents.detail.report')} testId="incident-report">
            {incident.returnMessage && (
              <div className="alert alert-warn" data-testid="incident-return-message">
                <p className="alert-title">{t('incidents.detail.returnMessage')}</p>
                <p className="prose">{incident.returnMessage}</p>
              </div>
            )}
            {incident.rejectionReason && (
              <div className="alert alert-error" data-testid="incident-rejection">
                <p className="alert-title">{t('incidents.detail.rejection')}</p>
                <p className="prose">{incident.rejectionReason}</p>
              </div>
            )}
            <div className="prose description" data-testid="incident-description">
              {incident.description}
            </div>
            <dl className="meta-list meta-grid">
              <dt>{t('incidents.fields.occurredAt')}</dt>
              <dd>{formatDateTime(incident.occurredAt, lang)}</dd>
              <dt>{t('incidents.fields.affected')}</dt>
              <dd>
                {incident.affectedSystems.length ? (
                  <ul className="plain-list">
                    {incident.affectedSystems.map((s) => (
                      <li key={s} className="break-word">
                        {s}
                      </li>
                    ))}
                  </ul>
                ) : (
                  '—'
                )}
              </dd>
              <dt>{t('incidents.fields.reporter')}</dt>
              <dd data-testid="incident-reporter">
                {incident.reporterName}
                {incident.reporterOrganisation ? ` · ${incident.reporterOrganisation}` : ''}
                {incident.reporterUnit ? ` · ${incident.reporterUnit}` : ''}
              </dd>
              <dt>{t('incidents.fields.contact')}</dt>
              <dd>
                {incident.reporterEmail ?? ''}
                {incident.reporterPhoneMasked ? (
                  <ReporterPhone
                    incidentId={incident.id}
                    masked={incident.reporterPhoneMasked}
                    separator={Boolean(incident.reporterEmail)}
                    mayReveal={CONTACT_REVEALERS.some((r) => me.roles.includes(r))}
                  />
                ) : null}
                {!incident.reporterEmail && !incident.reporterPhoneMasked ? '—' : null}{' '}
                <span className="muted">({t('incidents.detail.reporterLocale', { lang: incident.reporterLocale.toUpperCase() })})</span>
              </dd>
            </dl>
          </Section>

          {(incident.recommendation || incident.resolutionReport || incident.closureRecord) && (
            <Section id="outcomes" title={t('incidents.detail.outcomes')} testId="incident-outcomes">
              {incident.recommendation && (
                <div className="outcome" data-testid="incident-recommendation">
                  <h3>{t('incidents.detail.recommendation')}</h3>
                  <p className="cell-note">{formatDateTime(incident.recommendationSentAt, lang)}</p>
                  <div className="prose">{incident.recommendation}</div>
                </div>
              )}
              {incident.resolutionReport && (
                <div className="outcome" data-testid="incident-resolution">
                  <h3>{t('incidents.detail.resolution')}</h3>
                  <p className="cell-note">{formatDateTime(incident.milestones.resolvedAt, lang)}</p>
                  <div className="prose">{incident.resolutionReport}</div>
                </div>
              )}
              {incident.closureRecord && (
                <div className="outcome" data-testid="incident-closure">
                  <h3>{t('incidents.detail.closure')}</h3>
                  <p className="cell-note">{formatDateTime(incident.milestones.closedAt, lang)}</p>
                  <div className="prose">{incident.closureRecord}</div>
                </div>
              )}
            </Section>
          )}

          <EvidencePanel incident={incident} onChanged={changed} roles={me.roles} />
          <ObservablesPanel incident={incident} onChanged={changed} />
          <CoordinationList incident={incident} />
          <TimelinePanel incident={incident} onChanged={changed} unitNames={unitNames} />
        </div>
        <aside className="detail-aside">
          <ActionsPanel incident={incident} units={units.data ?? []} onDone={stepDone} onStale={reload} />
        </aside>
      </div>
    </section>
  );
}

/** Assigning a colleague of the team that holds the incident: its active members, from the API. */
function ColleaguePicker({ team, current, onPick }: { team: Team; current: string | null; onPick: (userId: string) => void }) {
  const { t } = useTranslation();
  const members = useAsync((signal) => api.incidents.members(team, { signal }), [team]);
  const others = (members.data ?? []).filter((m) => m.id !== current);
  if (members.error) return <ProblemAlert error={members.error} testId="assign-members-error" />;
  if (!others.length) return null;
  return (
    <span className="assign-colleague">
      <label htmlFor="assign-colleague" className="visually-hidden">
        {t('incidents.detail.assignColleague')}
      </label>
      <select
        id="assign-colleague"
        data-testid="assign-colleague"
        value=""
        onChange={(e) => {
          if (e.target.value) onPick(e.target.value);
        }}
      >
        <option value="">{t('incidents.detail.assignColleague')}</option>
        {others.map((m) => (
          <option key={m.id} value={m.id}>
            {m.name}
          </option>
        ))}
      </select>
    </span>
  );
}

/** The reporter's phone, masked until a team member asks for it; the server records every reveal. */
function ReporterPhone({
  incidentId,
  masked,
  separator,
  mayReveal,
}: {
  incidentId: string;
  masked: string;
  separator: boolean;
  mayReveal: boolean;
}) {
  const { t } = useTranslation();
  const [phone, setPhone] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  async function reveal() {
    setBusy(true);
    setError(null);
    try {
      setPhone((await api.incidents.reporterContact(incidentId)).phone);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  return (
    <>
      {separator ? ' · ' : ''}
      <span data-testid="incident-reporter-phone" data-revealed={String(phone !== null)}>
        {phone ?? masked}
      </span>{' '}
      {phone === null && mayReveal && (
        <button
          type="button"
          className="btn btn-link btn-small"
          data-testid="incident-reporter-phone-reveal"
          onClick={() => void reveal()}
          disabled={busy}
        >
          {t('incidents.detail.revealPhone')}
        </button>
      )}
      {phone !== null && <span className="muted small">{t('incidents.detail.revealAudited')}</span>}
      {error !== null && <ProblemAlert error={error} />}
    </>
  );
}
