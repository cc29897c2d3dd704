import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Put,
  Query,
  Req,
  Res,
  StreamableFile,
  UseInterceptors,
} from '@nestjs/common';
import { Readable } from 'node:stream';
import {
  ApiBearerAuth,
  ApiConsumes,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Access, type AuthedRequest, type Page } from '@sandi/core';
import {
  ActionParamsDto,
  AssignDto,
  CommentDto,
  CoordinationDto,
  IncidentActionDto,
  TeamOnlyParamsDto,
  TeamParamsDto,
} from './dto/action.dto.js';
import { EvidenceParamsDto, IdParamDto, IncidentQueryDto, ObservableParamsDto } from './dto/query.dto.js';
import { ObservableInputDto, StaffReportDto } from './dto/report.dto.js';
import {
  EvidenceVerificationDto,
  IncidentDetailDto,
  IncidentPageDto,
  IncidentSummaryDto,
  ReporterContactDto,
  StaffReportReceiptDto,
  TeamMemberDto,
} from './dto/views.dto.js';
import { EvidenceUploadInterceptor } from './evidence-upload.interceptor.js';
import { IncidentService, type StaffUser } from './incident.service.js';
import { filesOf, multipartBody } from './public-incidents.controller.js';

const userOf = (req: Request): StaffUser => (req as AuthedRequest).user!;

/** RFC 6266 attachment header: an ASCII fallback name and the exact name in RFC 8187 encoding. */
export function attachmentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** The teams' side: queues, detail, the workflow steps, observables, evidence. */
@ApiTags('incidents')
@ApiBearerAuth()
@ApiExtraModels(StaffReportDto)
@Controller('incidents')
export class IncidentsController {
  constructor(private readonly incidents: IncidentService) {}

  @Post()
  @Access('incidents.report')
  @UseInterceptors(EvidenceUploadInterceptor)
  @ApiOperation({ summary: 'Record a report received by phone, letter or in person (helpdesk)' })
  @ApiConsumes('application/json', 'multipart/form-data')
  @multipartBody(StaffReportDto)
  @ApiCreatedResponse({ type: StaffReportReceiptDto })
  report(@Body() dto: StaffReportDto, @Req() req: Request): Promise<StaffReportReceiptDto> {
    return this.incidents.reportByStaff(dto, filesOf(req), userOf(req));
  }

  @Get()
  @Access('incidents.read')
  @ApiOperation({ summary: 'Incidents: a team queue or a filtered list' })
  @ApiOkResponse({ type: IncidentPageDto })
  list(@Query() q: IncidentQueryDto, @Req() req: Request): Promise<Page<IncidentSummaryDto>> {
    return this.incidents.list(q, userOf(req));
  }

  @Get('teams/:team/members')
  @Access('incidents.work')
  @ApiOperation({ summary: 'Active members of a SOC team (id and name), to assign a colleague' })
  @ApiOkResponse({ type: [TeamMemberDto] })
  members(@Param() p: TeamOnlyParamsDto): Promise<TeamMemberDto[]> {
    return this.incidents.teamMembers(p.team);
  }

  @Get(':id')
  @Access('incidents.read')
  @ApiOperation({ summary: "An incident with timeline, evidence, observables, correlated incidents and the caller's allowed actions" })
  @ApiOkResponse({ type: IncidentDetailDto })
  detail(@Param() p: IdParamDto, @Req() req: Request): Promise<IncidentDetailDto> {
    return this.incidents.detail(p.id, userOf(req));
  }

  @Post(':id/reporter-contact')
  @Access('incidents.reporter_contact')
  @HttpCode(200)
  @ApiOperation({
    summary:
      "The reporter's full phone number and e-mail, for calling them back (the detail shows the phone masked). Every reveal is audited.",
  })
  @ApiOkResponse({ type: ReporterContactDto })
  reporterContact(@Param() p: IdParamDto, @Req() req: Request): Promise<ReporterContactDto> {
    return this.incidents.revealReporterContact(p.id, userOf(req));
  }

  @Post(':id/actions/:action')
  @Access('incidents.work')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Take a workflow step',
    description:
      'Illegal steps answer 409 with `allowedActions`; a step of another team answers 403. Each action takes its own payload parts.',
  })
  @ApiOkResponse({ type: IncidentDetailDto })
  act(@Param() p: ActionParamsDto, @Body() dto: IncidentActionDto, @Req() req: Request): Promise<IncidentDetailDto> {
    return this.incidents.act(p.id, p.action, dto, userOf(req));
  }

  @Post(':id/comments')
  @Access('incidents.work')
  @ApiOperation({ summary: 'Internal comment (not shown to the reporter)' })
  @ApiCreatedResponse({ type: IncidentDetailDto })
  comment(@Param() p: IdParamDto, @Body() dto: CommentDto, @Req() req: Request): Promise<IncidentDetailDto> {
    return this.incidents.act(p.id, 'comment', { comment: dto.comment }, userOf(req));
  }

  @Put(':id/assignees/:team')
  @Access('incidents.work')
  @ApiOperation({ summary: "Assign the incident to a member of a team (by that team's members)" })
  @ApiOkResponse({ type: IncidentDetailDto })
  assign(@Param() p: TeamParamsDto, @Body() dto: AssignDto, @Req() req: Request): Promise<IncidentDetailDto> {
    return this.incidents.act(p.id, 'assign', { assignment: { team: p.team, userId: dto.userId } }, userOf(req));
  }

  @Post(':id/coordinations')
  @Access('incidents.work')
  @ApiOperation({ summary: 'Record coordination with another CSIRT or agency (handling team)' })
  @ApiCreatedResponse({ type: IncidentDetailDto })
  coordinate(@Param() p: IdParamDto, @Body() dto: CoordinationDto, @Req() req: Request): Promise<IncidentDetailDto> {
    return this.incidents.act(p.id, 'record_coordination', { coordination: dto }, userOf(req));
  }

  @Post(':id/observables')
  @Access('incidents.work')
  @ApiOperation({ summary: 'Add an observable (normalised; 409 when already recorded)' })
  @ApiCreatedResponse({ type: IncidentDetailDto })
  addObservable(@Param() p: IdParamDto, @Body() dto: ObservableInputDto, @Req() req: Request): Promise<IncidentDetailDto> {
    return this.incidents.addObservable(p.id, dto, userOf(req));
  }

  @Delete(':id/observables/:observableId')
  @Access('incidents.work')
  @ApiOperation({ summary: 'Remove an observable' })
  @ApiOkResponse({ type: IncidentDetailDto })
  removeObservable(@Param() p: ObservableParamsDto, @Req() req: Request): Promise<IncidentDetailDto> {
    return this.incidents.removeObservable(p.id, p.observableId, userOf(req));
  }

  @Post(':id/evidence')
  @Access('incidents.work')
  @UseInterceptors(EvidenceUploadInterceptor)
  @ApiOperation({ summary: 'Upload more evidence (multipart, `evidence` files)' })
  @ApiConsumes('multipart/form-data')
  @ApiCreatedResponse({ type: IncidentDetailDto })
  addEvidence(@Param() p: IdParamDto, @Req() req: Request): Promise<IncidentDetailDto> {
    return this.incidents.addEvidence(p.id, filesOf(req), userOf(req));
  }

  @Post(':id/evidence/:evidenceId/verify')
  @Access('incidents.evidence.verify')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Re-hash the stored file of a piece of evidence against its upload fingerprint (intact / mismatch / missing). Recorded as a custody event.',
  })
  @ApiOkResponse({ type: EvidenceVerificationDto })
  verifyEvidence(@Param() p: EvidenceParamsDto, @Req() req: Request): Promise<EvidenceVerificationDto> {
    return this.incidents.verifyEvidence(p.id, p.evidenceId, userOf(req));
  }

  @Get(':id/evidence/:evidenceId')
  @Access('incidents.evidence')
  @ApiOperation({ summary: 'Download a piece of evidence (always an attachment, never rendered; recorded as a custody event)' })
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  async evidence(@Param() p: EvidenceParamsDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<StreamableFile> {
    const file = await this.incidents.openEvidence(p.id, p.evidenceId, userOf(req));
    res.setHeader('Content-Type', 'application/octet-stream');
    res.setHeader('Content-Disposition', attachmentDisposition(file.fileName));
    res.setHeader('Content-Length', String(file.size));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    // RFC 9530: lets the receiver check the bytes against the custody fingerprint.
    res.setHeader('Repr-Digest', `sha-256=:${Buffer.from(file.sha256, 'hex').toString('base64')}:`);
    return new StreamableFile(file.stream as Readable);
  }
}
