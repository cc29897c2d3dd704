import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { Unit } from '../../api/types';
import { Field, describedBy, fieldError } from '../../components/field';
import { ProblemAlert } from '../../components/problem-alert';
import { useAsync } from '../../components/use-async';

export function PositionsPanel({ unit, onClose }: { unit: Unit; onClose: () => void }) {
  const { t } = useTranslation();
  const positions = useAsync((signal) => api.positions.list(unit.id, { signal }), [unit.id]);
  const [title, setTitle] = useState('');
  const [echelon, setEchelon] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    heading.current?.focus();
    heading.current?.scrollIntoView({ block: 'nearest' });
  }, []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const trimmed = echelon.trim();
      await api.positions.create({ unitId: unit.id, title: title.trim(), ...(trimmed ? { echelon: trimmed } : {}) });
      setTitle('');
      setEchelon('');
      positions.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const err = (f: string) => fieldError(error, f);
  return (
    <section className="card" data-testid="positions-panel" aria-labelledby="positions-heading">
      <div className="card-header">
        <h2 id="positions-heading" ref={heading} tabIndex={-1}>
          {t('positions.title', { unit: unit.name })}
        </h2>
        <button type="button" className="btn btn-secondary btn-small" data-testid="positions-close" onClick={onClose}>
          {t('common.close')}
        </button>
      </div>
      <ProblemAlert error={positions.error} testId="positions-load-error" />
      <div className="table-wrap">
        <table className="table" data-testid="positions-table" aria-busy={positions.loading}>
          <thead>
            <tr>
              <th scope="col">{t('positions.positionTitle')}</th>
              <th scope="col">{t('positions.echelon')}</th>
            </tr>
          </thead>
          <tbody>
            {positions.data?.map((p) => (
              <tr key={p.id} data-testid={`position-row-${p.id}`}>
                <td>{p.title}</td>
                <td>{p.echelon ?? <span className="muted">{t('positions.nonEchelon')}</span>}</td>
              </tr>
            ))}
            {positions.data && positions.data.length === 0 && (
              <tr>
                <td colSpan={2} className="empty" data-testid="positions-empty">
                  {t('positions.empty')}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>

      <form className="form" onSubmit={(e) => void submit(e)} noValidate aria-busy={busy} aria-label={t('positions.createTitle')}>
        <h3>{t('positions.createTitle')}</h3>
        <ProblemAlert error={error} testId="position-form-error" inlineFields={['title', 'echelon']} />
        <div className="form-grid">
          <Field id="position-form-title" label={t('positions.positionTitle')} error={err('title')} required>
            <input
              id="position-form-title"
              data-testid="position-form-title"
              required
              value={title}
              onChange={(e) => setTitle(e.target.value)}
              {...describedBy('position-form-title', { error: err('title') })}
            />
          </Field>
          <Field id="position-form-echelon" label={t('positions.echelonOptional')} error={err('echelon')} hint={t('positions.echelonHint')}>
            <input
              id="position-form-echelon"
              data-testid="position-form-echelon"
              value={echelon}
              onChange={(e) => setEchelon(e.target.value)}
              {...describedBy('position-form-echelon', { hint: true, error: err('echelon') })}
            />
          </Field>
        </div>
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" data-testid="position-form-submit" disabled={busy || !title.trim()}>
            {busy ? t('common.saving') : t('positions.create')}
          </button>
        </div>
      </form>
    </section>
  );
}
