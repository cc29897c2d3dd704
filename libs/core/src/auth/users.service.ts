import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { CommonException } from '../http/app.exception.js';
import { offsetOf, pageOf, type Page } from '../http/pagination.js';
import { NotifyService } from '../notify/notify.service.js';
import { OrgUnitEntity } from '../organisation/org-unit.entity.js';
import { PositionEntity } from '../organisation/position.entity.js';
import { AuthErrorCode, AuthException } from './auth.exception.js';
import { assertPasswordPolicy } from './auth.service.js';
import type { CreateUserDto, UpdateUserDto, UserDto, UserQueryDto } from './dto/user.dto.js';
import type { MeDto } from './dto/auth.dto.js';
import { hashPassword } from './password.hasher.js';
import { UserEntity } from './user.entity.js';

/** What the audit trail keeps of a user: never the hash, never the password. */
function auditView(u: UserEntity) {
  return {
    username: u.username,
    fullName: u.fullName,
    email: u.email,
    roles: u.roles,
    unitId: u.unitId,
    positionId: u.positionId,
    active: u.active,
    locale: u.locale,
  };
}

@Injectable()
export class UsersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly notify: NotifyService,
  ) {}

  async profile(userId: string): Promise<MeDto> {
    const u = await this.get(userId);
    return {
      id: u.id,
      username: u.username,
      fullName: u.fullName,
      email: u.email,
      roles: u.roles,
      unitId: u.unitId,
      unitName: u.unitName,
      locale: u.locale,
      mustChangePassword: u.mustChangePassword,
    };
  }

  async list(q: UserQueryDto): Promise<Page<UserDto>> {
    const qb = this.dataSource
      .getRepository(UserEntity)
      .createQueryBuilder('u')
      .leftJoin(OrgUnitEntity, 'unit', 'unit.id = u.unitId')
      .addSelect('unit.name', 'unit_name')
      .orderBy('lower(u.username)', 'ASC')
      .offset(offsetOf(q))
      .limit(q.pageSize);
    if (q.q) {
      const term = `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`).toLowerCase()}%`;
      qb.andWhere('(lower(u.username) LIKE :term OR lower(u.fullName) LIKE :term OR lower(u.email) LIKE :term)', { term });
    }
    if (q.role) qb.andWhere(':role = ANY(u.roles)', { role: q.role });
    if (q.unitId) qb.andWhere('u.unitId = :unitId', { unitId: q.unitId });
    const [{ entities, raw }, total] = await Promise.all([qb.getRawAndEntities(), qb.getCount()]);
    return pageOf(
      entities.map((u, i) => toDto(u, (raw[i] as { unit_name?: string | null }).unit_name ?? null)),
      total,
      q,
    );
  }

  async get(id: string): Promise<UserDto> {
    const row = await this.dataSource
      .getRepository(UserEntity)
      .createQueryBuilder('u')
      .leftJoin(OrgUnitEntity, 'unit', 'unit.id = u.unitId')
      .addSelect('unit.name', 'unit_name')
      .where('u.id = :id', { id })
      .getRawAndEntities();
    const u = row.entities[0];
    if (!u) throw new AuthException(AuthErrorCode.UserNotFound, `Pengguna ${id} tidak ditemukan (user not found)`);
    return toDto(u, (row.raw[0] as { unit_name?: string | null }).unit_name ?? null);
  }

  async create(dto: CreateUserDto, options: { mustChangePassword?: boolean } = {}): Promise<UserDto> {
    assertPasswordPolicy(dto.password, dto.username);
    const hash = await hashPassword(dto.password);
    const id = await this.dataSource.transaction(async (em) => {
      await this.assertUsernameFree(em, dto.username);
      await this.assertPlacement(em, dto.unitId ?? null, dto.positionId ?? null);
      const user = await em.save(
        em.create(UserEntity, {
          username: dto.username,
          fullName: dto.fullName,
          email: dto.email,
          passwordHash: hash,
          roles: dto.roles,
          unitId: dto.unitId ?? null,
          positionId: dto.positionId ?? null,
          locale: dto.locale ?? 'id',
          mustChangePassword: options.mustChangePassword ?? true,
        }),
      );
      await this.audit.record(em, { action: 'user.created', entityType: 'user', entityId: user.id, after: auditView(user) });
      return user.id;
    });
    return this.get(id);
  }

  async update(id: string, dto: UpdateUserDto, actorId?: string): Promise<UserDto> {
    await this.dataSource.transaction(async (em) => {
      const user = await this.lockUser(em, id);
      const before = auditView(user);
      if (actorId === id && (dto.active === false || (dto.roles && !dto.roles.includes('admin') && user.roles.includes('admin')))) {
        throw new AuthException(
          AuthErrorCode.CannotLockOutSelf,
          'Anda tidak dapat menonaktifkan atau mencabut peran admin diri sendiri (cannot lock yourself out)',
        );
      }
      const unitId = dto.unitId !== undefined ? dto.unitId : user.unitId;
      const positionId = dto.positionId !== undefined ? dto.positionId : user.positionId;
      await this.assertPlacement(em, unitId, positionId);
      Object.assign(user, {
        ...(dto.fullName !== undefined && { fullName: dto.fullName }),
        ...(dto.email !== undefined && { email: dto.email }),
        ...(dto.roles !== undefined && { roles: dto.roles }),
        ...(dto.locale !== undefined && { locale: dto.locale }),
        ...(dto.active !== undefined && { active: dto.active }),
        unitId,
        positionId,
      });
      await em.save(user);
      if (dto.active === false) {
        await em.query(
          `UPDATE auth_sessions SET revoked_at = now(), revoked_reason = 'deactivated' WHERE user_id = $1 AND revoked_at IS NULL`,
          [id],
        );
      }
      await this.audit.record(em, { action: 'user.updated', entityType: 'user', entityId: id, before, after: auditView(user) });
    });
    return this.get(id);
  }

  async unlock(id: string): Promise<UserDto> {
    await this.dataSource.transaction(async (em) => {
      const user = await this.lockUser(em, id);
      await em.update(UserEntity, id, { lockedUntil: null, failedLogins: 0 });
      await this.audit.record(em, {
        action: 'user.unlocked',
        entityType: 'user',
        entityId: id,
        before: { lockedUntil: user.lockedUntil?.toISOString() ?? null },
      });
    });
    return this.get(id);
  }

  /** Sets a temporary password: the user must change it at next login, and all sessions end. */
  async resetPassword(id: string, password: string): Promise<void> {
    const target = await this.get(id);
    assertPasswordPolicy(password, target.username);
    const hash = await hashPassword(password);
    await this.dataSource.transaction(async (em) => {
      const user = await this.lockUser(em, id);
      await em.update(UserEntity, id, {
        passwordHash: hash,
        mustChangePassword: true,
        failedLogins: 0,
        lockedUntil: null,
        passwordChangedAt: new Date(),
      });
      await em.query(
        `UPDATE auth_sessions SET revoked_at = now(), revoked_reason = 'password_reset' WHERE user_id = $1 AND revoked_at IS NULL`,
        [id],
      );
      await this.audit.record(em, { action: 'user.password_reset', entityType: 'user', entityId: id });
      await this.notify.enqueue(em, {
        to: user.email,
        template: 'auth.password_reset_by_admin',
        locale: user.locale,
        vars: { name: user.fullName, username: user.username },
      });
    });
  }

  private async lockUser(em: EntityManager, id: string): Promise<UserEntity> {
    const user = await em
      .getRepository(UserEntity)
      .createQueryBuilder('u')
      .setLock('pessimistic_write')
      .where('u.id = :id', { id })
      .getOne();
    if (!user) throw new AuthException(AuthErrorCode.UserNotFound, `Pengguna ${id} tidak ditemukan (user not found)`);
    return user;
  }

  private async assertUsernameFree(em: EntityManager, username: string): Promise<void> {
    const taken = await em
      .getRepository(UserEntity)
      .createQueryBuilder('u')
      .where('lower(u.username) = lower(:username)', { username })
      .getExists();
    if (taken) {
      throw new AuthException(AuthErrorCode.UsernameTaken, `Nama pengguna '${username}' sudah dipakai (username taken)`, {
        errors: [{ field: 'username', message: 'sudah dipakai (already taken)' }],
      });
    }
  }

  private async assertPlacement(em: EntityManager, unitId: string | null, positionId: string | null): Promise<void> {
    if (unitId && !(await em.existsBy(OrgUnitEntity, { id: unitId }))) {
      throw CommonException.validation([{ field: 'unitId', message: 'unit tidak ditemukan (unit not found)' }]);
    }
    if (positionId) {
      const position = await em.findOneBy(PositionEntity, { id: positionId });
      if (!position) throw CommonException.validation([{ field: 'positionId', message: 'jabatan tidak ditemukan (position not found)' }]);
      if (position.unitId !== unitId) {
        throw CommonException.validation([
          { field: 'positionId', message: 'jabatan bukan milik unit ini (position belongs to another unit)' },
        ]);
      }
    }
  }
}

function toDto(u: UserEntity, unitName: string | null): UserDto {
  return {
    id: u.id,
    username: u.username,
    fullName: u.fullName,
    email: u.email,
    roles: u.roles,
    unitId: u.unitId,
    unitName,
    positionId: u.positionId,
    locale: u.locale,
    active: u.active,
    lockedUntil: u.lockedUntil && u.lockedUntil > new Date() ? u.lockedUntil.toISOString() : null,
    mustChangePassword: u.mustChangePassword,
    lastLoginAt: u.lastLoginAt?.toISOString() ?? null,
    createdAt: u.createdAt.toISOString(),
  };
}
