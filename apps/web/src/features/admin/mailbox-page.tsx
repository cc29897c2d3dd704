import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { MailStatus, OutboxMessage } from '../../api/types';
import { formatDateTime } from '../../components/format';
import { PagedTable } from '../../components/data-table';
import { ProblemAlert } from '../../components/problem-alert';
import { Badge } from '../../components/status-badge';
import { useAsync } from '../../components/use-async';
import { useListParams } from '../../components/use-list-params';
import { useLocale } from '../../components/use-locale';
import { usePageTitle } from '../../components/use-page-title';

const PAGE_SIZE = 20;

const TONE: Record<MailStatus, 'ok' | 'warn' | 'error' | 'info' | 'muted'> = {
  pending: 'info',
  sending: 'info',
  sent: 'ok',
  failed: 'warn',
  dead: 'error',
};

export function MailboxPage() {
  const { t } = useTranslation();
  const lang = useLocale();
  const { page, goToPage } = useListParams();
  const [openId, setOpenId] = useState<string | null>(null);
  usePageTitle(t('mailbox.title'));

  const list = useAsync((signal) => api.mailbox.list({ page, pageSize: PAGE_SIZE }, { signal }), [page]);
  const open = list.data?.items.find((m) => m.id === openId) ?? null;

  return (
    <section className="page">
      <div className="page-header">
        <h1>{t('mailbox.title')}</h1>
        <button type="button" className="btn btn-secondary" data-testid="mailbox-refresh" onClick={list.reload} disabled={list.loading}>
          {t('common.refresh')}
        </button>
      </div>
      <p className="lead">{t('mailbox.intro')}</p>
      <ProblemAlert error={list.error} testId="mailbox-load-error" />

      {open && <MessageDetail message={open} onClose={() => setOpenId(null)} />}

      <PagedTable
        testId="mailbox-table"
        caption={t('mailbox.title')}
        columns={[
          { label: t('mailbox.to') },
          { label: t('mailbox.subject') },
          { label: t('mailbox.status') },
          { label: t('mailbox.attempts'), className: 'num' },
          { label: t('mailbox.lastError') },
          { label: t('mailbox.created') },
          { label: t('mailbox.sent') },
          { label: t('common.actions'), hidden: true },
        ]}
        list={list}
        onPage={goToPage}
        empty={t('mailbox.empty')}
        emptyTestId="mailbox-empty"
        row={(m) => (
          <tr key={m.id} data-testid={`mail-row-${m.id}`} className={m.id === openId ? 'row-selected' : undefined}>
            <td className="break-word">{m.to}</td>
            <td>{m.subject}</td>
            <td>
              <Badge tone={TONE[m.status]} testId={`mail-status-${m.id}`}>
                {t(`mailbox.statuses.${m.status}`)}
              </Badge>
            </td>
            <td className="num">{m.attempts}</td>
            <td className="cell-error" title={m.lastError ?? undefined}>
              {m.lastError ?? '—'}
            </td>
            <td className="nowrap">{formatDateTime(m.createdAt, lang)}</td>
            <td className="nowrap">{formatDateTime(m.sentAt, lang)}</td>
            <td className="actions">
              <button
                type="button"
                className="btn btn-small"
                data-testid={`mail-view-${m.id}`}
                aria-label={t('mailbox.viewAria', { subject: m.subject })}
                aria-pressed={m.id === openId}
                onClick={() => setOpenId(m.id)}
              >
                {t('common.view')}
              </button>
            </td>
          </tr>
        )}
      />
    </section>
  );
}

function MessageDetail({ message, onClose }: { message: OutboxMessage; onClose: () => void }) {
  const { t } = useTranslation();
  const lang = useLocale();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [message.id]);

  return (
    <section className="card" data-testid="mail-detail" aria-labelledby="mail-detail-heading">
      <div className="card-header">
        <h2 id="mail-detail-heading" ref={heading} tabIndex={-1} data-testid="mail-detail-subject">
          {message.subject}
        </h2>
        <button type="button" className="btn btn-secondary btn-small" data-testid="mail-detail-close" onClick={onClose}>
          {t('common.close')}
        </button>
      </div>
      <dl className="meta-list meta-grid">
        <dt>{t('mailbox.to')}</dt>
        <dd data-testid="mail-detail-to">{message.to}</dd>
        <dt>{t('mailbox.status')}</dt>
        <dd>{t(`mailbox.statuses.${message.status}`)}</dd>
        <dt>{t('mailbox.attempts')}</dt>
        <dd>{message.attempts}</dd>
        <dt>{t('mailbox.transport')}</dt>
        <dd>{message.transport ?? '—'}</dd>
        <dt>{t('mailbox.created')}</dt>
        <dd>{formatDateTime(message.createdAt, lang)}</dd>
        <dt>{t('mailbox.sent')}</dt>
        <dd>{formatDateTime(message.sentAt, lang)}</dd>
        {message.lastError && (
          <>
            <dt>{t('mailbox.lastError')}</dt>
            <dd className="cell-error">{message.lastError}</dd>
          </>
        )}
      </dl>
      <h3>{t('mailbox.body')}</h3>
      <pre className="mail-body" data-testid="mail-detail-text">
        {message.text}
      </pre>
    </section>
  );
}
