import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { hashPassword } from '../auth/password.hasher.js';
import { ROLE_LABELS, ROLES, type Role } from '../auth/role.js';
import { UserEntity } from '../auth/user.entity.js';
import { requestContext } from '../context/request-context.js';
import { SystemStateEntity } from '../database/system-state.entity.js';
import { OrgUnitEntity, type UnitKind } from '../organisation/org-unit.entity.js';
import { PositionEntity } from '../organisation/position.entity.js';

/** Demo password of every seeded account (documented in README; demo installs only). */
export const DEMO_PASSWORD = 'Sandi#Demo2026';

const UNITS: Array<{ code: string; name: string; kind: UnitKind; parent?: string; positions: string[] }> = [
  { code: 'PEMDA', name: 'Pemerintah Kabupaten Contoh', kind: 'lainnya', positions: ['Sekretaris Daerah'] },
  {
    code: 'DISKOMINFO',
    name: 'Dinas Komunikasi dan Informatika',
    kind: 'dinas',
    parent: 'PEMDA',
    positions: ['Kepala Dinas', 'Sekretaris Dinas'],
  },
  {
    code: 'BID-SANDI',
    name: 'Bidang Persandian dan Keamanan Informasi',
    kind: 'bidang',
    parent: 'DISKOMINFO',
    positions: ['Kepala Bidang Persandian', 'Sandiman Ahli Muda', 'Analis Keamanan Informasi'],
  },
  {
    code: 'CSIRT',
    name: 'Contoh-CSIRT (Tim Tanggap Insiden Siber)',
    kind: 'seksi',
    parent: 'BID-SANDI',
    positions: ['Ketua Tim', 'Anggota Tim'],
  },
  { code: 'BKPSDM', name: 'Badan Kepegawaian dan Pengembangan SDM', kind: 'badan', parent: 'PEMDA', positions: ['Kepala Badan'] },
  {
    code: 'DINKES',
    name: 'Dinas Kesehatan',
    kind: 'dinas',
    parent: 'PEMDA',
    positions: ['Kepala Dinas', 'Kepala Bidang Pelayanan Kesehatan'],
  },
  { code: 'BAPPEDA', name: 'Badan Perencanaan Pembangunan Daerah', kind: 'badan', parent: 'PEMDA', positions: ['Kepala Badan'] },
];

const USER_UNIT: Record<Role, string> = {
  admin: 'BID-SANDI',
  helpdesk: 'CSIRT',
  incident_data: 'CSIRT',
  incident_analyst: 'CSIRT',
  incident_handler: 'CSIRT',
  verifier: 'BID-SANDI',
  ra_operator: 'BID-SANDI',
  applicant: 'DINKES',
  jks_admin: 'BID-SANDI',
  opd_official: 'BAPPEDA',
  backup_operator: 'BID-SANDI',
  auditor: 'DISKOMINFO',
};

export interface DemoLogin {
  username: string;
  role: Role;
  label: string;
}

/** Seeds a demo organisation and one user per role, once, into an empty database. */
@Injectable()
export class DemoSeedService {
  private readonly logger = new Logger(DemoSeedService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  static logins(): DemoLogin[] {
    return ROLES.map((role) => ({ username: role.replace(/_/g, '.'), role, label: ROLE_LABELS[role].id }));
  }

  /** Returns the seeded logins, or null when the database already held data. */
  async seedIfEmpty(): Promise<DemoLogin[] | null> {
    // Every start calls this; skip the Argon2 hash unless there is something to seed.
    if ((await this.dataSource.getRepository(UserEntity).count()) > 0) return null;
    const hash = await hashPassword(DEMO_PASSWORD);
    return requestContext.runAsSystem('demo-seed', () =>
      this.dataSource.transaction(async (em) => {
        await em.query('SELECT pg_advisory_xact_lock(7346150001)');
        if ((await em.countBy(SystemStateEntity, { key: 'demo.seeded' })) > 0) return null;
        if ((await em.count(UserEntity)) > 0) return null;
        const ids = new Map<string, string>();
        for (const u of UNITS) {
          const unit = await em.save(
            em.create(OrgUnitEntity, { code: u.code, name: u.name, kind: u.kind, parentId: u.parent ? ids.get(u.parent)! : null }),
          );
          ids.set(u.code, unit.id);
          for (const title of u.positions) await em.save(em.create(PositionEntity, { unitId: unit.id, title, echelon: null }));
          await this.audit.record(em, {
            action: 'org.unit_created',
            entityType: 'org_unit',
            entityId: unit.id,
            after: { code: u.code, name: u.name },
          });
        }
        const logins = DemoSeedService.logins();
        for (const login of logins) {
          const user = await em.save(
            em.create(UserEntity, {
              username: login.username,
              fullName: `Demo ${ROLE_LABELS[login.role].id}`,
              email: `${login.username}@demo.sandi.local`,
              passwordHash: hash,
              roles: [login.role],
              unitId: ids.get(USER_UNIT[login.role]) ?? null,
              locale: 'id',
              mustChangePassword: false,
            }),
          );
          await this.audit.record(em, {
            action: 'user.created',
            entityType: 'user',
            entityId: user.id,
            after: { username: user.username, roles: user.roles },
          });
        }
        await em.save(em.create(SystemStateEntity, { key: 'demo.seeded', value: { at: new Date().toISOString() } }));
        this.logger.log(`Demo organisation seeded: ${UNITS.length} units, ${logins.length} users`);
        return logins;
      }),
    );
  }
}
