import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { User } from '../../api/types';
import { formatDateTime, isLockedNow } from '../../components/format';
import { PagedTable } from '../../components/data-table';
import { SearchForm } from '../../components/list-toolbar';
import { Notice, ProblemAlert } from '../../components/problem-alert';
import { Badge } from '../../components/status-badge';
import { useAsync } from '../../components/use-async';
import { useListParams } from '../../components/use-list-params';
import { usePageTitle } from '../../components/use-page-title';
import { useLocale } from '../../components/use-locale';
import { useRoleLabels } from '../shell/role-labels';
import { ResetPasswordForm, UserForm } from './user-form';

const PAGE_SIZE = 20;

type Panel = { kind: 'create' } | { kind: 'edit'; user: User } | { kind: 'reset'; user: User } | null;

export function UsersPage() {
  const { t } = useTranslation();
  const lang = useLocale();
  const { roles, label } = useRoleLabels();
  const { params, page, update, goToPage } = useListParams();
  const q = params.get('q') ?? '';
  const [panel, setPanel] = useState<Panel>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  usePageTitle(t('users.title'));

  const list = useAsync((signal) => api.users.list({ page, pageSize: PAGE_SIZE, q: q || undefined }, { signal }), [page, q]);
  const units = useAsync((signal) => api.units.list({ signal }), []);

  function saved(message: string) {
    setPanel(null);
    setNotice(message);
    setActionError(null);
    list.reload();
  }

  async function unlock(user: User) {
    setNotice(null);
    setActionError(null);
    try {
      await api.users.unlock(user.id);
      saved(t('users.unlocked', { username: user.username }));
    } catch (err) {
      setActionError(err);
    }
  }

  function open(next: Panel) {
    setNotice(null);
    setActionError(null);
    setPanel(next);
  }

  return (
    <section className="page">
      <div className="page-header">
        <h1>{t('users.title')}</h1>
        <button type="button" className="btn btn-primary" data-testid="users-create-open" onClick={() => open({ kind: 'create' })}>
          {t('users.createOpen')}
        </button>
      </div>

      {notice && <Notice testId="users-notice">{notice}</Notice>}
      <ProblemAlert error={actionError} testId="users-error" />

      {panel?.kind === 'create' && (
        <UserForm
          roles={roles}
          units={units.data ?? []}
          onSaved={(u) => saved(t('users.created', { username: u.username }))}
          onCancel={() => setPanel(null)}
        />
      )}
      {panel?.kind === 'edit' && (
        <UserForm
          key={panel.user.id}
          user={panel.user}
          roles={roles}
          units={units.data ?? []}
          onSaved={(u) => saved(t('users.updated', { username: u.username }))}
          onCancel={() => setPanel(null)}
        />
      )}
      {panel?.kind === 'reset' && (
        <ResetPasswordForm
          key={panel.user.id}
          user={panel.user}
          onDone={() => saved(t('users.resetDone', { username: panel.user.username }))}
          onCancel={() => setPanel(null)}
        />
      )}

      <SearchForm
        id="users-search"
        label={t('users.search')}
        placeholder={t('users.searchPlaceholder')}
        value={q}
        onSearch={(v) => update({ q: v })}
      />

      <ProblemAlert error={list.error} testId="users-load-error" />

      <PagedTable
        testId="users-table"
        caption={t('users.title')}
        columns={[
          { label: t('users.user') },
          { label: t('users.roles') },
          { label: t('users.unit') },
          { label: t('users.status') },
          { label: t('users.lastLogin') },
          { label: t('common.actions'), hidden: true },
        ]}
        list={list}
        onPage={goToPage}
        empty={q ? t('users.noMatch', { q }) : t('common.empty')}
        emptyTestId="users-empty"
        row={(u) => {
          const locked = isLockedNow(u.lockedUntil);
          return (
            <tr key={u.id} data-testid={`user-row-${u.username}`}>
              <td>
                <div className="cell-strong" data-testid={`user-fullname-${u.username}`}>
                  {u.fullName}
                </div>
                <div className="cell-note">
                  <code>{u.username}</code> · <span className="break-word">{u.email}</span>
                </div>
              </td>
              <td>{u.roles.map(label).join(', ') || '—'}</td>
              <td>{u.unitName ?? '—'}</td>
              <td>
                <div className="badges badges-stack">
                  {u.active ? <Badge tone="ok">{t('users.active')}</Badge> : <Badge tone="muted">{t('users.inactive')}</Badge>}
                  {locked && (
                    <Badge tone="error" testId={`user-locked-${u.username}`}>
                      {t('users.lockedUntil', { time: formatDateTime(u.lockedUntil, lang) })}
                    </Badge>
                  )}
                  {u.mustChangePassword && <Badge tone="warn">{t('users.mustChange')}</Badge>}
                </div>
              </td>
              <td className="cell-small">{formatDateTime(u.lastLoginAt, lang)}</td>
              <td className="actions">
                <div className="action-group">
                  <button
                    type="button"
                    className="btn btn-small"
                    data-testid={`user-edit-${u.username}`}
                    aria-label={t('users.editAria', { username: u.username })}
                    onClick={() => open({ kind: 'edit', user: u })}
                  >
                    {t('common.edit')}
                  </button>
                  {locked && (
                    <button
                      type="button"
                      className="btn btn-small"
                      data-testid={`user-unlock-${u.username}`}
                      aria-label={t('users.unlockAria', { username: u.username })}
                      onClick={() => void unlock(u)}
                    >
                      {t('users.unlock')}
                    </button>
                  )}
                  <button
                    type="button"
                    className="btn btn-small"
                    data-testid={`user-reset-${u.username}`}
                    aria-label={t('users.resetAria', { username: u.username })}
                    onClick={() => open({ kind: 'reset', user: u })}
                  >
                    {t('users.reset')}
                  </button>
                </div>
              </td>
            </tr>
          );
        }}
      />
    </section>
  );
}
