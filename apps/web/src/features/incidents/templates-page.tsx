import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { RecommendationTemplate, RoleCode } from '../../api/types';
import { DataTable } from '../../components/data-table';
import { Field, describedBy, fieldError } from '../../components/field';
import { formatDateTime } from '../../components/format';
import { Notice, ProblemAlert } from '../../components/problem-alert';
import { Badge } from '../../components/status-badge';
import { useAsync } from '../../components/use-async';
import { useLocale } from '../../components/use-locale';
import { usePageTitle } from '../../components/use-page-title';
import { useMe } from '../auth/auth-context';
import { CategoryOptions } from './category-options';
import { pick, useCategoryLabels, useTaxonomy } from './use-taxonomy';

/** Roles of `incidents.templates.manage`. */
const MANAGERS: readonly RoleCode[] = ['incident_data', 'incident_analyst'];

type Panel = { kind: 'create' } | { kind: 'edit'; template: RecommendationTemplate } | null;

/** /insiden/templat — reusable initial-recommendation texts in both languages, retired rather than deleted. */
export function TemplatesPage() {
  const { t } = useTranslation();
  const lang = useLocale();
  const me = useMe();
  const canManage = MANAGERS.some((r) => me.roles.includes(r));
  const [showInactive, setShowInactive] = useState(false);
  const [panel, setPanel] = useState<Panel>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const list = useAsync(
    (signal) => api.recommendationTemplates.list({ includeInactive: showInactive || undefined }, { signal }),
    [showInactive],
  );
  const taxonomy = useTaxonomy();
  const categories = useCategoryLabels(taxonomy.data);
  usePageTitle(t('incidents.templates.title'));

  function saved(message: string) {
    setPanel(null);
    setNotice(message);
    setError(null);
    list.reload();
  }

  async function toggle(tpl: RecommendationTemplate) {
    setError(null);
    setNotice(null);
    try {
      await api.recommendationTemplates.update(tpl.id, { active: !tpl.active });
      saved(
        tpl.active ? t('incidents.templates.retired', { title: tpl.title }) : t('incidents.templates.reactivated', { title: tpl.title }),
      );
    } catch (err) {
      setError(err);
    }
  }

  return (
    <section className="page">
      <div className="page-header">
        <h1>{t('incidents.templates.title')}</h1>
        {canManage && (
          <button
            type="button"
            className="btn btn-primary"
            data-testid="templates-create-open"
            onClick={() => setPanel({ kind: 'create' })}
          >
            {t('incidents.templates.create')}
          </button>
        )}
      </div>
      <p className="lead">{t('incidents.templates.intro')}</p>
      {notice && <Notice testId="templates-notice">{notice}</Notice>}
      <ProblemAlert error={error} testId="templates-error" />
      {panel && (
        <TemplateForm
          key={panel.kind === 'edit' ? panel.template.id : 'new'}
          template={panel.kind === 'edit' ? panel.template : undefined}
          onCancel={() => setPanel(null)}
          onSaved={(tpl) => saved(t('incidents.templates.saved', { title: tpl.title }))}
        />
      )}
      <div className="toolbar">
        <label className="checkbox">
          <input
            type="checkbox"
            data-testid="templates-show-inactive"
            checked={showInactive}
            onChange={(e) => setShowInactive(e.target.checked)}
          />
          <span>{t('incidents.templates.showInactive')}</span>
        </label>
      </div>
      <ProblemAlert error={list.error} testId="templates-load-error" />
      <DataTable
        testId="templates-table"
        columns={[
          { label: t('incidents.templates.name') },
          { label: t('incidents.templates.categories') },
          { label: t('incidents.templates.status') },
          { label: t('incidents.templates.updated') },
          { label: t('common.actions'), hidden: true },
        ]}
        rows={list.data}
        busy={list.loading}
        empty={t('incidents.templates.none')}
        emptyTestId="templates-empty"
        row={(tpl) => (
          <tr key={tpl.id} data-testid={`template-row-${tpl.title}`}>
            <td>
              <div className="cell-strong">{tpl.title}</div>
              <details className="summary-details">
                <summary>{t('incidents.templates.preview')}</summary>
                <pre>{lang === 'en' ? tpl.bodyEn : tpl.bodyId}</pre>
              </details>
            </td>
            <td className="cell-small">
              {tpl.categoryCodes.length
                ? tpl.categoryCodes.map((c) => (categories.has(c) ? pick(categories.get(c)!.type, lang) : c)).join(', ')
                : t('incidents.templates.anyCategory')}
            </td>
            <td>
              {tpl.active ? (
                <Badge tone="ok">{t('incidents.templates.active')}</Badge>
              ) : (
                <Badge tone="muted">{t('incidents.templates.inactive')}</Badge>
              )}
            </td>
            <td className="cell-small">{formatDateTime(tpl.updatedAt, lang)}</td>
            <td className="actions">
              {canManage && (
                <div className="action-group">
                  <button
                    type="button"
                    className="btn btn-small"
                    onClick={() => setPanel({ kind: 'edit', template: tpl })}
                    data-testid={`template-edit-${tpl.title}`}
                  >
                    {t('common.edit')}
                  </button>
                  <button
                    type="button"
                    className="btn btn-small"
                    onClick={() => void toggle(tpl)}
                    data-testid={`template-toggle-${tpl.title}`}
                  >
                    {tpl.active ? t('incidents.templates.retire') : t('incidents.templates.reactivate')}
                  </button>
                </div>
              )}
            </td>
          </tr>
        )}
      />
    </section>
  );
}

function TemplateForm({
  template,
  onCancel,
  onSaved,
}: {
  template?: RecommendationTemplate;
  onCancel: () => void;
  onSaved: (t: RecommendationTemplate) => void;
}) {
  const { t } = useTranslation();
  const lang = useLocale();
  const taxonomy = useTaxonomy();
  const [title, setTitle] = useState(template?.title ?? '');
  const [bodyId, setBodyId] = useState(template?.bodyId ?? '');
  const [bodyEn, setBodyEn] = useState(template?.bodyEn ?? '');
  const [codes, setCodes] = useState<string[]>(template?.categoryCodes ?? []);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body = { title: title.trim(), bodyId: bodyId.trim(), bodyEn: bodyEn.trim(), categoryCodes: codes };
      onSaved(template ? await api.recommendationTemplates.update(template.id, body) : await api.recommendationTemplates.create(body));
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  const err = (f: string) => fieldError(error, f);
  return (
    <form className="card form" onSubmit={(e) => void submit(e)} noValidate aria-busy={busy} data-testid="template-form">
      <h2>{template ? t('incidents.templates.editTitle', { title: template.title }) : t('incidents.templates.create')}</h2>
      <ProblemAlert error={error} testId="template-form-error" inlineFields={['title', 'bodyId', 'bodyEn']} />
      <Field id="template-title" label={t('incidents.templates.name')} error={err('title')} required>
        <input
          id="template-title"
          data-testid="template-title"
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          {...describedBy('template-title', { error: err('title') })}
        />
      </Field>
      <div className="form-grid form-grid-2">
        <Field id="template-body-id" label={t('incidents.templates.bodyId')} error={err('bodyId')} required>
          <textarea
            id="template-body-id"
            data-testid="template-body-id"
            lang="id"
            rows={8}
            value={bodyId}
            onChange={(e) => setBodyId(e.target.value)}
            {...describedBy('template-body-id', { error: err('bodyId') })}
          />
        </Field>
        <Field id="template-body-en" label={t('incidents.templates.bodyEn')} error={err('bodyEn')} required>
          <textarea
            id="template-body-en"
            data-testid="template-body-en"
            lang="en"
            rows={8}
            value={bodyEn}
            onChange={(e) => setBodyEn(e.target.value)}
            {...describedBy('template-body-en', { error: err('bodyEn') })}
          />
        </Field>
      </div>
      <Field id="template-categories" label={t('incidents.templates.categories')} hint={t('incidents.templates.categoriesHint')}>
        <select
          id="template-categories"
          data-testid="template-categories"
          multiple
          size={8}
          value={codes}
          onChange={(e) => setCodes(Array.from(e.target.selectedOptions, (o) => o.value))}
          {...describedBy('template-categories', { hint: true })}
        >
          <CategoryOptions taxonomy={taxonomy.data} lang={lang} />
        </select>
      </Field>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" data-testid="template-submit" disabled={busy}>
          {busy ? t('common.saving') : t('common.save')}
        </button>
        <button type="button" className="btn btn-secondary" onClick={onCancel} disabled={busy}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
