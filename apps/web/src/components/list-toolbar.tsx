import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** The card of a list's filters, a group named for screen readers. */
export function Filters({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="filters card" role="group" aria-label={label}>
      {children}
    </div>
  );
}

export interface FilterOption {
  value: string;
  label: string;
}

/**
 * One labelled filter select. `any` is the first option (value '', no filter); `options` follow,
 * then `children` for what a flat list cannot say (optgroups).
 */
export function FilterSelect({
  label,
  testId,
  value,
  onChange,
  any,
  options = [],
  children,
}: {
  label: ReactNode;
  testId: string;
  value: string;
  onChange: (value: string) => void;
  any?: string;
  options?: readonly FilterOption[];
  children?: ReactNode;
}) {
  return (
    <label className="filter">
      <span>{label}</span>
      <select data-testid={testId} value={value} onChange={(e) => onChange(e.target.value)}>
        {any !== undefined && <option value="">{any}</option>}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
        {children}
      </select>
    </label>
  );
}

/**
 * The search toolbar of a list: the box keeps what is typed until submitted, and follows the URL
 * (back/forward, reset). Test ids: `<id>` for the box, `<id>-submit` for the button; `children`
 * follow the button (e.g. a reset link).
 */
export function SearchForm({
  id,
  label,
  placeholder,
  value,
  onSearch,
  children,
}: {
  id: string;
  label: ReactNode;
  placeholder: string;
  value: string;
  onSearch: (q: string) => void;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  const [search, setSearch] = useState(value);
  useEffect(() => setSearch(value), [value]);
  function submit(e: FormEvent) {
    e.preventDefault();
    onSearch(search.trim());
  }
  return (
    <form className="toolbar" role="search" onSubmit={submit}>
      <label htmlFor={id}>{label}</label>
      <input id={id} data-testid={id} type="search" placeholder={placeholder} value={search} onChange={(e) => setSearch(e.target.value)} />
      <button type="submit" className="btn btn-secondary" data-testid={`${id}-submit`}>
        {t('common.search')}
      </button>
      {children}
    </form>
  );
}
