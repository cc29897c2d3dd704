import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { IncidentState, Priority, SlaClockStatus, TlpLabel } from '../../api/types';
import { Badge } from '../../components/status-badge';
import { stateTone, slaTone, tlpClass } from './incident-model';

export function StateBadge({ status, testId }: { status: IncidentState; testId?: string }) {
  const { t } = useTranslation();
  return (
    <span className={`badge badge-${stateTone(status)}`} data-testid={testId} data-status={status}>
      {t(`incidents.states.${status}`)}
    </span>
  );
}

const PRIORITY_TONE: Record<Priority, 'error' | 'warn' | 'info' | 'muted'> = { P1: 'error', P2: 'warn', P3: 'info', P4: 'muted' };

export function PriorityBadge({ priority, testId }: { priority: Priority; testId?: string }) {
  const { t } = useTranslation();
  return (
    <span
      className={`badge badge-${PRIORITY_TONE[priority]} priority`}
      data-testid={testId}
      data-priority={priority}
      title={t(`incidents.priorities.${priority}`)}
    >
      {priority}
      <span className="visually-hidden"> — {t(`incidents.priorities.${priority}`)}</span>
    </span>
  );
}

/** A TLP 2.0 label in FIRST's colours (coloured text on black), as the standard shows it. */
export function TlpBadge({ label, testId }: { label: TlpLabel; testId?: string }) {
  const { t } = useTranslation();
  return (
    <span className={tlpClass(label)} data-testid={testId} data-tlp={label} title={t(`incidents.tlpHints.${label}`)}>
      TLP:{label}
    </span>
  );
}

export function SlaBadge({ status, testId, children }: { status: SlaClockStatus; testId?: string; children?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Badge tone={slaTone(status)} testId={testId}>
      <span data-sla={status}>{children ?? t(`incidents.sla.${status}`)}</span>
    </Badge>
  );
}
