import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { ReportReceipt } from '../../api/types';
import { usePageTitle } from '../../components/use-page-title';
import { parseTrackingLink } from './incident-model';
import { ReportForm } from './report-form';

/** /lapor — a member of the public (or an OPD officer without an account) reports a cyber incident. */
export function ReportPage() {
  const { t } = useTranslation();
  const [receipt, setReceipt] = useState<ReportReceipt | null>(null);
  const [round, setRound] = useState(0);
  usePageTitle(t('report.title'));

  return (
    <section className="page page-medium">
      {receipt ? (
        <ReportReceiptView
          receipt={receipt}
          onAnother={() => {
            setReceipt(null);
            setRound((n) => n + 1);
          }}
        />
      ) : (
        <>
          <h1 data-testid="report-heading">{t('report.title')}</h1>
          <p className="lead">{t('report.intro')}</p>
          <details className="card service-steps" data-testid="report-steps">
            <summary>{t('report.stepsTitle')}</summary>
            <ol>
              {(['s1', 's2', 's3', 's4', 's5', 's6'] as const).map((s) => (
                <li key={s}>{t(`report.steps.${s}`)}</li>
              ))}
            </ol>
            <p className="muted">{t('report.serviceTime')}</p>
          </details>
          <div className="alert alert-warn" role="note">
            {t('report.emergency')}
          </div>
          <ReportForm
            key={round}
            mode="public"
            prefix="report"
            submit={async (form) => {
              const r = await api.publicIncidents.report(form);
              setReceipt(r);
              window.scrollTo({ top: 0 });
            }}
          />
        </>
      )}
    </section>
  );
}

function ReportReceiptView({ receipt, onAnother }: { receipt: ReportReceipt; onAnother: () => void }) {
  const { t } = useTranslation();
  const heading = useRef<HTMLHeadingElement>(null);
  const [copied, setCopied] = useState<'ok' | 'failed' | null>(null);
  const parsed = parseTrackingLink(receipt.trackingUrl);
  const trackingPath = parsed ? `/lacak#ticket=${encodeURIComponent(parsed.ticket)}&token=${encodeURIComponent(parsed.token)}` : '/lacak';

  useEffect(() => heading.current?.focus(), []);

  async function copy() {
    try {
      await navigator.clipboard.writeText(receipt.trackingUrl);
      setCopied('ok');
    } catch {
      setCopied('failed');
    }
  }

  return (
    <div className="receipt" data-testid="report-success">
      <h1 ref={heading} tabIndex={-1}>
        {t('report.successTitle')}
      </h1>
      <div className="card receipt-card">
        <p>{t('report.ticketLabel')}</p>
        <p className="ticket-big" data-testid="report-ticket">
          {receipt.ticket}
        </p>
        <p>{t('report.successBody')}</p>
      </div>
      <div className="alert alert-warn" role="alert" data-testid="report-keep-warning">
        <p className="alert-title">{t('report.keepTitle')}</p>
        <p>{t('report.keepBody')}</p>
      </div>
      <div className="card">
        <label htmlFor="report-tracking-url" className="label-strong">
          {t('report.trackingLink')}
        </label>
        <div className="copy-row">
          <input
            id="report-tracking-url"
            data-testid="report-tracking-url"
            className="mono"
            readOnly
            value={receipt.trackingUrl}
            onFocus={(e) => e.target.select()}
          />
          <button type="button" className="btn btn-secondary" data-testid="report-copy-link" onClick={() => void copy()}>
            {t('report.copy')}
          </button>
        </div>
        <p className="field-hint" aria-live="polite" data-testid="report-copy-status">
          {copied === 'ok' ? t('report.copied') : copied === 'failed' ? t('report.copyFailed') : ''}
        </p>
        <div className="form-actions">
          <Link to={trackingPath} className="btn btn-primary" data-testid="report-open-tracking">
            {t('report.openTracking')}
          </Link>
          <button type="button" className="btn btn-secondary" data-testid="report-another" onClick={onAnother}>
            {t('report.another')}
          </button>
        </div>
      </div>
    </div>
  );
}
