import { Controller, Get, Param, Query, Req, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Access, type AuthedRequest } from '@sandi/core';
import { IncidentMetricsDto } from './dto/metrics.dto.js';
import { CsvQueryDto, IdParamDto, MetricsQueryDto, MonthlyReportQueryDto } from './dto/query.dto.js';
import { IncidentExportService } from './incident-export.service.js';
import type { StaffUser } from './incident.service.js';
import { attachmentDisposition } from './incidents.controller.js';
import type { StixBundle } from './stix.export.js';

const userOf = (req: Request): StaffUser => (req as AuthedRequest).user!;

/**
 * Exports and figures. Registered before IncidentsController so that `/incidents/metrics` is not
 * taken for an incident id.
 */
@ApiTags('incidents')
@ApiBearerAuth()
@Controller()
export class IncidentReportsController {
  constructor(private readonly exports: IncidentExportService) {}

  @Get('incidents.csv')
  @Access('incidents.export')
  @ApiOperation({ summary: 'Incidents reported in a period as CSV (no reporter personal data; formula-safe; TLP:RED titles withheld)' })
  @ApiProduces('text/csv')
  @ApiOkResponse({ schema: { type: 'string' } })
  async csv(@Query() q: CsvQueryDto, @Res({ passthrough: true }) res: Response): Promise<string> {
    const { text } = await this.exports.csv(q);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', attachmentDisposition(`insiden-${new Date().toISOString().slice(0, 10)}.csv`));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'no-store');
    return text;
  }

  @Get('incidents/metrics')
  @Access('incidents.export')
  @ApiOperation({ summary: 'Service figures for a period: times to validate, recommend and resolve, SLA compliance, counts per month' })
  @ApiOkResponse({ type: IncidentMetricsDto })
  metrics(@Query() q: MetricsQueryDto): Promise<IncidentMetricsDto> {
    return this.exports.metrics(q);
  }

  @Get('incidents/monthly-report.pdf')
  @Access('incidents.export')
  @ApiOperation({ summary: 'Monthly report of the SOC service for the head of the office (PDF, TLP:AMBER). Audited.' })
  @ApiProduces('application/pdf')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  async monthly(
    @Query() q: MonthlyReportQueryDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const pdf = await this.exports.monthlyReport(q, userOf(req));
    return pdfFile(res, pdf, `laporan-bulanan-soc-${q.month}.pdf`);
  }

  @Get('incidents/:id/report.pdf')
  @Access('incidents.read')
  @ApiOperation({ summary: 'Printable incident report (PDF): classification, milestones, timeline, evidence hashes, resolution. Audited.' })
  @ApiProduces('application/pdf')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  async report(@Param() p: IdParamDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<StreamableFile> {
    const { ticket, pdf } = await this.exports.incidentReport(p.id, userOf(req));
    return pdfFile(res, pdf, `${ticket}.pdf`);
  }

  @Get('incidents/:id/stix')
  @Access('incidents.share')
  @ApiOperation({
    summary: 'STIX 2.1 bundle for sharing with another CSIRT (TLP 2.0 marked; AMBER+STRICT restricted; RED refused). Audited.',
  })
  @ApiProduces('application/stix+json;version=2.1')
  @ApiOkResponse({
    schema: {
      type: 'object',
      properties: {
        type: { type: 'string', example: 'bundle' },
        id: { type: 'string' },
        objects: { type: 'array', items: { type: 'object' } },
      },
    },
  })
  async stix(@Param() p: IdParamDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<StixBundle> {
    const { ticket, bundle } = await this.exports.stix(p.id, userOf(req));
    res.setHeader('Content-Type', 'application/stix+json;version=2.1; charset=utf-8');
    res.setHeader('Content-Disposition', attachmentDisposition(`${ticket}.stix.json`));
    res.setHeader('Cache-Control', 'no-store');
    return bundle;
  }
}

function pdfFile(res: Response, pdf: Buffer, name: string): StreamableFile {
  res.setHeader('Content-Type', 'application/pdf');
  res.setHeader('Content-Disposition', attachmentDisposition(name));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Cache-Control', 'no-store');
  return new StreamableFile(pdf);
}
