import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client';
import { OBSERVABLE_TYPES, type ObservableType } from '../../api/types';

export interface ObservableRow {
  type: ObservableType;
  value: string;
}

/** The non-empty rows as the JSON text a multipart form carries, or undefined when there are none. */
export function observablesJson(rows: ObservableRow[]): string | undefined {
  const given = rows.filter((r) => r.value.trim());
  return given.length ? JSON.stringify(given.map((r) => ({ type: r.type, value: r.value.trim() }))) : undefined;
}

interface ObservableRowsProps {
  prefix: string;
  rows: ObservableRow[];
  onChange: (rows: ObservableRow[]) => void;
  types?: readonly ObservableType[];
  /** The last failed request: its `observables[n].value` errors are shown beside row n. */
  error?: unknown;
}

/** Indicators (IP, domain, URL, hash …) typed in rows; the server normalises and refangs them. */
export function ObservableRows({ prefix, rows, onChange, types = OBSERVABLE_TYPES, error }: ObservableRowsProps) {
  const { t } = useTranslation();
  const rowError = (i: number) =>
    isApiError(error)
      ? error.errors.find((e) => e.field === `observables[${i}].value` || e.field.startsWith(`observables.${i}.`))?.message
      : undefined;
  const set = (i: number, patch: Partial<ObservableRow>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));

  return (
    <div className="observable-rows">
      {rows.map((r, i) => {
        const e = rowError(i);
        return (
          <div className="observable-row" key={i}>
            <label className="visually-hidden" htmlFor={`${prefix}-type-${i}`}>
              {t('incidents.observables.type')}
            </label>
            <select
              id={`${prefix}-type-${i}`}
              data-testid={`${prefix}-type-${i}`}
              value={r.type}
              onChange={(ev) => set(i, { type: ev.target.value as ObservableType })}
            >
              {types.map((ty) => (
                <option key={ty} value={ty}>
                  {t(`incidents.observableTypes.${ty}`)}
                </option>
              ))}
            </select>
            <label className="visually-hidden" htmlFor={`${prefix}-value-${i}`}>
              {t('incidents.observables.value')}
            </label>
            <input
              id={`${prefix}-value-${i}`}
              data-testid={`${prefix}-value-${i}`}
              className="mono"
              spellCheck={false}
              autoCapitalize="none"
              value={r.value}
              aria-invalid={e ? true : undefined}
              aria-describedby={e ? `${prefix}-value-${i}-error` : undefined}
              onChange={(ev) => set(i, { value: ev.target.value })}
            />
            <button
              type="button"
              className="btn btn-small btn-secondary"
              onClick={() => onChange(rows.filter((_, j) => j !== i))}
              aria-label={t('incidents.observables.removeRow', { n: i + 1 })}
            >
              {t('incidents.evidence.remove')}
            </button>
            {e && (
              <div className="field-error" id={`${prefix}-value-${i}-error`}>
                {e}
              </div>
            )}
          </div>
        );
      })}
      <button
        type="button"
        className="btn btn-small btn-secondary"
        data-testid={`${prefix}-add`}
        onClick={() => onChange([...rows, { type: 'ipv4', value: '' }])}
      >
        {t('incidents.observables.addRow')}
      </button>
    </div>
  );
}
