import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../api/client';

interface ProblemAlertProps {
  error: unknown;
  testId?: string;
}

/**
 * Shows an API problem to the user: the server's `detail` (what happened and, e.g. for a
 * locked account, until when) and every field error. Forms also mark the fields inline.
 */
export function ProblemAlert({ error, testId = 'problem' }: ProblemAlertProps) {
  const { t } = useTranslation();
  if (!error) return null;

  let title: string;
  let detail: string | undefined;
  let fields: { field: string; message: string }[] = [];
  let requestId: string | undefined;

  if (isApiError(error)) {
    if (error.isNetworkError) {
      title = t('errors.network');
    } else {
      title = error.title || t('errors.generic');
      detail = error.detail;
      fields = error.errors;
      requestId = typeof error.problem.requestId === 'string' ? error.problem.requestId : undefined;
    }
  } else {
    title = t('errors.generic');
    detail = error instanceof Error ? error.message : undefined;
  }

  return (
    <div className="alert alert-error" role="alert" data-testid={testId}>
      <p className="alert-title" data-testid={`${testId}-title`}>
        {title}
      </p>
      {detail && detail !== title && (
        <p className="alert-detail" data-testid={`${testId}-detail`}>
          {detail}
        </p>
      )}
      {fields.length > 0 && (
        <>
          <p>{t('errors.checkFields')}</p>
          <ul className="alert-fields" data-testid={`${testId}-fields`}>
            {fields.map((f, i) => (
              <li key={`${f.field}-${i}`}>
                <code>{f.field}</code>: {f.message}
              </li>
            ))}
          </ul>
        </>
      )}
      {requestId && (
        <p className="alert-meta">
          {t('errors.requestId')}: <code>{requestId}</code>
        </p>
      )}
    </div>
  );
}

export function Notice({ children, testId = 'notice' }: { children: ReactNode; testId?: string }) {
  return (
    <div className="alert alert-success" role="status" data-testid={testId}>
      {children}
    </div>
  );
}
