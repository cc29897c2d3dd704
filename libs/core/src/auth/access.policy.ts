import type { Role } from './role.js';

/**
 * The one table of who may do what. Every route names one permission with `@Access(...)` (or is
 * `@Public()`), the guard checks the caller's roles against this table, and the route × role test
 * walks every route and every role against this same table.
 */
export const ACCESS = {
  /** Any signed-in user: own profile, own password, role labels. */
  self: [
    'admin',
    'helpdesk',
    'incident_data',
    'incident_analyst',
    'incident_handler',
    'verifier',
    'ra_operator',
    'applicant',
    'jks_admin',
    'opd_official',
    'backup_operator',
    'auditor',
  ],
  'users.read': ['admin'],
  'users.manage': ['admin'],
  'org.read': [
    'admin',
    'helpdesk',
    'incident_data',
    'incident_analyst',
    'incident_handler',
    'verifier',
    'ra_operator',
    'jks_admin',
    'auditor',
  ],
  'org.manage': ['admin'],
  'audit.read': ['admin', 'auditor'],
  'mailbox.read': ['admin'],
  'jobs.read': ['admin', 'backup_operator', 'auditor'],
  /** SOC incidents (libs/incidents). Which team may take which workflow step is the incident workflow table's business. */
  'incidents.report': ['helpdesk'],
  'incidents.read': ['admin', 'helpdesk', 'incident_data', 'incident_analyst', 'incident_handler', 'auditor'],
  'incidents.work': ['helpdesk', 'incident_data', 'incident_analyst', 'incident_handler'],
  'incidents.evidence': ['admin', 'helpdesk', 'incident_data', 'incident_analyst', 'incident_handler'],
  /** Re-hashing stored evidence reveals no content: auditors may check the chain of custody too. */
  'incidents.evidence.verify': ['admin', 'helpdesk', 'incident_data', 'incident_analyst', 'incident_handler', 'auditor'],
  /** The reporter's full phone number (masked elsewhere); every reveal is audited. */
  'incidents.reporter_contact': ['admin', 'helpdesk', 'incident_data', 'incident_analyst', 'incident_handler'],
  'incidents.export': ['admin', 'helpdesk', 'incident_data', 'incident_analyst', 'incident_handler', 'auditor'],
  'incidents.share': ['incident_data', 'incident_analyst', 'incident_handler'],
  'incidents.templates.read': ['admin', 'helpdesk', 'incident_data', 'incident_analyst', 'incident_handler', 'auditor'],
  'incidents.templates.manage': ['incident_data', 'incident_analyst'],
  /** E-signature certificates (libs/certificates). Which role may take which procedure step is the certificate workflow table's business. */
  'certificates.read': ['admin', 'verifier', 'ra_operator', 'auditor'],
  'certificates.apply': ['verifier'],
  'certificates.work': ['verifier', 'ra_operator'],
  'certificates.documents': ['verifier', 'ra_operator'],
  'certificates.ca.read': ['admin', 'verifier', 'ra_operator', 'auditor'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof ACCESS;

export function rolesFor(permission: Permission): readonly Role[] {
  return ACCESS[permission];
}

export function isAllowed(permission: Permission, roles: readonly string[]): boolean {
  const allowed: readonly string[] = ACCESS[permission];
  return roles.some((r) => allowed.includes(r));
}
