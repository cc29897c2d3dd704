import type { ParseKeys } from 'i18next';
import type { RoleCode } from '../../api/types';

/**
 * The side navigation and the route guards both read this table, so a link is shown exactly
 * when its page may be opened. A feature adds its page by adding one entry here and one
 * <Route> in app.tsx. `roles: 'all'` means every signed-in user; the server still checks.
 */
export interface NavItem {
  /** Stable id; the link gets data-testid="nav-<id>". */
  id: string;
  path: string;
  labelKey: ParseKeys;
  roles: readonly RoleCode[] | 'all';
}

export const NAV_ITEMS = [
  { id: 'home', path: '/', labelKey: 'nav.home', roles: 'all' },
  { id: 'users', path: '/admin/users', labelKey: 'nav.users', roles: ['admin'] },
  { id: 'units', path: '/admin/units', labelKey: 'nav.units', roles: ['admin'] },
  { id: 'audit', path: '/audit', labelKey: 'nav.audit', roles: ['admin', 'auditor'] },
  { id: 'mailbox', path: '/admin/mailbox', labelKey: 'nav.mailbox', roles: ['admin'] },
  { id: 'jobs', path: '/admin/jobs', labelKey: 'nav.jobs', roles: ['admin', 'backup_operator', 'auditor'] },
] as const satisfies readonly NavItem[];

export type NavId = (typeof NAV_ITEMS)[number]['id'];

export function canUse(item: NavItem, userRoles: readonly string[]): boolean {
  return item.roles === 'all' || item.roles.some((r) => userRoles.includes(r));
}

export function visibleNav(userRoles: readonly string[]): NavItem[] {
  return NAV_ITEMS.filter((item) => canUse(item, userRoles));
}

export function navItem(id: NavId): NavItem {
  const item = NAV_ITEMS.find((i) => i.id === id);
  if (!item) throw new Error(`unknown nav item ${id}`);
  return item;
}
