import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { CommonException } from '../http/app.exception.js';
import type { CreatePositionDto, CreateUnitDto, PositionDto, UnitDto, UpdateUnitDto } from './dto/organisation.dto.js';
import { OrgUnitEntity } from './org-unit.entity.js';
import { PositionEntity } from './position.entity.js';

const unitView = (u: OrgUnitEntity): UnitDto => ({
  id: u.id,
  code: u.code,
  name: u.name,
  kind: u.kind,
  parentId: u.parentId,
  active: u.active,
});
const positionView = (p: PositionEntity): PositionDto => ({ id: p.id, unitId: p.unitId, title: p.title, echelon: p.echelon });

/** The OPD tree and the positions inside each unit. */
@Injectable()
export class OrganisationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async listUnits(): Promise<UnitDto[]> {
    const units = await this.dataSource.getRepository(OrgUnitEntity).find({ order: { name: 'ASC' } });
    return units.map(unitView);
  }

  async getUnit(id: string): Promise<UnitDto> {
    const unit = await this.dataSource.getRepository(OrgUnitEntity).findOneBy({ id });
    if (!unit) throw CommonException.notFound('Unit', id);
    return unitView(unit);
  }

  async createUnit(dto: CreateUnitDto): Promise<UnitDto> {
    return this.dataSource.transaction(async (em) => {
      const exists = await em
        .getRepository(OrgUnitEntity)
        .createQueryBuilder('u')
        .where('lower(u.code) = lower(:code)', { code: dto.code })
        .getExists();
      if (exists) {
        throw CommonException.conflict(`Kode unit '${dto.code}' sudah dipakai (unit code taken)`);
      }
      if (dto.parentId) await this.requireUnit(em, dto.parentId, 'parentId');
      const unit = await em.save(
        em.create(OrgUnitEntity, { code: dto.code, name: dto.name, kind: dto.kind, parentId: dto.parentId ?? null }),
      );
      await this.audit.record(em, { action: 'org.unit_created', entityType: 'org_unit', entityId: unit.id, after: unitView(unit) });
      return unitView(unit);
    });
  }

  async updateUnit(id: string, dto: UpdateUnitDto): Promise<UnitDto> {
    return this.dataSource.transaction(async (em) => {
      const unit = await em
        .getRepository(OrgUnitEntity)
        .createQueryBuilder('u')
        .setLock('pessimistic_write')
        .where('u.id = :id', { id })
        .getOne();
      if (!unit) throw CommonException.notFound('Unit', id);
      const before = unitView(unit);
      if (dto.parentId !== undefined && dto.parentId !== null) {
        await this.requireUnit(em, dto.parentId, 'parentId');
        if (await this.isDescendantOrSelf(em, dto.parentId, id)) {
          throw CommonException.validation([
            { field: 'parentId', message: 'unit induk tidak boleh bawahannya sendiri (parent would create a cycle)' },
          ]);
        }
      }
      if (dto.name !== undefined) unit.name = dto.name;
      if (dto.kind !== undefined) unit.kind = dto.kind;
      if (dto.parentId !== undefined) unit.parentId = dto.parentId;
      if (dto.active !== undefined) unit.active = dto.active;
      await em.save(unit);
      await this.audit.record(em, { action: 'org.unit_updated', entityType: 'org_unit', entityId: id, before, after: unitView(unit) });
      return unitView(unit);
    });
  }

  async listPositions(unitId?: string): Promise<PositionDto[]> {
    const positions = await this.dataSource
      .getRepository(PositionEntity)
      .find({ where: unitId ? { unitId } : {}, order: { title: 'ASC' } });
    return positions.map(positionView);
  }

  async createPosition(dto: CreatePositionDto): Promise<PositionDto> {
    return this.dataSource.transaction(async (em) => {
      await this.requireUnit(em, dto.unitId, 'unitId');
      const dup = await em
        .getRepository(PositionEntity)
        .createQueryBuilder('p')
        .where('p.unitId = :unitId AND lower(p.title) = lower(:title)', { unitId: dto.unitId, title: dto.title })
        .getExists();
      if (dup) throw CommonException.conflict(`Jabatan '${dto.title}' sudah ada di unit ini (position exists)`);
      const p = await em.save(em.create(PositionEntity, { unitId: dto.unitId, title: dto.title, echelon: dto.echelon ?? null }));
      await this.audit.record(em, { action: 'org.position_created', entityType: 'org_position', entityId: p.id, after: positionView(p) });
      return positionView(p);
    });
  }

  private async requireUnit(em: EntityManager, id: string, field: string): Promise<void> {
    if (!(await em.existsBy(OrgUnitEntity, { id }))) {
      throw CommonException.validation([{ field, message: 'unit tidak ditemukan (unit not found)' }]);
    }
  }

  /** True when `candidate` is `unitId` or lies below it in the tree. */
  private async isDescendantOrSelf(em: EntityManager, candidate: string, unitId: string): Promise<boolean> {
    const rows: unknown[] = await em.query(
      `WITH RECURSIVE up(id, parent_id, depth) AS (
         SELECT id, parent_id, 0 FROM org_units WHERE id = $1
         UNION ALL SELECT u.id, u.parent_id, up.depth + 1 FROM org_units u JOIN up ON u.id = up.parent_id WHERE up.depth < 100
       ) SELECT 1 FROM up WHERE id = $2 LIMIT 1`,
      [candidate, unitId],
    );
    return rows.length > 0;
  }
}
