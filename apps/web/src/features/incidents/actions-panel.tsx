import { useEffect, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../../api/client';
import {
  COORDINATION_PARTY_KINDS,
  IMPACTS,
  TLP_LABELS,
  URGENCIES,
  type Classification,
  type CoordinationPartyKind,
  type Impact,
  type IncidentActionRequest,
  type IncidentDetail,
  type TlpLabel,
  type Unit,
  type Urgency,
} from '../../api/types';
import { Field, describedBy, fieldError } from '../../components/field';
import { ProblemAlert } from '../../components/problem-alert';
import { useAsync } from '../../components/use-async';
import { useLocale } from '../../components/use-locale';
import { flattenUnitTree, unitOptionLabel } from '../admin/unit-tree';
import { PriorityBadge } from './incident-badges';
import {
  ACTION_FORMS,
  TEAM_OF_STATE,
  WORKFLOW_ACTIONS,
  isIncidentAction,
  localInputToIso,
  nowLocalInput,
  partsOf,
  priorityOf,
  type WorkflowAction,
} from './incident-model';
import { pick, useTaxonomy } from './use-taxonomy';

/** Parties a local CSIRT most often coordinates with (suggestions; any name is accepted). */
const PARTY_SUGGESTIONS = [
  'Gov-CSIRT Indonesia (BSSN)',
  'Id-SIRTII/CC (BSSN)',
  'CSIRT Provinsi',
  'Direktorat Tindak Pidana Siber Bareskrim Polri',
  'Kementerian Komunikasi dan Digital',
];

interface ActionsPanelProps {
  incident: IncidentDetail;
  units: Unit[];
  /** The server's answer to a step: the incident as it is now. */
  onDone: (next: IncidentDetail, action: WorkflowAction) => void;
  /** After a refused step (409/403) the page re-reads the incident. */
  onStale: () => void;
}

/** The steps this viewer may take now: exactly the workflow actions in `allowedActions`. */
export function ActionsPanel({ incident, units, onDone, onStale }: ActionsPanelProps) {
  const { t } = useTranslation();
  const allowed = WORKFLOW_ACTIONS.filter((a) => incident.allowedActions.includes(a));
  const [selected, setSelected] = useState<WorkflowAction | null>(null);
  const [refusal, setRefusal] = useState<unknown>(null);
  const holder = TEAM_OF_STATE[incident.status];

  // A step that is no longer allowed (the state moved on) closes its form.
  useEffect(() => {
    if (selected && !incident.allowedActions.includes(selected)) setSelected(null);
  }, [incident.allowedActions, selected]);

  const waitingForRecommendation =
    incident.status === 'in_analysis' && !incident.recommendationSentAt && incident.allowedActions.includes('send_initial_recommendation');

  return (
    <section className="card actions-panel" aria-labelledby="actions-title" data-testid="actions-panel">
      <h2 id="actions-title">{t('incidents.actions.title')}</h2>
      <RefusalAlert error={refusal} />
      {allowed.length === 0 ? (
        <p className="muted" data-testid="actions-none">
          {holder ? t('incidents.actions.noneHeldBy', { team: t(`incidents.teams.${holder}`) }) : t('incidents.actions.noneFinal')}
        </p>
      ) : (
        <>
          <p className="muted small">{t('incidents.actions.intro')}</p>
          <div className="action-buttons" role="group" aria-label={t('incidents.actions.title')}>
            {allowed.map((a) => (
              <button
                key={a}
                type="button"
                className={`btn btn-block btn-${ACTION_FORMS[a].tone}${selected === a ? ' btn-selected' : ''}`}
                data-testid={`action-${a}`}
                aria-pressed={selected === a}
                onClick={() => {
                  setRefusal(null);
                  setSelected(selected === a ? null : a);
                }}
              >
                {t(`incidents.actionLabels.${a}`)}
              </button>
            ))}
          </div>
          {waitingForRecommendation && (
            <p className="field-hint" data-testid="actions-hand-over-hint">
              {t('incidents.actions.handOverNeedsRecommendation')}
            </p>
          )}
        </>
      )}
      {selected && (
        <ActionForm
          key={selected}
          action={selected}
          incident={incident}
          units={units}
          onCancel={() => setSelected(null)}
          onDone={(next) => {
            setSelected(null);
            onDone(next, selected);
          }}
          onRefused={(err) => {
            setSelected(null);
            setRefusal(err);
            onStale();
          }}
        />
      )}
    </section>
  );
}

/** 409 (out of order) and 403 (another team's step) answer with the actions allowed now. */
function RefusalAlert({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  const allowed = isApiError(error) && Array.isArray(error.problem.allowedActions) ? (error.problem.allowedActions as string[]) : [];
  const steps = allowed.filter(isIncidentAction);
  return (
    <div data-testid="action-refused" data-status={isApiError(error) ? error.status : undefined}>
      <ProblemAlert error={error} testId="action-error" />
      <div className="alert alert-info" data-testid="action-error-allowed">
        <p className="alert-title">{t('incidents.actions.refusedAllowed')}</p>
        {steps.length ? (
          <ul>
            {steps.map((a) => (
              <li key={a}>{t(`incidents.actionLabels.${a}`)}</li>
            ))}
          </ul>
        ) : (
          <p>{t('incidents.actions.refusedNone')}</p>
        )}
        <p className="small">{t('incidents.actions.refusedReloaded')}</p>
      </div>
    </div>
  );
}

interface ActionFormProps {
  action: WorkflowAction;
  incident: IncidentDetail;
  units: Unit[];
  onCancel: () => void;
  onDone: (next: IncidentDetail) => void;
  onRefused: (err: unknown) => void;
}

function ActionForm({ action, incident, units, onCancel, onDone, onRefused }: ActionFormProps) {
  const { t } = useTranslation();
  const lang = useLocale();
  const parts = partsOf(action);
  const required = ACTION_FORMS[action].required;
  const has = (p: (typeof parts)[number]) => parts.includes(p);
  const taxonomy = useTaxonomy();
  const tree = useMemo(() => flattenUnitTree(units), [units]);
  const first = useRef<HTMLDivElement>(null);

  const [note, setNote] = useState('');
  const [message, setMessage] = useState('');
  const [reason, setReason] = useState('');
  const [recommendation, setRecommendation] = useState('');
  const [resolutionReport, setResolutionReport] = useState(incident.resolutionReport ?? '');
  const [closureRecord, setClosureRecord] = useState('');
  // Classification starts from the incident's current values; only changes are sent.
  const [category, setCategory] = useState(incident.category);
  const [impact, setImpact] = useState<Impact>(incident.impact);
  const [urgency, setUrgency] = useState<Urgency>(incident.urgency);
  const [tlp, setTlp] = useState<TlpLabel>(incident.tlp);
  const [opdUnitId, setOpdUnitId] = useState(incident.opdUnitId ?? '');
  const [partyName, setPartyName] = useState('');
  const [partyKind, setPartyKind] = useState<CoordinationPartyKind>('csirt');
  const [contact, setContact] = useState('');
  const [contactedAt, setContactedAt] = useState(nowLocalInput());
  const [theirReference, setTheirReference] = useState('');
  const [coordNotes, setCoordNotes] = useState('');
  const [templateId, setTemplateId] = useState('');
  const [missing, setMissing] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const templates = useAsync(
    (signal) =>
      has('recommendation') ? api.recommendationTemplates.list({ category: incident.category }, { signal }) : Promise.resolve([]),
    [action, incident.category],
  );

  useEffect(() => {
    first.current?.querySelector<HTMLElement>('textarea, input, select')?.focus();
  }, []);

  function classification(): Classification | undefined {
    const c: Classification = {};
    if (category !== incident.category) c.category = category;
    if (impact !== incident.impact) c.impact = impact;
    if (urgency !== incident.urgency) c.urgency = urgency;
    if (tlp !== incident.tlp) c.tlp = tlp;
    if ((opdUnitId || null) !== incident.opdUnitId) c.opdUnitId = opdUnitId || null;
    return Object.keys(c).length ? c : undefined;
  }

  function payload(): { body: IncidentActionRequest; problems: Record<string, string> } {
    const body: IncidentActionRequest = {};
    const problems: Record<string, string> = {};
    const need = t('incidents.form.required');
    const textPart = (part: 'note' | 'message' | 'reason' | 'recommendation' | 'resolutionReport' | 'closureRecord', value: string) => {
      if (!has(part)) return;
      if (value.trim()) body[part] = value.trim();
      else if (required.includes(part)) problems[part] = need;
    };
    textPart('note', note);
    textPart('message', message);
    textPart('reason', reason);
    textPart('recommendation', recommendation);
    textPart('resolutionReport', resolutionReport);
    textPart('closureRecord', closureRecord);
    if (has('classification')) {
      const c = classification();
      if (c) body.classification = c;
      else if (required.includes('classification')) problems.classification = t('incidents.actions.classificationUnchanged');
    }
    if (has('coordination')) {
      if (!partyName.trim()) problems.partyName = need;
      const at = localInputToIso(contactedAt);
      if (!at) problems.contactedAt = need;
      body.coordination = {
        partyName: partyName.trim(),
        partyKind,
        contactedAt: at ?? '',
        ...(contact.trim() ? { contact: contact.trim() } : {}),
        ...(theirReference.trim() ? { theirReference: theirReference.trim() } : {}),
        ...(coordNotes.trim() ? { notes: coordNotes.trim() } : {}),
      };
    }
    return { body, problems };
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    const { body, problems } = payload();
    setMissing(problems);
    if (Object.keys(problems).length) return;
    setBusy(true);
    setError(null);
    try {
      onDone(await api.incidents.act(incident.id, action, body));
    } catch (err) {
      setBusy(false);
      // Out of order (409) or not this viewer's step (403): the incident changed under us.
      if (isApiError(err) && (err.status === 409 || (err.status === 403 && Array.isArray(err.problem.allowedActions)))) onRefused(err);
      else setError(err);
    }
  }

  const err = (field: string) => missing[field] ?? fieldError(error, field);
  const area = (
    id: string,
    part: string,
    label: string,
    value: string,
    set: (v: string) => void,
    opts: { hint?: string; rows?: number } = {},
  ) => (
    <Field id={id} label={label} hint={opts.hint} error={err(part)} required={required.includes(part as never)}>
      <textarea
        id={id}
        data-testid={id}
        rows={opts.rows ?? 4}
        value={value}
        onChange={(e) => set(e.target.value)}
        {...describedBy(id, { hint: !!opts.hint, error: err(part) })}
      />
    </Field>
  );

  const previewPriority = priorityOf(impact, urgency);
  const tplList = templates.data ?? [];

  return (
    <form
      className="action-form"
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-busy={busy}
      data-testid="action-form"
      data-action={action}
    >
      <h3>{t(`incidents.actionLabels.${action}`)}</h3>
      <p className="field-hint">{t(`incidents.actionHints.${action}`)}</p>
      <ProblemAlert
        error={error}
        testId="action-form-error"
        inlineFields={[
          'note',
          'message',
          'reason',
          'recommendation',
          'resolutionReport',
          'closureRecord',
          'partyName',
          'contactedAt',
          'category',
          'opdUnitId',
        ]}
      />
      <div ref={first}>
        {has('message') &&
          area(
            'action-message',
            'message',
            action === 'return_incomplete' ? t('incidents.actions.messageMissing') : t('incidents.actions.messageClosing'),
            message,
            setMessage,
            {
              hint: t('incidents.actions.toReporter'),
            },
          )}
        {has('reason') &&
          area('action-reason', 'reason', t('incidents.actions.reason'), reason, setReason, { hint: t('incidents.actions.toReporter') })}
        {has('recommendation') && (
          <>
            {tplList.length > 0 && (
              <Field id="action-template" label={t('incidents.actions.template')} hint={t('incidents.actions.templateHint')}>
                <select
                  id="action-template"
                  data-testid="action-template"
                  value={templateId}
                  onChange={(e) => {
                    setTemplateId(e.target.value);
                    const tpl = tplList.find((x) => x.id === e.target.value);
                    // The reporter reads it: the template in the reporter's language.
                    if (tpl) setRecommendation(incident.reporterLocale === 'en' ? tpl.bodyEn : tpl.bodyId);
                  }}
                >
                  <option value="">{t('incidents.actions.templateNone')}</option>
                  {tplList.map((tpl) => (
                    <option key={tpl.id} value={tpl.id}>
                      {tpl.title}
                    </option>
                  ))}
                </select>
              </Field>
            )}
            {area('action-recommendation', 'recommendation', t('incidents.actions.recommendation'), recommendation, setRecommendation, {
              rows: 8,
              hint: incident.tlp === 'RED' ? t('incidents.actions.recommendationRed') : t('incidents.actions.recommendationHint'),
            })}
          </>
        )}
        {has('resolutionReport') &&
          area('action-resolution', 'resolutionReport', t('incidents.actions.resolutionReport'), resolutionReport, setResolutionReport, {
            rows: 8,
            hint: t('incidents.actions.resolutionHint'),
          })}
        {has('closureRecord') &&
          area('action-closure', 'closureRecord', t('incidents.actions.closureRecord'), closureRecord, setClosureRecord, {
            rows: 5,
            hint: t('incidents.actions.closureHint'),
          })}

        {has('coordination') && (
          <div className="subform" data-testid="action-coordination">
            <Field id="action-coord-party" label={t('incidents.coordination.party')} error={err('partyName')} required>
              <input
                id="action-coord-party"
                data-testid="action-coord-party"
                list="action-coord-parties"
                value={partyName}
                onChange={(e) => setPartyName(e.target.value)}
                {...describedBy('action-coord-party', { error: err('partyName') })}
              />
              <datalist id="action-coord-parties">
                {PARTY_SUGGESTIONS.map((p) => (
                  <option key={p} value={p} />
                ))}
              </datalist>
            </Field>
            <Field id="action-coord-kind" label={t('incidents.coordination.kind')}>
              <select
                id="action-coord-kind"
                data-testid="action-coord-kind"
                value={partyKind}
                onChange={(e) => setPartyKind(e.target.value as CoordinationPartyKind)}
              >
                {COORDINATION_PARTY_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {t(`incidents.partyKinds.${k}`)}
                  </option>
                ))}
              </select>
            </Field>
            <Field id="action-coord-contact" label={t('incidents.coordination.contact')} error={err('contact')}>
              <input
                id="action-coord-contact"
                data-testid="action-coord-contact"
                value={contact}
                onChange={(e) => setContact(e.target.value)}
              />
            </Field>
            <Field id="action-coord-at" label={t('incidents.coordination.when')} error={err('contactedAt')} required>
              <input
                id="action-coord-at"
                data-testid="action-coord-at"
                type="datetime-local"
                value={contactedAt}
                onChange={(e) => setContactedAt(e.target.value)}
                {...describedBy('action-coord-at', { error: err('contactedAt') })}
              />
            </Field>
            <Field id="action-coord-ref" label={t('incidents.coordination.reference')} hint={t('incidents.coordination.referenceHint')}>
              <input
                id="action-coord-ref"
                data-testid="action-coord-ref"
                className="mono"
                value={theirReference}
                onChange={(e) => setTheirReference(e.target.value)}
              />
            </Field>
            <Field id="action-coord-notes" label={t('incidents.coordination.notes')}>
              <textarea
                id="action-coord-notes"
                data-testid="action-coord-notes"
                rows={3}
                value={coordNotes}
                onChange={(e) => setCoordNotes(e.target.value)}
              />
            </Field>
          </div>
        )}

        {has('classification') && (
          <fieldset className="subform" data-testid="action-classification" aria-invalid={err('classification') ? true : undefined}>
            <legend>
              {required.includes('classification')
                ? t('incidents.actions.classificationRequired')
                : t('incidents.actions.classificationOptional')}
            </legend>
            <Field id="action-class-category" label={t('incidents.fields.category')} error={err('category')}>
              <select
                id="action-class-category"
                data-testid="action-class-category"
                value={category}
                onChange={(e) => setCategory(e.target.value)}
              >
                {!taxonomy.data && <option value={incident.category}>{pick(incident.categoryLabel, lang)}</option>}
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
            </Field>
            <div className="form-grid form-grid-tight">
              <Field id="action-class-impact" label={t('incidents.fields.impact')}>
                <select
                  id="action-class-impact"
                  data-testid="action-class-impact"
                  value={impact}
                  onChange={(e) => setImpact(e.target.value as Impact)}
                >
                  {IMPACTS.map((i) => (
                    <option key={i} value={i}>
                      {t(`incidents.impacts.${i}`)}
                    </option>
                  ))}
                </select>
              </Field>
              <Field id="action-class-urgency" label={t('incidents.fields.urgency')}>
                <select
                  id="action-class-urgency"
                  data-testid="action-class-urgency"
                  value={urgency}
                  onChange={(e) => setUrgency(e.target.value as Urgency)}
                >
                  {URGENCIES.map((u) => (
                    <option key={u} value={u}>
                      {t(`incidents.urgencies.${u}`)}
                    </option>
                  ))}
                </select>
              </Field>
            </div>
            <p className="small" data-testid="action-priority-preview">
              {t('incidents.actions.priorityPreview')} <PriorityBadge priority={previewPriority} />{' '}
              {t(`incidents.priorities.${previewPriority}`)}
            </p>
            <Field id="action-class-tlp" label="TLP" hint={t(`incidents.tlpHints.${tlp}`)}>
              <select id="action-class-tlp" data-testid="action-class-tlp" value={tlp} onChange={(e) => setTlp(e.target.value as TlpLabel)}>
                {TLP_LABELS.map((l) => (
                  <option key={l} value={l}>
                    TLP:{l}
                  </option>
                ))}
              </select>
            </Field>
            <Field id="action-class-opd" label={t('incidents.fields.opd')} error={err('opdUnitId')}>
              <select id="action-class-opd" data-testid="action-class-opd" value={opdUnitId} onChange={(e) => setOpdUnitId(e.target.value)}>
                <option value="">{t('incidents.form.opdNone')}</option>
                {tree.map((n) => (
                  <option key={n.unit.id} value={n.unit.id} disabled={!n.unit.active && n.unit.id !== incident.opdUnitId}>
                    {unitOptionLabel(n)}
                  </option>
                ))}
              </select>
            </Field>
            {err('classification') && (
              <div className="field-error" data-testid="action-classification-error">
                {err('classification')}
              </div>
            )}
          </fieldset>
        )}
        {has('note') &&
          area('action-note', 'note', t('incidents.actions.note'), note, setNote, { rows: 2, hint: t('incidents.actions.noteHint') })}
      </div>
      <div className="form-actions">
        <button
          type="submit"
          className={`btn btn-${ACTION_FORMS[action].tone === 'danger' ? 'danger' : 'primary'}`}
          data-testid="action-submit"
          disabled={busy}
        >
          {busy ? t('common.saving') : t(`incidents.actionLabels.${action}`)}
        </button>
        <button type="button" className="btn btn-secondary" data-testid="action-cancel" onClick={onCancel} disabled={busy}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

export function Section({
  id,
  title,
  children,
  actions,
  testId,
}: {
  id: string;
  title: ReactNode;
  children: ReactNode;
  actions?: ReactNode;
  testId?: string;
}) {
  return (
    <section className="card detail-section" aria-labelledby={`${id}-title`} id={id} data-testid={testId}>
      <div className="card-header">
        <h2 id={`${id}-title`}>{title}</h2>
        {actions}
      </div>
      {children}
    </section>
  );
}
