import { useTranslation } from 'react-i18next';

interface PaginationProps {
  page: number;
  pageSize: number;
  total: number;
  onPage: (page: number) => void;
  disabled?: boolean;
}

export function Pagination({ page, pageSize, total, onPage, disabled }: PaginationProps) {
  const { t } = useTranslation();
  const pages = Math.max(1, Math.ceil(total / Math.max(1, pageSize)));
  const from = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const to = Math.min(total, page * pageSize);
  return (
    <nav className="pagination" aria-label={t('pagination.label')}>
      <button
        type="button"
        className="btn btn-secondary"
        data-testid="pagination-prev"
        disabled={disabled || page <= 1}
        onClick={() => onPage(page - 1)}
      >
        {t('pagination.prev')}
      </button>
      <span className="pagination-info" data-testid="pagination-info" aria-live="polite">
        {t('pagination.info', { page, pages, from, to, total })}
      </span>
      <button
        type="button"
        className="btn btn-secondary"
        data-testid="pagination-next"
        disabled={disabled || page >= pages}
        onClick={() => onPage(page + 1)}
      >
        {t('pagination.next')}
      </button>
    </nav>
  );
}

/** Reads a positive page number from a search param, defaulting to 1. */
export function pageParam(value: string | null): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : 1;
}
