import { Body, Controller, Get, HttpCode, Post, Query, Req, UseInterceptors } from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { Public, RateLimit } from '@sandi/core';
import { PublicReportDto, ReportReceiptDto, SupplementDto, TrackQueryDto } from './dto/report.dto.js';
import { PublicFormDto, TrackingDto } from './dto/views.dto.js';
import { EVIDENCE_FIELD, EvidenceUploadInterceptor } from './evidence-upload.interceptor.js';
import { IncidentService, type UploadedEvidence } from './incident.service.js';

/** multipart/form-data: the DTO's fields plus any number (up to the limit) of `evidence` files. */
export function multipartBody(model: new () => object): ReturnType<typeof ApiBody> {
  return ApiBody({
    schema: {
      allOf: [
        { $ref: getSchemaPath(model) },
        { type: 'object', properties: { [EVIDENCE_FIELD]: { type: 'array', items: { type: 'string', format: 'binary' } } } },
      ],
    },
  });
}

export const filesOf = (req: Request): UploadedEvidence[] => (Array.isArray(req.files) ? (req.files as unknown as UploadedEvidence[]) : []);

/** What a reporter uses without an account: the report form and the tracking page. */
@ApiTags('incidents (public)')
@ApiExtraModels(PublicReportDto, SupplementDto)
@Controller('public/incidents')
export class PublicIncidentsController {
  constructor(private readonly incidents: IncidentService) {}

  @Get('form')
  @Public()
  @RateLimit('public')
  @ApiOperation({ summary: 'What the report form must respect before it uploads: the evidence field and its limits' })
  @ApiOkResponse({ type: PublicFormDto })
  form(): PublicFormDto {
    const limits = this.incidents.evidenceLimits();
    return { evidenceField: EVIDENCE_FIELD, maxEvidenceBytes: limits.maxBytes, maxEvidenceFiles: limits.maxFiles };
  }

  @Post()
  @Public()
  @RateLimit('public')
  @UseInterceptors(EvidenceUploadInterceptor)
  @ApiOperation({
    summary: 'Report a cyber incident (Layanan SOC)',
    description:
      'multipart/form-data with the report fields and `evidence` files (list fields such as `observables` as JSON text). The receipt with the secret tracking link is e-mailed; the link is also returned once.',
  })
  @ApiConsumes('multipart/form-data', 'application/json')
  @multipartBody(PublicReportDto)
  @ApiCreatedResponse({ type: ReportReceiptDto })
  report(@Body() dto: PublicReportDto, @Req() req: Request): Promise<ReportReceiptDto> {
    return this.incidents.reportPublic(dto, filesOf(req));
  }

  @Get('track')
  @Public()
  @RateLimit('public')
  @ApiOperation({ summary: 'Follow a report with its ticket number and secret tracking code' })
  @ApiOkResponse({ type: TrackingDto })
  track(@Query() q: TrackQueryDto): Promise<TrackingDto> {
    return this.incidents.track(q.ticket, q.token);
  }

  @Post('supplement')
  @Public()
  @RateLimit('public')
  @HttpCode(200)
  @UseInterceptors(EvidenceUploadInterceptor)
  @ApiOperation({ summary: 'Answer a report returned as incomplete: message, more observables and evidence' })
  @ApiConsumes('multipart/form-data', 'application/json')
  @multipartBody(SupplementDto)
  @ApiOkResponse({ type: TrackingDto })
  supplement(@Body() dto: SupplementDto, @Req() req: Request): Promise<TrackingDto> {
    return this.incidents.supplement(dto, filesOf(req));
  }
}
