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
  /** A page reached from another page rather than from the side navigation; still guarded by `roles`. */
  hidden?: boolean;
}

/** The SOC teams and the readers of incidents (`incidents.read` in libs/core access.policy.ts). */
const INCIDENT_READERS = [
  'helpdesk',
  'incident_data',
  'incident_analyst',
  'incident_handler',
  'admin',
  'auditor',
] as const satisfies readonly RoleCode[];

/** Readers of the e-signature certificate service (`certificates.read` in libs/core access.policy.ts). */
const CERTIFICATE_READERS = ['verifier', 'ra_operator', 'admin', 'auditor'] as const satisfies readonly RoleCode[];

export const NAV_ITEMS = [
  { id: 'home', path: '/', labelKey: 'nav.home', roles: 'all' },
  { id: 'incidents', path: '/insiden', labelKey: 'nav.incidents', roles: INCIDENT_READERS },
  { id: 'incident-metrics', path: '/insiden/metrik', labelKey: 'nav.incidentMetrics', roles: INCIDENT_READERS },
  { id: 'incident-new', path: '/insiden/baru', labelKey: 'nav.incidentNew', roles: ['helpdesk'], hidden: true },
  { id: 'incident-templates', path: '/insiden/templat', labelKey: 'nav.incidentTemplates', roles: INCIDENT_READERS, hidden: true },
  { id: 'certificates', path: '/sertifikat', labelKey: 'certificates.nav.certificates', roles: CERTIFICATE_READERS },
  // Issuance, and renewal / update / revocation started from a certificate: the verifier's (`certificates.apply`).
  { id: 'certificate-apply', path: '/sertifikat/baru', labelKey: 'certificates.nav.apply', roles: ['verifier'], hidden: true },
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
  return NAV_ITEMS.filter((item: NavItem) => !item.hidden && canUse(item, userRoles));
}

export function navItem(id: NavId): NavItem {
  const item = NAV_ITEMS.find((i) => i.id === id);
  if (!item) throw new Error(`unknown nav item ${id}`);
  return item;
}

/**
 * The entry to highlight for a path: the visible entry with the longest matching path, so that
 * /insiden/metrik lights "Metrik SOC" while /insiden/<id> (no entry of its own) lights "Insiden".
 */
export function currentNavId(pathname: string, items: readonly NavItem[]): string | undefined {
  let best: NavItem | undefined;
  for (const item of items) {
    const match = item.path === '/' ? pathname === '/' : pathname === item.path || pathname.startsWith(`${item.path}/`);
    if (match && (!best || item.path.length > best.path.length)) best = item;
  }
  return best?.id;
}
