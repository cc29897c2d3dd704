import { useState, type ReactNode } from 'react';
import { Link, Navigate, useLocation } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client';
import { CERT_ERROR, type LinkView } from '../../api/certificates.types';
import { formatDateTime } from '../../components/format';
import { ProblemAlert } from '../../components/problem-alert';
import { useAsync } from '../../components/use-async';
import { useLocale } from '../../components/use-locale';
import { certApi } from './api';
import { problemCode, tokenFromHash } from './cert-model';

export type LinkProblemReason = 'missing' | 'invalid' | 'used' | 'replaced' | 'expired';

/** A used, replaced, expired or unknown link, from the API's answer; undefined for any other error. */
export function linkProblemOf(err: unknown): LinkProblemReason | undefined {
  const code = problemCode(err);
  if (code === CERT_ERROR.linkExpired) return 'expired';
  if (code === CERT_ERROR.linkUsed) return isApiError(err) && typeof err.problem.usedAt === 'string' ? 'used' : 'replaced';
  if (code === CERT_ERROR.linkInvalid) return 'invalid';
  return undefined;
}

export interface LinkContext {
  token: string;
  link: LinkView;
  /** A submission found the link gone (used meanwhile, expired): show the friendly page instead of the form. */
  onGone: (reason: LinkProblemReason) => void;
}

/**
 * The applicant's single-use links (`/tte/identitas#token=…`, `/tte/passphrase#token=…`): reads the token
 * from the fragment, asks the API what it is for, and shows a plain explanation when it cannot be used.
 */
export function LinkGate({ purpose, children }: { purpose: LinkView['purpose']; children: (ctx: LinkContext) => ReactNode }) {
  const { t } = useTranslation();
  const location = useLocation();
  const token = tokenFromHash(location.hash);
  const opened = useAsync((signal) => (token ? certApi.public.openLink(token, { signal }) : Promise.resolve(null)), [token]);
  const [gone, setGone] = useState<LinkProblemReason | null>(null);

  if (!token) return <LinkProblem reason="missing" />;
  if (gone) return <LinkProblem reason={gone} />;
  if (opened.error) {
    const reason = linkProblemOf(opened.error);
    if (reason) return <LinkProblem reason={reason} error={opened.error} />;
    return (
      <div data-testid="tte-link-error">
        <ProblemAlert error={opened.error} testId="tte-link-error-detail" />
        <button type="button" className="btn btn-secondary" data-testid="tte-link-retry" onClick={opened.reload}>
          {t('certificates.link.retry')}
        </button>
      </div>
    );
  }
  if (opened.loading || !opened.data) {
    return (
      <p className="muted" role="status" data-testid="tte-link-loading">
        {t('certificates.link.checking')}
      </p>
    );
  }
  const link = opened.data;
  if (link.purpose !== purpose) {
    // A passphrase link opened on the identity page (or the reverse): go where it belongs.
    return <Navigate to={{ pathname: link.purpose === 'identity' ? '/tte/identitas' : '/tte/passphrase', hash: location.hash }} replace />;
  }
  return <>{children({ token, link, onGone: setGone })}</>;
}

/** A friendly page for a link that cannot be used, with what to do next. */
export function LinkProblem({ reason, error }: { reason: LinkProblemReason; error?: unknown }) {
  const { t } = useTranslation();
  const lang = useLocale();
  const expiresAt = isApiError(error) && typeof error.problem.expiresAt === 'string' ? error.problem.expiresAt : null;
  const usedAt = isApiError(error) && typeof error.problem.usedAt === 'string' ? error.problem.usedAt : null;
  const tone = reason === 'used' ? 'alert-info' : 'alert-warn';
  return (
    <div className={`alert ${tone} link-problem`} role="alert" data-testid="tte-link-problem" data-reason={reason}>
      <p className="alert-title">{t(`certificates.link.problems.${reason}.title`)}</p>
      <p>
        {t(`certificates.link.problems.${reason}.body`, {
          time: formatDateTime(expiresAt ?? usedAt, lang),
        })}
      </p>
      <p>{t(`certificates.link.problems.${reason}.next`)}</p>
      <p>
        <Link to="/tte" data-testid="tte-link-problem-home">
          {t('certificates.link.toService')}
        </Link>
      </p>
    </div>
  );
}

/** The application a link belongs to, as the applicant sees it. */
export function LinkSummary({ link }: { link: LinkView }) {
  const { t } = useTranslation();
  const lang = useLocale();
  return (
    <div className="card" data-testid="tte-link-summary">
      <dl className="meta-list meta-grid">
        <dt>{t('certificates.fields.number')}</dt>
        <dd className="mono" data-testid="tte-link-number">
          {link.number}
        </dd>
        <dt>{t('certificates.fields.procedure')}</dt>
        <dd>{t(`certificates.procedures.${link.procedure}`)}</dd>
        <dt>{t('certificates.fields.fullName')}</dt>
        <dd data-testid="tte-link-name">{link.fullName}</dd>
        <dt>{t('certificates.fields.email')}</dt>
        <dd>{link.email}</dd>
        <dt>{t('certificates.fields.nik')}</dt>
        <dd className="mono">{link.nikMasked}</dd>
        <dt>{t('certificates.fields.positionTitle')}</dt>
        <dd>{link.positionTitle}</dd>
        <dt>{t('certificates.link.validUntil')}</dt>
        <dd data-testid="tte-link-expires">{formatDateTime(link.expiresAt, lang)}</dd>
      </dl>
      <p className="field-hint">{t('certificates.link.notYou')}</p>
    </div>
  );
}
