import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res, StreamableFile, UseInterceptors } from '@nestjs/common';
import { Readable } from 'node:stream';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Access, type AuthedRequest, type Page } from '@sandi/core';
import { CertApplicationService, type CertUser } from './cert-application.service.js';
import { DocumentUpload, documentsOf } from './document-upload.interceptor.js';
import {
  ApplicationActionDto,
  ApplicationActionParamsDto,
  ApplicationQueryDto,
  DocumentParamsDto,
  IdParamDto,
  IssuanceRequestDto,
  RenewalRequestDto,
  RevocationRequestDto,
  UpdateRequestDto,
} from './dto/application.dto.js';
import { ApplicationDetailDto, ApplicationPageDto, ApplicationSummaryDto } from './dto/views.dto.js';

const userOf = (req: Request): CertUser => (req as AuthedRequest).user!;
export const DOCUMENTS_FIELD = 'documents';
export const MAX_DOCUMENTS = 5;

/** multipart/form-data: the DTO's fields plus up to five PDF `documents`. */
function withDocuments(model: new () => object): ReturnType<typeof ApiBody> {
  return ApiBody({
    schema: {
      allOf: [
        { $ref: getSchemaPath(model) },
        { type: 'object', properties: { [DOCUMENTS_FIELD]: { type: 'array', items: { type: 'string', format: 'binary' } } } },
      ],
    },
  });
}

/** RFC 6266 attachment header with an ASCII fallback and the exact name in RFC 8187 encoding. */
export function attachment(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** The verifier's and the RA's side of the four procedures. */
@ApiTags('certificates')
@ApiBearerAuth()
@ApiExtraModels(IssuanceRequestDto, RenewalRequestDto, UpdateRequestDto, RevocationRequestDto)
@Controller('certificates/applications')
export class CertApplicationsController {
  constructor(private readonly applications: CertApplicationService) {}

  @Post('issuance')
  @Access('certificates.apply')
  @UseInterceptors(DocumentUpload(DOCUMENTS_FIELD, MAX_DOCUMENTS))
  @ApiOperation({
    summary:
      'Issuance step 1: the verifier enters the applicant and uploads the recommendation letter (PDF); the applicant is e-mailed a link',
  })
  @ApiConsumes('multipart/form-data')
  @withDocuments(IssuanceRequestDto)
  @ApiCreatedResponse({ type: ApplicationDetailDto })
  issuance(@Body() dto: IssuanceRequestDto, @Req() req: Request): Promise<ApplicationDetailDto> {
    return this.applications.createIssuance(dto, documentsOf(req), userOf(req));
  }

  @Post('renewal')
  @Access('certificates.apply')
  @UseInterceptors(DocumentUpload(DOCUMENTS_FIELD, MAX_DOCUMENTS))
  @ApiOperation({ summary: "Renewal: the issuance steps again for a certificate's holder (recommendation letter as PDF)" })
  @ApiConsumes('multipart/form-data')
  @withDocuments(RenewalRequestDto)
  @ApiCreatedResponse({ type: ApplicationDetailDto })
  renewal(@Body() dto: RenewalRequestDto, @Req() req: Request): Promise<ApplicationDetailDto> {
    return this.applications.createRenewal(dto, documentsOf(req), userOf(req));
  }

  @Post('update')
  @Access('certificates.apply')
  @UseInterceptors(DocumentUpload(DOCUMENTS_FIELD, MAX_DOCUMENTS))
  @ApiOperation({ summary: 'Update of certificate data with supporting documents (PDF); the RA verifies' })
  @ApiConsumes('multipart/form-data')
  @withDocuments(UpdateRequestDto)
  @ApiCreatedResponse({ type: ApplicationDetailDto })
  update(@Body() dto: UpdateRequestDto, @Req() req: Request): Promise<ApplicationDetailDto> {
    return this.applications.createUpdate(dto, documentsOf(req), userOf(req));
  }

  @Post('revocation')
  @Access('certificates.apply')
  @UseInterceptors(DocumentUpload(DOCUMENTS_FIELD, MAX_DOCUMENTS))
  @ApiOperation({ summary: 'Revocation with an RFC 5280 reason and supporting documents (PDF); the RA verifies' })
  @ApiConsumes('multipart/form-data')
  @withDocuments(RevocationRequestDto)
  @ApiCreatedResponse({ type: ApplicationDetailDto })
  revocation(@Body() dto: RevocationRequestDto, @Req() req: Request): Promise<ApplicationDetailDto> {
    return this.applications.createRevocation(dto, documentsOf(req), userOf(req));
  }

  @Get()
  @Access('certificates.read')
  @ApiOperation({ summary: 'Applications: open ones first, most urgent first' })
  @ApiOkResponse({ type: ApplicationPageDto })
  list(@Query() q: ApplicationQueryDto, @Req() req: Request): Promise<Page<ApplicationSummaryDto>> {
    return this.applications.list(q, userOf(req));
  }

  @Get(':id')
  @Access('certificates.read')
  @ApiOperation({ summary: "An application with documents, timeline and the caller's allowed actions" })
  @ApiOkResponse({ type: ApplicationDetailDto })
  detail(@Param() p: IdParamDto, @Req() req: Request): Promise<ApplicationDetailDto> {
    return this.applications.detail(p.id, userOf(req));
  }

  @Post(':id/actions/:action')
  @Access('certificates.work')
  @HttpCode(200)
  @ApiOperation({ summary: "A workflow step: 409 with the allowed actions when the step is out of order, 403 when it is not your role's" })
  @ApiOkResponse({ type: ApplicationDetailDto })
  act(@Param() p: ApplicationActionParamsDto, @Body() dto: ApplicationActionDto, @Req() req: Request): Promise<ApplicationDetailDto> {
    return this.applications.act(p.id, p.action, dto, userOf(req));
  }

  @Get(':id/documents/:documentId')
  @Access('certificates.documents')
  @ApiOperation({ summary: 'Download a letter or supporting document (always as an attachment; audited)' })
  @ApiProduces('application/pdf')
  async document(@Param() p: DocumentParamsDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<StreamableFile> {
    const doc = await this.applications.openDocument(p.id, p.documentId, userOf(req));
    res.setHeader('Content-Disposition', attachment(doc.fileName));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    return new StreamableFile(Readable.from(doc.stream as AsyncIterable<Buffer>), { type: 'application/octet-stream', length: doc.size });
  }
}
