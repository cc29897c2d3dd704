import { Body, Controller, Get, Param, Patch, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Access, type AuthedRequest } from '@sandi/core';
import { IdParamDto } from './dto/query.dto.js';
import { CreateTemplateDto, TemplateDto, TemplateQueryDto, UpdateTemplateDto } from './dto/template.dto.js';
import { RecommendationTemplateService } from './recommendation-template.service.js';

@ApiTags('incidents')
@ApiBearerAuth()
@Controller('incident-recommendation-templates')
export class RecommendationTemplatesController {
  constructor(private readonly templates: RecommendationTemplateService) {}

  @Get()
  @Access('incidents.templates.read')
  @ApiOperation({ summary: 'Recommendation templates, optionally those fitting a category' })
  @ApiOkResponse({ type: [TemplateDto] })
  list(@Query() q: TemplateQueryDto): Promise<TemplateDto[]> {
    return this.templates.list(q);
  }

  @Post()
  @Access('incidents.templates.manage')
  @ApiOperation({ summary: 'Create a recommendation template (both languages)' })
  @ApiCreatedResponse({ type: TemplateDto })
  create(@Body() dto: CreateTemplateDto, @Req() req: Request): Promise<TemplateDto> {
    return this.templates.create(dto, (req as AuthedRequest).user!.id);
  }

  @Patch(':id')
  @Access('incidents.templates.manage')
  @ApiOperation({ summary: 'Change or retire (active: false) a recommendation template' })
  @ApiOkResponse({ type: TemplateDto })
  update(@Param() p: IdParamDto, @Body() dto: UpdateTemplateDto): Promise<TemplateDto> {
    return this.templates.update(p.id, dto);
  }
}
