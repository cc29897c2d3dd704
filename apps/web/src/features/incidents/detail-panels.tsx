import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { TFunction } from 'i18next';
import {
  IMPACTS,
  OBSERVABLE_TYPES,
  URGENCIES,
  type Impact,
  type EvidenceVerification,
  type IncidentDetail,
  type ObservableType,
  type RoleCode,
  type TimelineEntry,
  type Urgency,
} from '../../api/types';
import { DataTable } from '../../components/data-table';
import { Field, describedBy, fieldError } from '../../components/field';
import { formatDateTime } from '../../components/format';
import { ProblemAlert } from '../../components/problem-alert';
import { Section } from '../../components/section';
import { useLocale } from '../../components/use-locale';
import { DownloadLink } from './download-link';
import { StateBadge } from './incident-badges';
import {
  DEFAULT_EVIDENCE_LIMITS,
  allowedAction,
  formatBytes,
  hasEvidenceProblems,
  isIncidentState,
  isTimelineKind,
  mayDo,
} from './incident-model';
import { EvidencePicker } from './evidence-picker';
import { pick, useCategoryLabels, useTaxonomy } from './use-taxonomy';

interface PanelProps {
  incident: IncidentDetail;
  onChanged: (next: IncidentDetail) => void;
}

/** Roles that may download evidence (`incidents.evidence`): the auditor reads the list only. */
const EVIDENCE_READERS: readonly RoleCode[] = ['admin', 'helpdesk', 'incident_data', 'incident_analyst', 'incident_handler'];
/** Roles that may re-hash stored evidence (`incidents.evidence.verify`): the auditor too. */
const EVIDENCE_CHECKERS: readonly RoleCode[] = [...EVIDENCE_READERS, 'auditor'];

export function EvidencePanel({ incident, onChanged, roles }: PanelProps & { roles: readonly string[] }) {
  const { t } = useTranslation();
  const lang = useLocale();
  const canDownload = EVIDENCE_READERS.some((r) => roles.includes(r));
  const canVerify = EVIDENCE_CHECKERS.some((r) => roles.includes(r));
  const upload_ = allowedAction(incident, 'add_evidence');
  const fileField = upload_?.fields.find((f) => f.type === 'file');
  const limits =
    fileField?.maxBytes && fileField.maxFiles ? { maxBytes: fileField.maxBytes, maxFiles: fileField.maxFiles } : DEFAULT_EVIDENCE_LIMITS;
  const [files, setFiles] = useState<File[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [round, setRound] = useState(0);
  const [checks, setChecks] = useState<Record<string, EvidenceVerification | 'busy'>>({});
  const [checkError, setCheckError] = useState<unknown>(null);

  async function check(evidenceId: string) {
    setCheckError(null);
    setChecks((c) => ({ ...c, [evidenceId]: 'busy' }));
    try {
      const result = await api.incidents.verifyEvidence(incident.id, evidenceId);
      setChecks((c) => ({ ...c, [evidenceId]: result }));
      // The check is a custody event: the timeline shows it after a re-read.
      onChanged(await api.incidents.get(incident.id));
    } catch (err) {
      setChecks((c) => {
        const rest = { ...c };
        delete rest[evidenceId];
        return rest;
      });
      setCheckError(err);
    }
  }

  async function upload(e: FormEvent) {
    e.preventDefault();
    if (!files.length || hasEvidenceProblems(files, limits)) return;
    setBusy(true);
    setError(null);
    try {
      const form = new FormData();
      for (const f of files) form.append('evidence', f, f.name);
      onChanged(await api.incidents.addEvidence(incident.id, form));
      setFiles([]);
      setRound((n) => n + 1);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Section id="evidence" title={t('incidents.evidence.title', { count: incident.evidence.length })} testId="evidence-panel">
      <p className="field-hint">{t('incidents.evidence.custody')}</p>
      {incident.evidence.length === 0 ? (
        <p className="muted" data-testid="evidence-empty">
          {t('incidents.evidence.none')}
        </p>
      ) : (
        <DataTable
          testId="evidence-table"
          className="table-compact"
          columns={[
            { label: t('incidents.evidence.file') },
            { label: 'SHA-256' },
            { label: t('incidents.evidence.from') },
            { label: t('common.actions'), hidden: true },
          ]}
          rows={incident.evidence}
          row={(ev) => (
            <tr key={ev.id} data-testid="evidence-row" data-sha256={ev.sha256}>
              <td>
                <div className="cell-strong break-word" data-testid="evidence-name">
                  {ev.fileName}
                </div>
                <div className="cell-note">
                  {formatBytes(ev.size, lang)} · <code>{ev.contentType}</code>
                </div>
              </td>
              <td>
                <code className="hash" data-testid="evidence-sha256">
                  {ev.sha256}
                </code>
              </td>
              <td className="cell-small">
                {ev.uploader === 'reporter' ? t('incidents.evidence.byReporter') : (ev.uploadedByName ?? t('incidents.evidence.byStaff'))}
                <div className="cell-note">{formatDateTime(ev.uploadedAt, lang)}</div>
              </td>
              <td className="actions">
                {canVerify && <VerifyResult check={checks[ev.id]} onCheck={() => void check(ev.id)} name={ev.fileName} />}
                {canDownload && (
                  <DownloadLink
                    href={api.incidents.evidenceUrl(incident.id, ev.id)}
                    className="btn btn-small"
                    testId="evidence-download"
                    aria-label={t('incidents.evidence.downloadAria', { name: ev.fileName })}
                    title={t('incidents.evidence.downloadHint')}
                  >
                    {t('incidents.evidence.download')}
                  </DownloadLink>
                )}
              </td>
            </tr>
          )}
        />
      )}
      <ProblemAlert error={checkError} testId="evidence-verify-error" />
      {upload_ && (
        <form className="inline-upload" onSubmit={(e) => void upload(e)} aria-busy={busy} data-testid="evidence-add-form">
          <ProblemAlert error={error} testId="evidence-add-error" />
          <EvidencePicker
            key={round}
            id="evidence-add"
            files={files}
            onChange={setFiles}
            label={t('incidents.evidence.add')}
            disabled={busy}
            limits={limits}
          />
          <button
            type="submit"
            className="btn btn-secondary"
            data-testid="evidence-add-submit"
            disabled={busy || files.length === 0 || hasEvidenceProblems(files, limits)}
          >
            {busy ? t('common.saving') : t('incidents.evidence.upload')}
          </button>
        </form>
      )}
    </Section>
  );
}

/** The re-hash of one stored file: a button, then its outcome (intact, altered on disk, missing). */
function VerifyResult({ check, onCheck, name }: { check: EvidenceVerification | 'busy' | undefined; onCheck: () => void; name: string }) {
  const { t } = useTranslation();
  if (check && check !== 'busy') {
    const tone = check.status === 'intact' ? 'ok' : 'error';
    return (
      <span
        className={`badge badge-${tone}`}
        data-testid="evidence-verify-result"
        data-status={check.status}
        title={check.actualSha256 ?? undefined}
      >
        {t(`incidents.evidence.verified.${check.status}`)}
      </span>
    );
  }
  return (
    <button
      type="button"
      className="btn btn-small btn-secondary"
      data-testid="evidence-verify"
      disabled={check === 'busy'}
      aria-label={t('incidents.evidence.verifyAria', { name })}
      title={t('incidents.evidence.verifyHint')}
      onClick={onCheck}
    >
      {check === 'busy' ? t('incidents.evidence.verifying') : t('incidents.evidence.verify')}
    </button>
  );
}

export function ObservablesPanel({ incident, onChanged }: PanelProps) {
  const { t } = useTranslation();
  const lang = useLocale();
  const canAdd = mayDo(incident, 'add_observable');
  const canRemove = mayDo(incident, 'remove_observable');
  const [type, setType] = useState<ObservableType>('ipv4');
  const [value, setValue] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function add(e: FormEvent) {
    e.preventDefault();
    if (!value.trim()) return;
    setBusy(true);
    setError(null);
    try {
      onChanged(await api.incidents.addObservable(incident.id, { type, value }));
      setValue('');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  async function remove(id: string) {
    setBusy(true);
    setError(null);
    try {
      onChanged(await api.incidents.removeObservable(incident.id, id));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const valueError = fieldError(error, 'value');
  return (
    <Section id="observables" title={t('incidents.observables.title', { count: incident.observables.length })} testId="observables-panel">
      <ProblemAlert error={error} testId="observable-error" inlineFields={['value']} />
      {incident.observables.length === 0 ? (
        <p className="muted" data-testid="observables-empty">
          {t('incidents.observables.none')}
        </p>
      ) : (
        <DataTable
          testId="observables-table"
          className="table-compact"
          columns={[
            { label: t('incidents.observables.type') },
            { label: t('incidents.observables.value') },
            { label: t('incidents.observables.source') },
            { label: t('common.actions'), hidden: true },
          ]}
          rows={incident.observables}
          row={(o) => (
            <tr key={o.id} data-testid="observable-row" data-value={o.value} data-type={o.type}>
              <td>
                <span className="badge badge-muted">{t(`incidents.observableTypes.${o.type}`)}</span>
              </td>
              <td>
                <code className="break-word">{o.value}</code>
              </td>
              <td className="cell-small">
                {o.fromReporter ? t('incidents.observables.fromReporter') : t('incidents.observables.fromStaff')}
                <div className="cell-note">{formatDateTime(o.createdAt, lang)}</div>
              </td>
              <td className="actions">
                {canRemove && (
                  <button
                    type="button"
                    className="btn btn-small"
                    data-testid="observable-remove"
                    disabled={busy}
                    aria-label={t('incidents.observables.removeAria', { value: o.value })}
                    onClick={() => void remove(o.id)}
                  >
                    {t('incidents.evidence.remove')}
                  </button>
                )}
              </td>
            </tr>
          )}
        />
      )}
      {canAdd && (
        <form className="inline-form observable-add" onSubmit={(e) => void add(e)} aria-busy={busy} data-testid="observable-add-form">
          <label htmlFor="observable-add-type" className="visually-hidden">
            {t('incidents.observables.type')}
          </label>
          <select
            id="observable-add-type"
            data-testid="observable-add-type"
            value={type}
            onChange={(e) => setType(e.target.value as ObservableType)}
          >
            {OBSERVABLE_TYPES.map((ty) => (
              <option key={ty} value={ty}>
                {t(`incidents.observableTypes.${ty}`)}
              </option>
            ))}
          </select>
          <label htmlFor="observable-add-value" className="visually-hidden">
            {t('incidents.observables.value')}
          </label>
          <input
            id="observable-add-value"
            data-testid="observable-add-value"
            className="mono"
            spellCheck={false}
            autoCapitalize="none"
            placeholder={t('incidents.observables.placeholder')}
            value={value}
            onChange={(e) => setValue(e.target.value)}
            {...describedBy('observable-add-value', { error: valueError })}
          />
          <button type="submit" className="btn btn-secondary" data-testid="observable-add-submit" disabled={busy || !value.trim()}>
            {t('incidents.observables.add')}
          </button>
          {valueError && (
            <div className="field-error observable-add-error" id="observable-add-value-error" data-testid="observable-add-value-error">
              {valueError}
            </div>
          )}
        </form>
      )}

      <h3>{t('incidents.observables.correlated')}</h3>
      {incident.correlated.length === 0 ? (
        <p className="muted" data-testid="correlated-empty">
          {t('incidents.observables.noCorrelated')}
        </p>
      ) : (
        <ul className="link-list" data-testid="correlated-list">
          {incident.correlated.map((c) => (
            <li key={c.id}>
              <Link to={`/insiden/${c.id}`} className="mono" data-testid={`correlated-${c.ticket}`}>
                {c.ticket}
              </Link>{' '}
              <StateBadge status={c.status} /> {c.title}
              <div className="cell-note">
                {t('incidents.observables.shared')}: {c.shared.map((s) => `${s.type} ${s.value}`).join(', ')}
              </div>
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}

export function CoordinationList({ incident }: { incident: IncidentDetail }) {
  const { t } = useTranslation();
  const lang = useLocale();
  return (
    <Section
      id="coordination"
      title={t('incidents.coordination.title', { count: incident.coordinations.length })}
      testId="coordination-panel"
    >
      {incident.coordinations.length === 0 ? (
        <p className="muted" data-testid="coordination-empty">
          {incident.status === 'in_handling' ? t('incidents.coordination.noneYet') : t('incidents.coordination.none')}
        </p>
      ) : (
        <ul className="coordination-list">
          {incident.coordinations.map((c) => (
            <li key={c.id} data-testid="coordination-row">
              <div className="cell-strong">
                {c.partyName} <span className="badge badge-muted">{t(`incidents.partyKinds.${c.partyKind}`)}</span>
              </div>
              <dl className="meta-list meta-grid">
                <dt>{t('incidents.coordination.when')}</dt>
                <dd>{formatDateTime(c.contactedAt, lang)}</dd>
                <dt>{t('incidents.coordination.reference')}</dt>
                <dd className="mono" data-testid="coordination-ref">
                  {c.theirReference ?? '—'}
                </dd>
                <dt>{t('incidents.coordination.contact')}</dt>
                <dd>{c.contact ?? '—'}</dd>
                <dt>{t('incidents.coordination.recordedBy')}</dt>
                <dd>{c.recordedByName ?? '—'}</dd>
              </dl>
              {c.notes && <p className="prose">{c.notes}</p>}
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}

export function TimelinePanel({ incident, onChanged, unitNames }: PanelProps & { unitNames: Map<string, string> }) {
  const { t } = useTranslation();
  const lang = useLocale();
  const canComment = mayDo(incident, 'comment');
  const [comment, setComment] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const entries = [...incident.timeline].reverse();
  const categories = useCategoryLabels(useTaxonomy().data);

  async function send(e: FormEvent) {
    e.preventDefault();
    if (!comment.trim()) return;
    setBusy(true);
    setError(null);
    try {
      onChanged(await api.incidents.comment(incident.id, comment.trim()));
      setComment('');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Section id="timeline" title={t('incidents.timeline.title')} testId="timeline-panel">
      {canComment && (
        <form className="comment-form" onSubmit={(e) => void send(e)} aria-busy={busy}>
          <ProblemAlert error={error} testId="comment-error" />
          <Field id="comment-input" label={t('incidents.timeline.comment')} hint={t('incidents.timeline.commentHint')}>
            <textarea
              id="comment-input"
              data-testid="comment-input"
              rows={2}
              value={comment}
              onChange={(e) => setComment(e.target.value)}
              {...describedBy('comment-input', { hint: true })}
            />
          </Field>
          <button type="submit" className="btn btn-secondary btn-small" data-testid="comment-submit" disabled={busy || !comment.trim()}>
            {t('incidents.timeline.commentSubmit')}
          </button>
        </form>
      )}
      <ol className="timeline" data-testid="timeline">
        {entries.map((e) => (
          <TimelineItem key={e.id} entry={e} lang={lang} unitNames={unitNames} categories={categories} />
        ))}
      </ol>
    </Section>
  );
}

interface TimelineItemProps {
  entry: TimelineEntry;
  lang: 'id' | 'en';
  unitNames: Map<string, string>;
  categories: ReturnType<typeof useCategoryLabels>;
}

function TimelineItem({ entry: e, lang, unitNames, categories }: TimelineItemProps) {
  const { t } = useTranslation();
  const changed = e.fromStatus !== null && e.fromStatus !== e.toStatus && isIncidentState(e.toStatus);
  const reporterMessage =
    typeof e.detail.reporterMessage === 'string' && e.detail.reporterMessage !== e.body ? e.detail.reporterMessage : null;
  const classification =
    e.detail.classification && typeof e.detail.classification === 'object' ? (e.detail.classification as Record<string, unknown>) : null;
  const observable =
    e.kind === 'add_observable' || e.kind === 'remove_observable' ? `${String(e.detail.type)} ${String(e.detail.value)}` : null;
  return (
    <li className={`timeline-entry timeline-${e.actorKind}`} data-testid="timeline-entry" data-kind={e.kind}>
      <div className="timeline-meta">
        <time dateTime={e.at}>{formatDateTime(e.at, lang)}</time>
        <span className="timeline-actor">
          {e.actorKind === 'system'
            ? t('incidents.timeline.system')
            : e.actorKind === 'reporter'
              ? t('incidents.timeline.reporter', { name: e.actorName ?? '' })
              : (e.actorName ?? '—')}
        </span>
        {e.visibleToReporter && <span className="badge badge-info">{t('incidents.timeline.visible')}</span>}
      </div>
      <div className="timeline-what">
        <strong>{isTimelineKind(e.kind) ? t(`incidents.timeline.kinds.${e.kind}`) : e.kind}</strong>
        {changed && isIncidentState(e.toStatus) && (
          <>
            {' → '}
            <StateBadge status={e.toStatus} />
          </>
        )}
      </div>
      {observable && <code className="break-word">{observable}</code>}
      {classification && Object.keys(classification).length > 0 && (
        <div className="cell-note" data-testid="timeline-classification">
          {Object.entries(classification)
            .map(([k, v]) => classificationChange(k, v, t, lang, unitNames, categories))
            .join(' · ')}
        </div>
      )}
      {e.body && <div className="prose timeline-body">{e.body}</div>}
      {reporterMessage && (
        <div className="prose timeline-body timeline-reporter-message">
          <span className="muted">{t('incidents.timeline.reporterMessage')}:</span> {reporterMessage}
        </div>
      )}
    </li>
  );
}

/** One changed classification field in words: "Dampak: Tinggi", "OPD: Dinas Kesehatan". */
function classificationChange(
  key: string,
  value: unknown,
  t: TFunction,
  lang: 'id' | 'en',
  unitNames: Map<string, string>,
  categories: ReturnType<typeof useCategoryLabels>,
): string {
  const v = value === null || value === undefined ? '' : String(value);
  switch (key) {
    case 'impact':
      return `${t('incidents.fields.impact')}: ${(IMPACTS as readonly string[]).includes(v) ? t(`incidents.impacts.${v as Impact}`) : v}`;
    case 'urgency':
      return `${t('incidents.fields.urgency')}: ${(URGENCIES as readonly string[]).includes(v) ? t(`incidents.urgencies.${v as Urgency}`) : v}`;
    case 'priority':
      return `${t('incidents.fields.priority')}: ${v}`;
    case 'tlp':
      return `TLP:${v}`;
    case 'category':
      return `${t('incidents.fields.category')}: ${categories.has(v) ? pick(categories.get(v)!.type, lang) : v}`;
    case 'opdUnitId':
      return `${t('incidents.fields.opd')}: ${v ? (unitNames.get(v) ?? v) : '—'}`;
    default:
      return `${key}: ${v}`;
  }
}
