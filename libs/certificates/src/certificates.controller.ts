import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import type { Response } from 'express';
import { Access, type Page } from '@sandi/core';
import { CertificateService, toPem } from './certificate.service.js';
import { CertificateQueryDto, IdParamDto } from './dto/application.dto.js';
import { CertificatePageDto, CertificateViewDto } from './dto/views.dto.js';

export class DownloadQueryDto {
  @ApiPropertyOptional({ enum: ['pem', 'der'], default: 'pem' })
  @IsOptional()
  @IsIn(['pem', 'der'])
  format?: 'pem' | 'der';
}

/** Issued certificates: the verifier's list (with those due for renewal), details and downloads. */
@ApiTags('certificates')
@ApiBearerAuth()
@Controller('certificates')
export class CertificatesController {
  constructor(private readonly certificates: CertificateService) {}

  @Get()
  @Access('certificates.read')
  @ApiOperation({ summary: 'Issued certificates; status=expiring lists those due for renewal (30 days)' })
  @ApiOkResponse({ type: CertificatePageDto })
  list(@Query() q: CertificateQueryDto): Promise<Page<CertificateViewDto>> {
    return this.certificates.list(q);
  }

  @Get(':id')
  @Access('certificates.read')
  @ApiOkResponse({ type: CertificateViewDto })
  get(@Param() p: IdParamDto): Promise<CertificateViewDto> {
    return this.certificates.get(p.id);
  }

  @Get(':id/download')
  @Access('certificates.read')
  @ApiOperation({ summary: 'The certificate as PEM (default) or DER' })
  @ApiProduces('application/x-pem-file', 'application/pkix-cert')
  async download(@Param() p: IdParamDto, @Query() q: DownloadQueryDto, @Res() res: Response): Promise<void> {
    const { der, serial } = await this.certificates.der(p.id);
    if (q.format === 'der') {
      res.type('application/pkix-cert').setHeader('Content-Disposition', `attachment; filename="${serial}.cer"`);
      res.send(der);
      return;
    }
    res.type('application/x-pem-file').setHeader('Content-Disposition', `attachment; filename="${serial}.pem"`);
    res.send(toPem(der));
  }
}
