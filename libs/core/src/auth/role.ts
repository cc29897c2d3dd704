export const ROLES = [
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
] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export const ROLE_LABELS: Record<Role, { id: string; en: string }> = {
  admin: { id: 'Administrator', en: 'Administrator' },
  helpdesk: { id: 'Helpdesk SOC', en: 'SOC helpdesk' },
  incident_data: { id: 'Tim Manajemen Data Insiden', en: 'Incident data management team' },
  incident_analyst: { id: 'Tim Analisis Insiden', en: 'Incident analysis team' },
  incident_handler: { id: 'Tim Penanganan Insiden', en: 'Incident handling team' },
  verifier: { id: 'Verifikator', en: 'Verifier' },
  ra_operator: { id: 'Operator Otoritas Pendaftaran (RA)', en: 'Registration authority operator' },
  applicant: { id: 'Pemohon', en: 'Applicant' },
  jks_admin: { id: 'Administrator JKS', en: 'JKS administrator' },
  opd_official: { id: 'Pejabat OPD', en: 'OPD official' },
  backup_operator: { id: 'Operator Cadangan', en: 'Backup operator' },
  auditor: { id: 'Auditor', en: 'Auditor' },
};
