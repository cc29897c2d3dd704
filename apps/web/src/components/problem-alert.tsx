import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../api/client';

interface ProblemAlertProps {
  error: unknown;
  testId?: string;
  /** Fields the form marks inline; the alert lists only the remaining field errors. */
  inlineFields?: readonly string[];
}

/**
 * Shows an API problem to the user: the server's `detail` (what happened and, e.g. for a
 * locked account, until when) and every field error not already shown beside its field.
 */
export function ProblemAlert({ error, testId = 'problem', inlineFields = [] }: ProblemAlertProps) {
  const { t } = useTranslation();
  if (!error) return null;

  let headline: string;
  let title: string | undefined;
  let status: number | undefined;
  let fields: { field: string; message: string }[] = [];
  let inlineCount = 0;
  let requestId: string | undefined;

  if (isApiError(error)) {
    if (error.isNetworkError) {
      headline = t('errors.network');
    } else if (error.status === 429) {
      // The rate limiter's own text is technical and English-only.
      headline = t('errors.tooManyRequests');
      title = error.title;
      status = error.status;
      requestId = typeof error.problem.requestId === 'string' ? error.problem.requestId : undefined;
    } else {
      headline = error.detail || error.title || t('errors.generic');
      title = error.detail ? error.title : undefined;
      status = error.status;
      const isInline = (field: string) => inlineFields.some((f) => field === f || field.endsWith(`.${f}`));
      fields = error.errors.filter((e) => !isInline(e.field));
      inlineCount = error.errors.length - fields.length;
      requestId = typeof error.problem.requestId === 'string' ? error.problem.requestId : undefined;
    }
  } else {
    headline = error instanceof Error && error.message ? error.message : t('errors.generic');
  }

  return (
    <div className="alert alert-error" role="alert" data-testid={testId}>
      <p className="alert-title" data-testid={`${testId}-detail`}>
        {headline}
      </p>
      {inlineCount > 0 && fields.length === 0 && <p>{t('errors.seeMarked')}</p>}
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
      {(title || requestId) && (
        <p className="alert-meta">
          {title && (
            <span data-testid={`${testId}-title`}>
              {title}
              {status ? ` (${status})` : ''}
            </span>
          )}
          {title && requestId && ' · '}
          {requestId && (
            <span>
              {t('errors.requestId')}: <code>{requestId}</code>
            </span>
          )}
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
