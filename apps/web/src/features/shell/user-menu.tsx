import { useEffect, useId, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useAuth, useMe } from '../auth/auth-context';
import { PASSWORD_PATH } from '../auth/require-auth';
import { useRoleLabels } from './role-labels';

/** Disclosure menu (button + panel): simpler for keyboard and screen readers than an ARIA menu. */
export function UserMenu() {
  const { t } = useTranslation();
  const me = useMe();
  const { logout } = useAuth();
  const { label } = useRoleLabels();
  const [open, setOpen] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const panelId = useId();

  useEffect(() => {
    if (!open) return;
    const onPointer = (e: PointerEvent) => {
      if (!rootRef.current?.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setOpen(false);
        buttonRef.current?.focus();
      }
    };
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  const roleText = me.roles.map(label).join(', ');

  return (
    <div className="user-menu" ref={rootRef}>
      <button
        ref={buttonRef}
        type="button"
        className="user-menu-button"
        data-testid="user-menu"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((o) => !o)}
      >
        <span className="avatar" aria-hidden="true">
          {initials(me.fullName || me.username)}
        </span>
        <span className="user-menu-text">
          <span className="user-menu-name" data-testid="user-menu-name">
            {me.fullName || me.username}
          </span>
          <span className="user-menu-roles" data-testid="user-menu-roles">
            {roleText || t('roles.none')}
          </span>
        </span>
        <span className="caret" aria-hidden="true" />
      </button>
      {open && (
        <div className="user-menu-panel" id={panelId}>
          <div className="user-menu-header">
            <strong>{me.fullName}</strong>
            <span className="muted">@{me.username}</span>
            {me.unitName && <span className="muted">{me.unitName}</span>}
          </div>
          <ul>
            <li>
              <Link to={PASSWORD_PATH} data-testid="user-menu-password" onClick={() => setOpen(false)}>
                {t('userMenu.changePassword')}
              </Link>
            </li>
            <li>
              <button type="button" data-testid="logout" onClick={() => void logout()}>
                {t('userMenu.logout')}
              </button>
            </li>
          </ul>
        </div>
      )}
    </div>
  );
}

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? parts[0][0] + parts[parts.length - 1][0] : name.slice(0, 2);
  return letters.toUpperCase();
}
