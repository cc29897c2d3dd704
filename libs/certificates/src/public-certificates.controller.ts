import { Body, Controller, HttpCode, Post, Req, Res, StreamableFile, UseInterceptors } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiExtraModels, ApiOkResponse, ApiOperation, ApiProduces, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public, RateLimit } from '@sandi/core';
import { attachment } from './cert-applications.controller.js';
import { CertApplicationService } from './cert-application.service.js';
import { CertificateErrorCode, CertificateException } from './certificate.exception.js';
import { DocumentUpload, documentsOf } from './document-upload.interceptor.js';
import { CsrSubmissionDto, IdentitySubmissionDto, LinkQueryDto, PassphraseSubmissionDto } from './dto/application.dto.js';
import { SignPdfDto, VerificationReportDto } from './dto/signing.dto.js';
import { LinkViewDto, StepResultDto } from './dto/views.dto.js';
import { SigningService } from './signing.service.js';
import { VerificationService } from './verification.service.js';

export const FILE_FIELD = 'file';

function singleFile(): never {
  throw new CertificateException(
    CertificateErrorCode.InvalidPayload,
    'Unggah tepat satu berkas pada field "file" (upload exactly one file)',
    {
      errors: [{ field: FILE_FIELD, message: 'wajib satu berkas (one file required)' }],
    },
  );
}

/** What applicants, holders and anyone verifying use without a staff account. */
@ApiTags('certificates (public)')
@ApiExtraModels(SignPdfDto)
@Controller('public/certificates')
export class PublicCertificatesController {
  constructor(
    private readonly applications: CertApplicationService,
    private readonly signing: SigningService,
    private readonly verification: VerificationService,
  ) {}

  @Post('links/open')
  @Public()
  @RateLimit('public')
  @HttpCode(200)
  @ApiOperation({ summary: "What an applicant's link is for (the token travels in the body, never in a URL the server logs)" })
  @ApiOkResponse({ type: LinkViewDto })
  openLink(@Body() dto: LinkQueryDto): Promise<LinkViewDto> {
    return this.applications.openLink(dto.token);
  }

  @Post('identity')
  @Public()
  @RateLimit('public')
  @HttpCode(200)
  @ApiOperation({ summary: 'Issuance step 2: the applicant submits the identity data through the single-use link' })
  @ApiOkResponse({ type: StepResultDto })
  identity(@Body() dto: IdentitySubmissionDto): Promise<StepResultDto> {
    return this.applications.submitIdentity(dto);
  }

  @Post('passphrase')
  @Public()
  @RateLimit('public')
  @HttpCode(200)
  @ApiOperation({ summary: 'Issuance step 4: the applicant sets the passphrase through the single-use link (never stored)' })
  @ApiOkResponse({ type: StepResultDto })
  passphrase(@Body() dto: PassphraseSubmissionDto): Promise<StepResultDto> {
    return this.applications.setPassphrase(dto);
  }

  @Post('csr')
  @Public()
  @RateLimit('public')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Issuance step 4, the other way: the applicant sends a PKCS#10 request for a key pair of their own through the passphrase link',
    description:
      'EC P-256 or RSA ≥ 2048, self-signature verified; the subject is not copied (the certificate carries the verified identity). The platform then holds no key and cannot sign for this holder.',
  })
  @ApiOkResponse({ type: StepResultDto })
  csr(@Body() dto: CsrSubmissionDto): Promise<StepResultDto> {
    return this.applications.submitCsr(dto);
  }

  @Post('sign')
  @Public()
  @RateLimit('login')
  @HttpCode(200)
  @UseInterceptors(DocumentUpload(FILE_FIELD, 1))
  @ApiOperation({
    summary: 'Sign a PDF with NIK + passphrase (PAdES baseline B)',
    description:
      'Wrong passphrases are counted per certificate and lock signing for a while after CERT_SIGN_MAX_ATTEMPTS; every attempt is audited.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      allOf: [
        { $ref: getSchemaPath(SignPdfDto) },
        { type: 'object', required: [FILE_FIELD], properties: { [FILE_FIELD]: { type: 'string', format: 'binary' } } },
      ],
    },
  })
  @ApiProduces('application/pdf')
  async sign(@Body() dto: SignPdfDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<StreamableFile> {
    const [file] = documentsOf(req);
    if (!file) singleFile();
    const signed = await this.signing.signPdf(dto, file);
    const base = file.originalname.replace(/\.pdf$/i, '') || 'dokumen';
    res.setHeader('Content-Disposition', attachment(`${base}-ttd.pdf`));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    return new StreamableFile(signed, { type: 'application/pdf', length: signed.length });
  }

  @Post('verify')
  @Public()
  @RateLimit('public')
  @HttpCode(200)
  @UseInterceptors(DocumentUpload(FILE_FIELD, 1))
  @ApiOperation({ summary: 'Verify a signed PDF or a certificate (PEM/DER): chain, validity, revocation, signer, integrity' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: [FILE_FIELD], properties: { [FILE_FIELD]: { type: 'string', format: 'binary' } } } })
  @ApiOkResponse({ type: VerificationReportDto })
  verify(@Req() req: Request): Promise<VerificationReportDto> {
    const [file] = documentsOf(req);
    if (!file) singleFile();
    return this.verification.verify(file.buffer);
  }
}
