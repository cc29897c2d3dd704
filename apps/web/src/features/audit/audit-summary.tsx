import { useTranslation } from 'react-i18next';
import type { AuditSummary } from '../../api/types';

/**
 * The stored summary is JSON ({before, after, detail}); a string `detail` is shown inline and
 * the full object behind a disclosure, so the table stays scannable.
 */
export function AuditSummaryCell({ seq, summary }: { seq: string; summary: AuditSummary | null }) {
  const { t } = useTranslation();
  if (!summary || Object.keys(summary).length === 0) return null;
  const detail = typeof summary.detail === 'string' ? summary.detail : null;
  const hasMore = Object.entries(summary).some(([k, v]) => v !== undefined && v !== null && !(k === 'detail' && detail));
  return (
    <div className="cell-note">
      {detail && <div>{detail}</div>}
      {hasMore && (
        <details className="summary-details" data-testid={`audit-summary-${seq}`}>
          <summary>{t('audit.details')}</summary>
          <pre>{JSON.stringify(summary, null, 2)}</pre>
        </details>
      )}
    </div>
  );
}
