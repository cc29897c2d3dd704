import type { ReactNode } from 'react';
import type { Page } from '../api/types';
import { Pagination } from './pagination';
import type { AsyncState } from './use-async';

/** A column header; `hidden` keeps it for screen readers only (the actions column). */
export interface Column {
  label: ReactNode;
  className?: string;
  hidden?: boolean;
}

export interface DataTableProps<T> {
  testId: string;
  /** Classes beside `table`, e.g. `table-compact incident-table`. */
  className?: string;
  /** Names the table for screen readers (a visually hidden caption). */
  caption?: string;
  /** `false`/`null` entries are columns the viewer does not get (e.g. actions without the role). */
  columns: ReadonlyArray<Column | false | null | undefined>;
  /** Undefined until the first answer: no empty-state row before the list is known. */
  rows: readonly T[] | undefined;
  /** One `<tr>` (with its key) per item. */
  row: (item: T, index: number) => ReactNode;
  busy?: boolean;
  /** What an empty list says, in a row across all columns (none: the caller shows the table only when there are rows). */
  empty?: ReactNode;
  emptyTestId?: string;
}

/** The list table of the pages: scrollable wrap, header row, rows and the empty-state row. */
export function DataTable<T>({ testId, className, caption, columns, rows, row, busy, empty, emptyTestId }: DataTableProps<T>) {
  const cols = columns.filter((c): c is Column => Boolean(c));
  return (
    <div className="table-wrap">
      <table className={className ? `table ${className}` : 'table'} data-testid={testId} aria-busy={busy}>
        {caption && <caption className="visually-hidden">{caption}</caption>}
        <thead>
          <tr>
            {cols.map((c, i) => (
              <th key={i} scope="col" className={c.className}>
                {c.hidden ? <span className="visually-hidden">{c.label}</span> : c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows?.map((item, i) => row(item, i))}
          {rows && rows.length === 0 && empty !== undefined && (
            <tr>
              <td colSpan={cols.length} className="empty" data-testid={emptyTestId}>
                {empty}
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

export interface PagedTableProps<T> extends Omit<DataTableProps<T>, 'rows' | 'busy'> {
  /** A page of the list as loaded (previous rows stay while the next page loads). */
  list: AsyncState<Page<T>>;
  onPage: (page: number) => void;
}

/** A DataTable of one page of a list, with the pagination under it. */
export function PagedTable<T>({ list, onPage, ...table }: PagedTableProps<T>) {
  return (
    <>
      <DataTable {...table} rows={list.data?.items} busy={list.loading} />
      {list.data && (
        <Pagination page={list.data.page} pageSize={list.data.pageSize} total={list.data.total} onPage={onPage} disabled={list.loading} />
      )}
    </>
  );
}
