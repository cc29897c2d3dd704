import { useTranslation } from 'react-i18next';
import type { ApplicationState, CertificateStatus, SlaStatus, Verdict } from '../../api/certificates.types';
import { Badge } from '../../components/status-badge';
import { certificateTone, slaTone, stateTone, verdictTone } from './cert-model';

export function ApplicationStateBadge({ state, testId }: { state: ApplicationState; testId?: string }) {
  const { t } = useTranslation();
  return (
    <span className={`badge badge-${stateTone(state)}`} data-testid={testId} data-state={state}>
      {t(`certificates.states.${state}`)}
    </span>
  );
}

export function CertificateStatusBadge({
  status,
  dueForRenewal = false,
  testId,
}: {
  status: CertificateStatus;
  dueForRenewal?: boolean;
  testId?: string;
}) {
  const { t } = useTranslation();
  return (
    <span className={`badge badge-${certificateTone(status, dueForRenewal)}`} data-testid={testId} data-status={status}>
      {dueForRenewal && status === 'active' ? t('certificates.certStatus.dueForRenewal') : t(`certificates.certStatus.${status}`)}
    </span>
  );
}

/** Days left of a certificate: highlighted when renewal is due, muted once expired. */
export function DaysLeft({ daysLeft, dueForRenewal, testId }: { daysLeft: number; dueForRenewal: boolean; testId?: string }) {
  const { t } = useTranslation();
  if (daysLeft < 0) {
    return (
      <span className="muted" data-testid={testId} data-days={daysLeft}>
        {t('certificates.list.expiredAgo', { count: -daysLeft })}
      </span>
    );
  }
  return (
    <span className={dueForRenewal ? 'badge badge-warn' : undefined} data-testid={testId} data-days={daysLeft}>
      {t('certificates.list.daysLeft', { count: daysLeft })}
    </span>
  );
}

export function VerdictBadge({ verdict, testId }: { verdict: Verdict; testId?: string }) {
  const { t } = useTranslation();
  return (
    <span className={`badge badge-${verdictTone(verdict)} verdict-badge`} data-testid={testId} data-verdict={verdict}>
      {t(`certificates.verify.verdicts.${verdict}`)}
    </span>
  );
}

/** The service-time clock of an application, in the incident queue's colours. */
export function SlaBadge({ status, testId }: { status: SlaStatus; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Badge tone={slaTone(status)} testId={testId}>
      <span data-sla={status}>{t(`certificates.sla.${status}`)}</span>
    </Badge>
  );
}
