import { useEffect, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../../api/client';
import type { ActionField, AllowedAction, Impact, IncidentAction, IncidentDetail, Unit, Urgency } from '../../api/types';
import { Field, describedBy, fieldError } from '../../components/field';
import { ProblemAlert } from '../../components/problem-alert';
import { StepsPanel } from '../../components/steps-panel';
import { useAsync } from '../../components/use-async';
import { useLocale } from '../../components/use-locale';
import { flattenUnitTree, unitOptionLabel } from '../admin/unit-tree';
import { CategoryOptions } from './category-options';
import { PriorityBadge } from './incident-badges';
import { TEAM_OF_STATE, isIncidentAction, isPanelStep, localInputToIso, nowLocalInput, priorityOf, stepTone } from './incident-model';
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
  onDone: (next: IncidentDetail, action: IncidentAction) => void;
  /** After a refused step (409/403) the page re-reads the incident. */
  onStale: () => void;
}

/** The steps this viewer may take now, exactly as the API lists them in `allowedActions`. */
export function ActionsPanel({ incident, units, onDone, onStale }: ActionsPanelProps) {
  const { t } = useTranslation();
  const steps = incident.allowedActions.filter((a) => isPanelStep(a.action));
  const holder = TEAM_OF_STATE[incident.status];
  const waitingForRecommendation =
    incident.status === 'in_analysis' && !incident.recommendationSentAt && steps.some((s) => s.action === 'send_initial_recommendation');

  return (
    <StepsPanel
      prefix=""
      title={t('incidents.actions.title')}
      intro={t('incidents.actions.intro')}
      none={holder ? t('incidents.actions.noneHeldBy', { team: t(`incidents.teams.${holder}`) }) : t('incidents.actions.noneFinal')}
      steps={steps}
      label={(action) => t(`incidents.actionLabels.${action}`)}
      tone={(step) => stepTone(step, incident.status)}
      hint={
        waitingForRecommendation && (
          <p className="field-hint" data-testid="actions-hand-over-hint">
            {t('incidents.actions.handOverNeedsRecommendation')}
          </p>
        )
      }
      refusal={{
        isStep: isIncidentAction,
        allowedTitle: t('incidents.actions.refusedAllowed'),
        none: t('incidents.actions.refusedNone'),
        reloaded: t('incidents.actions.refusedReloaded'),
      }}
      onStale={onStale}
      form={(step, { close, refused }) => (
        <ActionForm
          key={step.action}
          step={step}
          incident={incident}
          units={units}
          onCancel={close}
          onDone={(next) => {
            close();
            onDone(next, step.action);
          }}
          onRefused={refused}
        />
      )}
    />
  );
}

/**
 * A text looked up by a key built from what the API sent (a field name, a step): undefined when the
 * locale has none, so the caller can fall back. The keys of the fields are checked against the
 * workflow in test/e2e/incidents-custody.e2e.spec.ts.
 */
function useLookup(): (key: string) => string | undefined {
  const { i18n } = useTranslation();
  return (key) => (i18n.exists(key) ? (i18n.t as unknown as (k: string) => string)(key) : undefined);
}

/** The test id (and element id) of a field: `action-field-<payload path>`. */
export const fieldId = (name: string) => `action-field-${name}`;

/**
 * Values of the incident the classification fields start from: the form shows the incident as it
 * is, and only what the team changes is sent.
 */
function baselineOf(incident: IncidentDetail): Record<string, string> {
  return {
    'classification.category': incident.category,
    'classification.impact': incident.impact,
    'classification.urgency': incident.urgency,
    'classification.tlp': incident.tlp,
    'classification.opdUnitId': incident.opdUnitId ?? '',
  };
}

/** What a field starts with: the incident's value, a text already drafted, now, or an enum's first option. */
function initialValues(step: AllowedAction, incident: IncidentDetail): Record<string, string> {
  const baseline = baselineOf(incident);
  const out: Record<string, string> = {};
  for (const f of step.fields) {
    if (f.name in baseline) out[f.name] = baseline[f.name]!;
    else if (f.name === 'resolutionReport') out[f.name] = incident.resolutionReport ?? '';
    else if (f.type === 'datetime') out[f.name] = f.required ? nowLocalInput() : '';
    else if (f.type === 'enum' && f.required) out[f.name] = f.options?.[0] ?? '';
    else out[f.name] = '';
  }
  return out;
}

/** The payload a filled form makes, and what is still missing. Works from the fields the API gave. */
export function payloadOf(
  step: AllowedAction,
  values: Record<string, string>,
  baseline: Record<string, string>,
): { body: Record<string, unknown>; missing: string[]; unchangedParts: string[] } {
  const body: Record<string, unknown> = {};
  const missing: string[] = [];
  const objects = new Map<string, Record<string, unknown>>();
  for (const f of step.fields) {
    const raw = values[f.name] ?? '';
    const [part, sub] = f.name.includes('.') ? (f.name.split('.', 2) as [string, string]) : [f.name, undefined];
    let value: unknown = f.type === 'datetime' ? localInputToIso(raw) : raw.trim();
    if (f.name in baseline) {
      // Sent only when changed; an emptied nullable field means "none".
      if (raw === baseline[f.name]) continue;
      if (value === '' && f.nullable) value = null;
    }
    if (value === '' || value === undefined) {
      if (f.required) missing.push(f.name);
      continue;
    }
    if (sub) {
      const obj = objects.get(part) ?? {};
      obj[sub] = value;
      objects.set(part, obj);
    } else body[part] = value;
  }
  for (const [part, obj] of objects) body[part] = obj;
  const unchangedParts = step.requiredParts.filter(
    (p) => body[p] === undefined && step.fields.some((f) => f.part === p && f.name.includes('.')),
  );
  return { body, missing, unchangedParts };
}

interface ActionFormProps {
  step: AllowedAction;
  incident: IncidentDetail;
  units: Unit[];
  onCancel: () => void;
  onDone: (next: IncidentDetail) => void;
  onRefused: (err: unknown) => void;
}

/** One step's form, laid out from the fields the API lists for it (nothing here repeats the workflow table). */
function ActionForm({ step, incident, units, onCancel, onDone, onRefused }: ActionFormProps) {
  const { t } = useTranslation();
  const lookup = useLookup();
  const action = step.action;
  const [values, setValues] = useState(() => initialValues(step, incident));
  const baseline = useMemo(() => baselineOf(incident), [incident]);
  const [missing, setMissing] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLDivElement>(null);
  const has = (name: string) => step.fields.some((f) => f.name === name);
  const set = (name: string, value: string) => setValues((v) => ({ ...v, [name]: value }));

  useEffect(() => {
    first.current?.querySelector<HTMLElement>('textarea, input, select')?.focus();
  }, []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const { body, missing: absent, unchangedParts } = payloadOf(step, values, baseline);
    const problems: Record<string, string> = {};
    for (const name of absent) problems[name] = t('incidents.form.required');
    for (const part of unchangedParts) problems[part] = t('incidents.actions.classificationUnchanged');
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

  // Fields of an object part sit together in a fieldset; parts that are one field stand alone.
  const groups: Array<{ part: string; fields: ActionField[] }> = [];
  for (const f of step.fields) {
    const last = groups.at(-1);
    if (last && last.part === f.part && f.name.includes('.')) last.fields.push(f);
    else groups.push({ part: f.part, fields: [f] });
  }
  const err = (name: string) => missing[name] ?? fieldError(error, name);
  const impact = values['classification.impact'] as Impact | undefined;
  const urgency = values['classification.urgency'] as Urgency | undefined;

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
      <p className="field-hint">{lookup(`incidents.actionHints.${action}`)}</p>
      <ProblemAlert error={error} testId="action-form-error" inlineFields={step.fields.map((f) => f.name)} />
      <div ref={first}>
        {has('recommendation') && <TemplatePicker incident={incident} onPick={(text) => set('recommendation', text)} />}
        {groups.map((g) =>
          g.fields.length === 1 && !g.fields[0]!.name.includes('.') ? (
            <FormField
              key={g.part}
              field={g.fields[0]!}
              action={action}
              value={values[g.fields[0]!.name] ?? ''}
              onChange={set}
              error={err(g.fields[0]!.name)}
              incident={incident}
              units={units}
            />
          ) : (
            <fieldset key={g.part} className="subform" data-testid={`action-part-${g.part}`} aria-invalid={err(g.part) ? true : undefined}>
              <legend>
                {lookup(`incidents.actionParts.${g.part}`) ?? g.part}
                {step.requiredParts.includes(g.part) && g.fields.every((f) => !f.required)
                  ? ` — ${t('incidents.actions.partAtLeastOne')}`
                  : ''}
              </legend>
              {g.fields.map((f) => (
                <FormField
                  key={f.name}
                  field={f}
                  action={action}
                  value={values[f.name] ?? ''}
                  onChange={set}
                  error={err(f.name)}
                  incident={incident}
                  units={units}
                />
              ))}
              {g.part === 'classification' && impact && urgency && (
                <p className="small" data-testid="action-priority-preview">
                  {t('incidents.actions.priorityPreview')} <PriorityBadge priority={priorityOf(impact, urgency)} />{' '}
                  {t(`incidents.priorities.${priorityOf(impact, urgency)}`)}
                </p>
              )}
              {err(g.part) && (
                <div className="field-error" data-testid={`action-part-${g.part}-error`}>
                  {err(g.part)}
                </div>
              )}
            </fieldset>
          ),
        )}
      </div>
      <div className="form-actions">
        <button
          type="submit"
          className={`btn btn-${stepTone(step, incident.status) === 'danger' ? 'danger' : 'primary'}`}
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

/** Recommendation templates of the incident's category, in the reporter's language. */
function TemplatePicker({ incident, onPick }: { incident: IncidentDetail; onPick: (text: string) => void }) {
  const { t } = useTranslation();
  const [templateId, setTemplateId] = useState('');
  const templates = useAsync(
    (signal) => api.recommendationTemplates.list({ category: incident.category }, { signal }),
    [incident.category],
  );
  const list = templates.data ?? [];
  if (!list.length) return null;
  return (
    <Field id="action-template" label={t('incidents.actions.template')} hint={t('incidents.actions.templateHint')}>
      <select
        id="action-template"
        data-testid="action-template"
        value={templateId}
        onChange={(e) => {
          setTemplateId(e.target.value);
          const tpl = list.find((x) => x.id === e.target.value);
          // The reporter reads it: the template in the reporter's language.
          if (tpl) onPick(incident.reporterLocale === 'en' ? tpl.bodyEn : tpl.bodyId);
        }}
      >
        <option value="">{t('incidents.actions.templateNone')}</option>
        {list.map((tpl) => (
          <option key={tpl.id} value={tpl.id}>
            {tpl.title}
          </option>
        ))}
      </select>
    </Field>
  );
}

interface FormFieldProps {
  field: ActionField;
  action: IncidentAction;
  value: string;
  onChange: (name: string, value: string) => void;
  error: string | undefined;
  incident: IncidentDetail;
  units: Unit[];
}

/** One field, drawn by its type: text, a choice (enum, RSIT category, OPD unit, team member) or a date-time. */
function FormField({ field, action, value, onChange, error, incident, units }: FormFieldProps) {
  const { t } = useTranslation();
  const lookup = useLookup();
  const lang = useLocale();
  const id = fieldId(field.name);
  // A label or hint of this step's own (the reporter reads `message` differently when returned or closed).
  const text = (kind: 'fieldLabels' | 'fieldHints') =>
    lookup(`incidents.${kind}.${action}.${field.name}`) ?? lookup(`incidents.${kind}.${field.name}`);
  const label = text('fieldLabels') ?? field.name;
  const hint = field.name === 'recommendation' && incident.tlp === 'RED' ? t('incidents.actions.recommendationRed') : text('fieldHints');
  const common = { id, 'data-testid': id, ...describedBy(id, { hint: !!hint, error }) };
  let control: ReactNode;
  switch (field.type) {
    case 'enum':
      control = (
        <select {...common} value={value} onChange={(e) => onChange(field.name, e.target.value)}>
          {!field.required && <option value="">—</option>}
          {(field.options ?? []).map((o) => (
            <option key={o} value={o}>
              {optionLabel(field.name, o, lookup)}
            </option>
          ))}
        </select>
      );
      break;
    case 'category':
      control = <CategorySelect common={common} value={value} onChange={(v) => onChange(field.name, v)} incident={incident} lang={lang} />;
      break;
    case 'org_unit':
      control = (
        <UnitSelect common={common} value={value} onChange={(v) => onChange(field.name, v)} units={units} current={incident.opdUnitId} />
      );
      break;
    case 'user':
      control = <MemberSelect common={common} value={value} onChange={(v) => onChange(field.name, v)} incident={incident} />;
      break;
    case 'datetime':
      control = <input {...common} type="datetime-local" value={value} onChange={(e) => onChange(field.name, e.target.value)} />;
      break;
    case 'file':
      // Files are uploaded in the evidence panel: add_evidence is not a step of this panel.
      control = null;
      break;
    case 'text':
    case 'uuid':
      control =
        (field.maxLength ?? 0) > 300 ? (
          <textarea
            {...common}
            rows={(field.maxLength ?? 0) >= 20000 ? 8 : field.name === 'note' ? 2 : 4}
            maxLength={field.maxLength}
            value={value}
            onChange={(e) => onChange(field.name, e.target.value)}
          />
        ) : (
          <>
            <input
              {...common}
              maxLength={field.maxLength}
              list={field.name === 'coordination.partyName' ? `${id}-suggestions` : undefined}
              value={value}
              onChange={(e) => onChange(field.name, e.target.value)}
            />
            {field.name === 'coordination.partyName' && (
              <datalist id={`${id}-suggestions`}>
                {PARTY_SUGGESTIONS.map((p) => (
                  <option key={p} value={p} />
                ))}
              </datalist>
            )}
          </>
        );
  }
  return (
    <Field id={id} label={label} hint={hint} error={error} required={field.required}>
      {control}
    </Field>
  );
}

/** Option labels the UI already has words for; any other option shows its code. */
function optionLabel(field: string, value: string, lookup: (k: string) => string | undefined): string {
  const key = field.endsWith('.impact')
    ? `incidents.impacts.${value}`
    : field.endsWith('.urgency')
      ? `incidents.urgencies.${value}`
      : field.endsWith('.partyKind')
        ? `incidents.partyKinds.${value}`
        : field.endsWith('.team')
          ? `incidents.teams.${value}`
          : field.endsWith('.tlp')
            ? null
            : `incidents.options.${value}`;
  if (key === null) return `TLP:${value}`;
  return lookup(key) ?? value;
}

type Common = { id: string; 'data-testid': string } & Record<string, unknown>;

function CategorySelect({
  common,
  value,
  onChange,
  incident,
  lang,
}: {
  common: Common;
  value: string;
  onChange: (v: string) => void;
  incident: IncidentDetail;
  lang: 'id' | 'en';
}) {
  const taxonomy = useTaxonomy();
  return (
    <select {...common} value={value} onChange={(e) => onChange(e.target.value)}>
      {!taxonomy.data && <option value={incident.category}>{pick(incident.categoryLabel, lang)}</option>}
      <CategoryOptions taxonomy={taxonomy.data} lang={lang} />
    </select>
  );
}

function UnitSelect({
  common,
  value,
  onChange,
  units,
  current,
}: {
  common: Common;
  value: string;
  onChange: (v: string) => void;
  units: Unit[];
  current: string | null;
}) {
  const { t } = useTranslation();
  const tree = useMemo(() => flattenUnitTree(units), [units]);
  return (
    <select {...common} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">{t('incidents.form.opdNone')}</option>
      {tree.map((n) => (
        <option key={n.unit.id} value={n.unit.id} disabled={!n.unit.active && n.unit.id !== current}>
          {unitOptionLabel(n)}
        </option>
      ))}
    </select>
  );
}

function MemberSelect({
  common,
  value,
  onChange,
  incident,
}: {
  common: Common;
  value: string;
  onChange: (v: string) => void;
  incident: IncidentDetail;
}) {
  const { t } = useTranslation();
  const team = incident.team;
  const members = useAsync((signal) => (team ? api.incidents.members(team, { signal }) : Promise.resolve([])), [team]);
  return (
    <select {...common} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">{t('incidents.detail.assignColleague')}</option>
      {(members.data ?? []).map((m) => (
        <option key={m.id} value={m.id}>
          {m.name}
        </option>
      ))}
    </select>
  );
}
