import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  IMPACTS,
  STAFF_CHANNELS,
  TLP_LABELS,
  URGENCIES,
  type Impact,
  type StaffChannel,
  type TlpLabel,
  type Unit,
  type Urgency,
} from '../../api/types';
import { Field, TextField, describedBy, fieldError } from '../../components/field';
import { ProblemAlert } from '../../components/problem-alert';
import { useLocale } from '../../components/use-locale';
import { flattenUnitTree, unitOptionLabel } from '../admin/unit-tree';
import { CategoryOptions } from './category-options';
import { EvidencePicker, formDataOf } from './evidence-picker';
import { useEvidenceLimits } from './use-evidence-limits';
import { hasEvidenceProblems, localInputToIso, nowLocalInput } from './incident-model';
import { ObservableRows, observablesJson, type ObservableRow } from './observable-rows';
import { pick, useTaxonomy } from './use-taxonomy';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** Fields the form marks beside themselves; the alert lists only the others. */
const INLINE = [
  'reporterName',
  'reporterOrganisation',
  'reporterUnit',
  'reporterEmail',
  'reporterPhone',
  'title',
  'description',
  'occurredAt',
  'category',
  'affectedSystems',
  'channel',
  'opdUnitId',
];

interface ReportFormProps {
  /** `public`: the reporter's own form (e-mail required). `staff`: the helpdesk records a report. */
  mode: 'public' | 'staff';
  /** Prefix of ids and test ids (`report` on /lapor, `intake` on /insiden/baru). */
  prefix: string;
  units?: Unit[];
  submit: (form: FormData) => Promise<void>;
}

export function ReportForm({ mode, prefix, units = [], submit }: ReportFormProps) {
  const { t } = useTranslation();
  const lang = useLocale();
  const taxonomy = useTaxonomy();
  const evidenceLimits = useEvidenceLimits();
  const tree = useMemo(() => flattenUnitTree(units), [units]);
  const staff = mode === 'staff';

  const [name, setName] = useState('');
  const [organisation, setOrganisation] = useState('');
  const [unit, setUnit] = useState('');
  const [email, setEmail] = useState('');
  const [phone, setPhone] = useState('');
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [occurredAt, setOccurredAt] = useState('');
  const [affected, setAffected] = useState('');
  const [category, setCategory] = useState('');
  const [impact, setImpact] = useState<Impact>('medium');
  const [urgency, setUrgency] = useState<Urgency>('medium');
  const [tlp, setTlp] = useState<TlpLabel>('AMBER');
  const [channel, setChannel] = useState<StaffChannel | ''>(staff ? 'phone' : '');
  const [opdUnitId, setOpdUnitId] = useState('');
  const [observables, setObservables] = useState<ObservableRow[]>([]);
  const [files, setFiles] = useState<File[]>([]);
  // Client-side checks run live once the reader has tried to send, so a fixed field clears at once.
  const [attempted, setAttempted] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const quickPicks = taxonomy.data?.quickPicks ?? [];
  const chosenPick = quickPicks.find((p) => p.key === category);
  const selectValue = chosenPick ? chosenPick.category : category;

  function validate(): Record<string, string> {
    const required = t('incidents.form.required');
    const out: Record<string, string> = {};
    if (!name.trim()) out.reporterName = required;
    if (!staff && !email.trim()) out.reporterEmail = required;
    else if (email.trim() && !EMAIL.test(email.trim())) out.reporterEmail = t('incidents.form.invalidEmail');
    if (!title.trim()) out.title = required;
    if (!description.trim()) out.description = required;
    if (occurredAt && localInputToIso(occurredAt) && new Date(occurredAt).getTime() > Date.now() + 10 * 60_000)
      out.occurredAt = t('incidents.form.future');
    if (staff && !channel) out.channel = required;
    // Checked before anything is uploaded: a file over the limit would only be refused after the whole upload.
    if (hasEvidenceProblems(files, evidenceLimits)) out.evidence = t('incidents.evidence.fixFirst');
    return out;
  }

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const problems = validate();
    setAttempted(true);
    if (Object.keys(problems).length > 0) {
      setError(null);
      // Move the reader to the first field that needs attention.
      const first = Object.keys(problems)[0]!;
      document.getElementById(`${prefix}-${FIELD_IDS[first] ?? first}`)?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const fields: Record<string, string | undefined> = {
        reporterName: name,
        reporterOrganisation: organisation,
        reporterUnit: unit,
        reporterEmail: email,
        reporterPhone: phone,
        title,
        description,
        occurredAt: localInputToIso(occurredAt),
        affectedSystems: affected,
        category,
        impact,
        tlp,
        observables: observablesJson(observables),
        locale: lang,
      };
      if (staff) Object.assign(fields, { channel, urgency, opdUnitId });
      await submit(formDataOf(fields, files));
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  const checked = attempted ? validate() : {};
  const err = (field: string) => checked[field] ?? fieldError(error, field);
  const fid = (field: string) => `${prefix}-${FIELD_IDS[field] ?? field}`;

  const text = (
    field: string,
    label: string,
    value: string,
    set: (v: string) => void,
    opts: { required?: boolean; type?: string; hint?: string; autoComplete?: string; placeholder?: string } = {},
  ) => (
    <TextField
      id={fid(field)}
      label={label}
      value={value}
      onChange={set}
      error={err(field)}
      hint={opts.hint}
      required={opts.required}
      type={opts.type}
      autoComplete={opts.autoComplete}
      input={{ placeholder: opts.placeholder, required: opts.required }}
    />
  );

  return (
    <form className="report-form" onSubmit={(e) => void onSubmit(e)} noValidate aria-busy={busy} data-testid={`${prefix}-form`}>
      <ProblemAlert error={error} testId={`${prefix}-error`} inlineFields={INLINE} />

      <fieldset className="card form-section">
        <legend>{staff ? t('incidents.form.reporterStaff') : t('incidents.form.reporter')}</legend>
        <div className="form-grid">
          {text('reporterName', t('incidents.form.name'), name, setName, { required: true, autoComplete: staff ? 'off' : 'name' })}
          {text('reporterEmail', t('incidents.form.email'), email, setEmail, {
            required: !staff,
            type: 'email',
            autoComplete: staff ? 'off' : 'email',
            hint: staff ? t('incidents.form.emailHintStaff') : t('incidents.form.emailHint'),
          })}
          {text('reporterPhone', t('incidents.form.phone'), phone, setPhone, {
            type: 'tel',
            autoComplete: staff ? 'off' : 'tel',
            placeholder: '+62 812-3456-7890',
          })}
          {text('reporterOrganisation', t('incidents.form.organisation'), organisation, setOrganisation, {
            autoComplete: staff ? 'off' : 'organization',
            placeholder: t('incidents.form.organisationPlaceholder'),
          })}
          {text('reporterUnit', t('incidents.form.unit'), unit, setUnit, { placeholder: t('incidents.form.unitPlaceholder') })}
          {staff && (
            <Field id={fid('channel')} label={t('incidents.form.channel')} error={err('channel')} required>
              <select
                id={fid('channel')}
                data-testid={fid('channel')}
                value={channel}
                onChange={(e) => setChannel(e.target.value as StaffChannel)}
              >
                {STAFF_CHANNELS.map((c) => (
                  <option key={c} value={c}>
                    {t(`incidents.channels.${c}`)}
                  </option>
                ))}
              </select>
            </Field>
          )}
        </div>
      </fieldset>

      <fieldset className="card form-section">
        <legend>{t('incidents.form.what')}</legend>
        {text('title', t('incidents.form.title'), title, setTitle, { required: true, hint: t('incidents.form.titleHint') })}
        <Field
          id={fid('description')}
          label={t('incidents.form.description')}
          hint={t('incidents.form.descriptionHint')}
          error={err('description')}
          required
        >
          <textarea
            id={fid('description')}
            data-testid={fid('description')}
            rows={6}
            required
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            {...describedBy(fid('description'), { hint: true, error: err('description') })}
          />
        </Field>
        <div className="form-grid">
          <Field
            id={fid('occurredAt')}
            label={t('incidents.form.occurredAt')}
            hint={t('incidents.form.occurredAtHint')}
            error={err('occurredAt')}
          >
            <input
              id={fid('occurredAt')}
              data-testid={fid('occurredAt')}
              type="datetime-local"
              max={nowLocalInput()}
              value={occurredAt}
              onChange={(e) => setOccurredAt(e.target.value)}
              {...describedBy(fid('occurredAt'), { hint: true, error: err('occurredAt') })}
            />
          </Field>
          <Field
            id={fid('affectedSystems')}
            label={t('incidents.form.affected')}
            hint={t('incidents.form.affectedHint')}
            error={err('affectedSystems')}
          >
            <textarea
              id={fid('affectedSystems')}
              data-testid={fid('affectedSystems')}
              rows={3}
              value={affected}
              placeholder="https://…"
              onChange={(e) => setAffected(e.target.value)}
              {...describedBy(fid('affectedSystems'), { hint: true, error: err('affectedSystems') })}
            />
          </Field>
        </div>

        <fieldset className="quick-picks" aria-describedby={`${prefix}-picks-hint`}>
          <legend>{t('incidents.form.category')}</legend>
          <p className="field-hint" id={`${prefix}-picks-hint`}>
            {t('incidents.form.categoryHint')}
          </p>
          {taxonomy.loading && !taxonomy.data && <p className="muted">{t('common.loading')}</p>}
          <ProblemAlert error={taxonomy.error} testId={`${prefix}-taxonomy-error`} />
          <div className="pick-grid" data-testid={`${prefix}-picks`}>
            {quickPicks.map((p) => (
              <label key={p.key} className={`pick${category === p.key ? ' pick-on' : ''}`}>
                <input
                  type="radio"
                  name={`${prefix}-pick`}
                  data-testid={`${prefix}-pick-${p.key}`}
                  value={p.key}
                  checked={category === p.key}
                  onChange={() => setCategory(p.key)}
                />
                <span className="pick-text">
                  <span className="pick-label">{pick(p.label, lang)}</span>
                  <span className="pick-hint">{pick(p.hint, lang)}</span>
                </span>
              </label>
            ))}
            {quickPicks.length > 0 && (
              <label className={`pick${category === '' ? ' pick-on' : ''}`}>
                <input
                  type="radio"
                  name={`${prefix}-pick`}
                  data-testid={`${prefix}-pick-unknown`}
                  value=""
                  checked={category === ''}
                  onChange={() => setCategory('')}
                />
                <span className="pick-text">
                  <span className="pick-label">{t('incidents.form.unknownCategory')}</span>
                  <span className="pick-hint">{t('incidents.form.unknownCategoryHint')}</span>
                </span>
              </label>
            )}
          </div>
          <Field id={fid('category')} label={t('incidents.form.rsit')} error={err('category')}>
            <select id={fid('category')} data-testid={fid('category')} value={selectValue} onChange={(e) => setCategory(e.target.value)}>
              <option value="">{t('incidents.form.rsitNone')}</option>
              <CategoryOptions taxonomy={taxonomy.data} lang={lang} />
            </select>
          </Field>
        </fieldset>

        <div className="form-grid">
          <Field id={fid('impact')} label={t('incidents.form.impact')} hint={t(`incidents.impactHints.${impact}`)}>
            <select
              id={fid('impact')}
              data-testid={fid('impact')}
              value={impact}
              onChange={(e) => setImpact(e.target.value as Impact)}
              {...describedBy(fid('impact'), { hint: true })}
            >
              {IMPACTS.map((i) => (
                <option key={i} value={i}>
                  {t(`incidents.impacts.${i}`)}
                </option>
              ))}
            </select>
          </Field>
          {staff && (
            <Field id={fid('urgency')} label={t('incidents.form.urgency')}>
              <select
                id={fid('urgency')}
                data-testid={fid('urgency')}
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
          )}
          <Field id={fid('tlp')} label={t('incidents.form.tlp')} hint={t(`incidents.tlpHints.${tlp}`)}>
            <select
              id={fid('tlp')}
              data-testid={fid('tlp')}
              value={tlp}
              onChange={(e) => setTlp(e.target.value as TlpLabel)}
              {...describedBy(fid('tlp'), { hint: true })}
            >
              {TLP_LABELS.map((l) => (
                <option key={l} value={l}>
                  TLP:{l}
                </option>
              ))}
            </select>
          </Field>
          {staff && (
            <Field id={fid('opdUnitId')} label={t('incidents.form.opd')} error={err('opdUnitId')}>
              <select id={fid('opdUnitId')} data-testid={fid('opdUnitId')} value={opdUnitId} onChange={(e) => setOpdUnitId(e.target.value)}>
                <option value="">{t('incidents.form.opdNone')}</option>
                {tree.map((node) => (
                  <option key={node.unit.id} value={node.unit.id} disabled={!node.unit.active}>
                    {unitOptionLabel(node)}
                  </option>
                ))}
              </select>
            </Field>
          )}
        </div>

        <details className="form-more" data-testid={`${prefix}-observables-toggle`}>
          <summary>{t('incidents.form.observables')}</summary>
          <p className="field-hint">{t('incidents.form.observablesHint')}</p>
          <ObservableRows
            prefix={`${prefix}-obs`}
            rows={observables}
            onChange={setObservables}
            types={taxonomy.data?.observableTypes}
            error={error}
          />
        </details>
      </fieldset>

      <fieldset className="card form-section">
        <legend>{t('incidents.form.evidence')}</legend>
        <p className="field-hint">{t('incidents.form.evidenceIntro')}</p>
        <EvidencePicker id={`${prefix}-evidence`} files={files} onChange={setFiles} disabled={busy} limits={evidenceLimits} />
      </fieldset>

      {!staff && <p className="muted small">{t('incidents.form.privacy')}</p>}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" data-testid={`${prefix}-submit`} disabled={busy}>
          {busy ? t('incidents.form.sending') : staff ? t('incidents.form.submitStaff') : t('incidents.form.submit')}
        </button>
      </div>
    </form>
  );
}

/** Field name → the id suffix of its control. */
const FIELD_IDS: Record<string, string> = {
  evidence: 'evidence',
  reporterName: 'name',
  reporterOrganisation: 'organisation',
  reporterUnit: 'unit',
  reporterEmail: 'email',
  reporterPhone: 'phone',
  title: 'title',
  description: 'description',
  occurredAt: 'occurred-at',
  affectedSystems: 'affected',
  category: 'category',
  impact: 'impact',
  urgency: 'urgency',
  tlp: 'tlp',
  channel: 'channel',
  opdUnitId: 'opd',
};
