import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { UNIT_KINDS, type Unit, type UnitKind } from '../../api/types';
import { DataTable } from '../../components/data-table';
import { Field, describedBy, fieldError } from '../../components/field';
import { Notice, ProblemAlert } from '../../components/problem-alert';
import { Badge } from '../../components/status-badge';
import { useAsync } from '../../components/use-async';
import { usePageTitle } from '../../components/use-page-title';
import { flattenUnitTree, unitOptionLabel, type UnitNode } from './unit-tree';
import { PositionsPanel } from './positions-panel';

export function UnitsPage() {
  const { t } = useTranslation();
  const units = useAsync((signal) => api.units.list({ signal }), []);
  const tree = useMemo(() => flattenUnitTree(units.data ?? []), [units.data]);
  const [creating, setCreating] = useState(false);
  const [editingId, setEditingId] = useState<string | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  usePageTitle(t('units.title'));

  const selected = units.data?.find((u) => u.id === selectedId) ?? null;

  function changed(message: string) {
    setNotice(message);
    setCreating(false);
    setEditingId(null);
    units.reload();
  }

  return (
    <section className="page">
      <div className="page-header">
        <h1>{t('units.title')}</h1>
        <button
          type="button"
          className="btn btn-primary"
          data-testid="units-create-open"
          aria-expanded={creating}
          onClick={() => {
            setNotice(null);
            setCreating((c) => !c);
          }}
        >
          {t('units.createOpen')}
        </button>
      </div>
      {notice && <Notice testId="units-notice">{notice}</Notice>}
      {creating && (
        <CreateUnitForm tree={tree} onCreated={(u) => changed(t('units.created', { name: u.name }))} onCancel={() => setCreating(false)} />
      )}
      <ProblemAlert error={units.error} testId="units-load-error" />

      <DataTable
        testId="units-table"
        className="tree-table"
        caption={t('units.title')}
        columns={[
          { label: t('units.name') },
          { label: t('units.code') },
          { label: t('units.kind') },
          { label: t('units.status') },
          { label: t('common.actions'), hidden: true },
        ]}
        rows={units.data ? tree : undefined}
        busy={units.loading}
        empty={t('units.empty')}
        emptyTestId="units-empty"
        row={(node) =>
          node.unit.id === editingId ? (
            <EditUnitRow
              key={node.unit.id}
              node={node}
              onSaved={(u) => changed(t('units.updated', { name: u.name }))}
              onCancel={() => setEditingId(null)}
            />
          ) : (
            <UnitRow
              key={node.unit.id}
              node={node}
              selected={node.unit.id === selectedId}
              onEdit={() => {
                setNotice(null);
                setEditingId(node.unit.id);
              }}
              onSelect={() => setSelectedId(node.unit.id)}
            />
          )
        }
      />

      {selected && <PositionsPanel key={selected.id} unit={selected} onClose={() => setSelectedId(null)} />}
    </section>
  );
}

function UnitRow({ node, selected, onEdit, onSelect }: { node: UnitNode; selected: boolean; onEdit: () => void; onSelect: () => void }) {
  const { t } = useTranslation();
  const u = node.unit;
  return (
    <tr data-testid={`unit-row-${u.code}`} data-depth={node.depth} className={selected ? 'row-selected' : undefined}>
      <td>
        <span className="tree-name" style={{ paddingInlineStart: `${node.depth * 1.5}rem` }}>
          {node.depth > 0 && (
            <span className="tree-branch" aria-hidden="true">
              └
            </span>
          )}
          <span className="visually-hidden">{t('units.level', { level: node.depth + 1 })} </span>
          <span data-testid={`unit-name-${u.code}`}>{u.name}</span>
        </span>
      </td>
      <td>
        <code>{u.code}</code>
      </td>
      <td>{t(`units.kinds.${u.kind}`)}</td>
      <td>{u.active ? <Badge tone="ok">{t('units.active')}</Badge> : <Badge tone="muted">{t('units.inactive')}</Badge>}</td>
      <td className="actions">
        <button
          type="button"
          className="btn btn-small"
          data-testid={`unit-edit-${u.code}`}
          aria-label={t('units.editAria', { name: u.name })}
          onClick={onEdit}
        >
          {t('common.edit')}
        </button>
        <button
          type="button"
          className="btn btn-small"
          data-testid={`unit-positions-${u.code}`}
          aria-label={t('units.positionsAria', { name: u.name })}
          aria-pressed={selected}
          onClick={onSelect}
        >
          {t('units.positions')}
        </button>
      </td>
    </tr>
  );
}

function EditUnitRow({ node, onSaved, onCancel }: { node: UnitNode; onSaved: (u: Unit) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const u = node.unit;
  const [name, setName] = useState(u.name);
  const [active, setActive] = useState(u.active);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);

  async function save() {
    setBusy(true);
    setError(null);
    try {
      onSaved(await api.units.update(u.id, { name: name.trim(), active }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <tr data-testid={`unit-row-${u.code}`} data-depth={node.depth} className="row-editing">
      <td colSpan={5}>
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
          onKeyDown={(e) => {
            if (e.key === 'Escape') onCancel();
          }}
          style={{ paddingInlineStart: `${node.depth * 1.5}rem` }}
          aria-label={t('units.editAria', { name: u.name })}
        >
          <label htmlFor="unit-edit-name">{t('units.name')}</label>
          <input
            ref={input}
            id="unit-edit-name"
            data-testid="unit-edit-name"
            value={name}
            required
            onChange={(e) => setName(e.target.value)}
            aria-invalid={fieldError(error, 'name') ? true : undefined}
          />
          <code>{u.code}</code>
          <label className="checkbox">
            <input type="checkbox" data-testid="unit-edit-active" checked={active} onChange={(e) => setActive(e.target.checked)} />
            <span>{t('units.activeLabel')}</span>
          </label>
          <button type="submit" className="btn btn-primary btn-small" data-testid="unit-edit-save" disabled={busy || !name.trim()}>
            {t('common.save')}
          </button>
          <button type="button" className="btn btn-secondary btn-small" data-testid="unit-edit-cancel" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        </form>
        <ProblemAlert error={error} testId="unit-edit-error" />
      </td>
    </tr>
  );
}

function CreateUnitForm({ tree, onCreated, onCancel }: { tree: UnitNode[]; onCreated: (u: Unit) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [kind, setKind] = useState<UnitKind>('dinas');
  const [parentId, setParentId] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onCreated(await api.units.create({ code: code.trim(), name: name.trim(), kind, ...(parentId ? { parentId } : {}) }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const err = (f: string) => fieldError(error, f);
  return (
    <form
      className="card form"
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-busy={busy}
      aria-label={t('units.createTitle')}
      data-testid="unit-form"
    >
      <h2>{t('units.createTitle')}</h2>
      <ProblemAlert error={error} testId="unit-form-error" inlineFields={['code', 'name', 'kind', 'parentId']} />
      <div className="form-grid">
        <Field id="unit-form-code" label={t('units.code')} error={err('code')} hint={t('units.codeHint')} required>
          <input
            ref={first}
            id="unit-form-code"
            data-testid="unit-form-code"
            autoCapitalize="characters"
            spellCheck={false}
            required
            value={code}
            onChange={(e) => setCode(e.target.value)}
            {...describedBy('unit-form-code', { hint: true, error: err('code') })}
          />
        </Field>
        <Field id="unit-form-name" label={t('units.name')} error={err('name')} required>
          <input
            id="unit-form-name"
            data-testid="unit-form-name"
            required
            value={name}
            onChange={(e) => setName(e.target.value)}
            {...describedBy('unit-form-name', { error: err('name') })}
          />
        </Field>
        <Field id="unit-form-kind" label={t('units.kind')} error={err('kind')} required>
          <select
            id="unit-form-kind"
            data-testid="unit-form-kind"
            value={kind}
            onChange={(e) => setKind(e.target.value as UnitKind)}
            {...describedBy('unit-form-kind', { error: err('kind') })}
          >
            {UNIT_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`units.kinds.${k}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field id="unit-form-parent" label={t('units.parent')} error={err('parentId')}>
          <select
            id="unit-form-parent"
            data-testid="unit-form-parent"
            value={parentId}
            onChange={(e) => setParentId(e.target.value)}
            {...describedBy('unit-form-parent', { error: err('parentId') })}
          >
            <option value="">{t('units.noParent')}</option>
            {tree.map((node) => (
              <option key={node.unit.id} value={node.unit.id} disabled={!node.unit.active}>
                {unitOptionLabel(node)}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" data-testid="unit-form-submit" disabled={busy}>
          {busy ? t('common.saving') : t('units.create')}
        </button>
        <button type="button" className="btn btn-secondary" data-testid="unit-form-cancel" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
