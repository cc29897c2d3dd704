import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { StaffReportReceipt } from '../../api/types';
import { useAsync } from '../../components/use-async';
import { usePageTitle } from '../../components/use-page-title';
import { ReportForm } from './report-form';

/** /insiden/baru — the helpdesk records a report received by phone, letter, e-mail or in person. */
export function IntakePage() {
  const { t } = useTranslation();
  const units = useAsync((signal) => api.units.list({ signal }), []);
  const [receipt, setReceipt] = useState<StaffReportReceipt | null>(null);
  const [round, setRound] = useState(0);
  usePageTitle(t('incidents.intake.title'));

  return (
    <section className="page page-medium">
      {receipt ? (
        <IntakeReceipt
          receipt={receipt}
          onAnother={() => {
            setReceipt(null);
            setRound((n) => n + 1);
          }}
        />
      ) : (
        <>
          <h1>{t('incidents.intake.title')}</h1>
          <p className="lead">{t('incidents.intake.intro')}</p>
          <ReportForm
            key={round}
            mode="staff"
            prefix="intake"
            units={units.data ?? []}
            submit={async (form) => {
              setReceipt(await api.incidents.report(form));
              window.scrollTo({ top: 0 });
            }}
          />
        </>
      )}
    </section>
  );
}

function IntakeReceipt({ receipt, onAnother }: { receipt: StaffReportReceipt; onAnother: () => void }) {
  const { t } = useTranslation();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const mailed = Boolean(receipt.incident.reporterEmail);
  return (
    <div className="receipt" data-testid="intake-success">
      <h1 ref={heading} tabIndex={-1}>
        {t('incidents.intake.done')}
      </h1>
      <div className="card receipt-card">
        <p>{t('report.ticketLabel')}</p>
        <p className="ticket-big" data-testid="intake-ticket">
          {receipt.incident.ticket}
        </p>
      </div>
      <div className="alert alert-warn" role="alert">
        <p className="alert-title">{t('incidents.intake.linkOnce')}</p>
        <p>{mailed ? t('incidents.intake.linkMailed') : t('incidents.intake.linkNotMailed')}</p>
      </div>
      <div className="card">
        <label htmlFor="intake-tracking-url" className="label-strong">
          {t('report.trackingLink')}
        </label>
        <input
          id="intake-tracking-url"
          data-testid="intake-tracking-url"
          className="mono"
          readOnly
          value={receipt.trackingUrl}
          onFocus={(e) => e.target.select()}
        />
        <div className="form-actions">
          <Link to={`/insiden/${receipt.incident.id}`} className="btn btn-primary" data-testid="intake-open-incident">
            {t('incidents.intake.open')}
          </Link>
          <button type="button" className="btn btn-secondary" data-testid="intake-another" onClick={onAnother}>
            {t('incidents.intake.another')}
          </button>
        </div>
      </div>
    </div>
  );
}
