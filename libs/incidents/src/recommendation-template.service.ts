import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService, CommonException } from '@sandi/core';
import type { CreateTemplateDto, TemplateDto, TemplateQueryDto, UpdateTemplateDto } from './dto/template.dto.js';
import { RecommendationTemplateEntity } from './entities/recommendation-template.entity.js';
import { IncidentErrorCode, IncidentException } from './incident.exception.js';
import { resolveCategory } from './incident.service.js';

const view = (t: RecommendationTemplateEntity): TemplateDto => ({
  id: t.id,
  title: t.title,
  bodyId: t.bodyId,
  bodyEn: t.bodyEn,
  categoryCodes: t.categoryCodes,
  active: t.active,
  updatedAt: t.updatedAt.toISOString(),
});

/** Reusable recommendation texts for the analysis team, in both languages. Retired, never deleted. */
@Injectable()
export class RecommendationTemplateService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(q: TemplateQueryDto): Promise<TemplateDto[]> {
    const qb = this.dataSource.getRepository(RecommendationTemplateEntity).createQueryBuilder('t').orderBy('lower(t.title)', 'ASC');
    if (!q.includeInactive) qb.andWhere('t.active');
    if (q.category) qb.andWhere("(:category = ANY(t.categoryCodes) OR t.categoryCodes = '{}')", { category: resolveCategory(q.category) });
    return (await qb.getMany()).map(view);
  }

  async create(dto: CreateTemplateDto, userId: string): Promise<TemplateDto> {
    const categoryCodes = codes(dto.categoryCodes);
    return this.dataSource.transaction(async (em) => {
      await this.assertTitleFree(em, dto.title);
      const t = await em.save(
        em.create(RecommendationTemplateEntity, {
          title: dto.title,
          bodyId: dto.bodyId,
          bodyEn: dto.bodyEn,
          categoryCodes,
          active: true,
          createdBy: userId,
        }),
      );
      await this.audit.record(em, {
        action: 'incident.template_created',
        entityType: 'incident_template',
        entityId: t.id,
        after: auditView(t),
      });
      return view(t);
    });
  }

  async update(id: string, dto: UpdateTemplateDto): Promise<TemplateDto> {
    return this.dataSource.transaction(async (em) => {
      const t = await em
        .getRepository(RecommendationTemplateEntity)
        .createQueryBuilder('t')
        .setLock('pessimistic_write')
        .where('t.id = :id', { id })
        .getOne();
      if (!t) throw new IncidentException(IncidentErrorCode.TemplateNotFound, `Templat ${id} tidak ditemukan (template not found)`);
      const before = auditView(t);
      if (dto.title !== undefined && dto.title.toLowerCase() !== t.title.toLowerCase()) await this.assertTitleFree(em, dto.title);
      if (dto.title !== undefined) t.title = dto.title;
      if (dto.bodyId !== undefined) t.bodyId = dto.bodyId;
      if (dto.bodyEn !== undefined) t.bodyEn = dto.bodyEn;
      if (dto.categoryCodes !== undefined) t.categoryCodes = codes(dto.categoryCodes);
      if (dto.active !== undefined) t.active = dto.active;
      await em.save(t);
      await this.audit.record(em, {
        action: 'incident.template_updated',
        entityType: 'incident_template',
        entityId: id,
        before,
        after: auditView(t),
      });
      return view(t);
    });
  }

  private async assertTitleFree(em: EntityManager, title: string): Promise<void> {
    const taken = await em
      .getRepository(RecommendationTemplateEntity)
      .createQueryBuilder('t')
      .where('lower(t.title) = lower(:title)', { title })
      .getExists();
    if (taken) throw CommonException.conflict(`Templat berjudul '${title}' sudah ada (a template with this title exists)`);
  }
}

function codes(input: string[] | undefined): string[] {
  return [...new Set((input ?? []).map((c, n) => resolveCategory(c, `categoryCodes[${n}]`)))].sort();
}

const auditView = (t: RecommendationTemplateEntity) => ({
  title: t.title,
  categoryCodes: t.categoryCodes,
  active: t.active,
  bodyId: t.bodyId,
  bodyEn: t.bodyEn,
});
