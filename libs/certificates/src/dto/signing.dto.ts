import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

const text = ({ value }: { value: unknown }) => (typeof value === 'string' ? (value.trim() === '' ? undefined : value.trim()) : value);
const bool = ({ value }: { value: unknown }) =>
  value === 'true' || value === true ? true : value === 'false' || value === false ? false : value;

/** Sign a PDF (multipart `file`) with NIK + passphrase. */
export class SignPdfDto {
  @ApiProperty({ description: 'NIK of the certificate holder' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.replace(/[\s.-]/g, '') : value))
  @IsString()
  @MaxLength(32)
  nik: string;

  @ApiProperty({ format: 'password' })
  @IsString()
  @MaxLength(200)
  passphrase: string;

  @ApiPropertyOptional({ description: 'Show the signature on the page (VISIBLE) or not' })
  @Transform(bool)
  @IsOptional()
  @IsBoolean()
  visible?: boolean;

  @ApiPropertyOptional({ description: 'Page of the visible signature (1-based)', minimum: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10000)
  page?: number;

  @ApiPropertyOptional({ description: 'Position from the left edge, in points' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(20000)
  x?: number;

  @ApiPropertyOptional({ description: 'Position from the bottom edge, in points' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(20000)
  y?: number;

  @ApiPropertyOptional({ maxLength: 200 })
  @Transform(text)
  @IsOptional()
  @IsString()
  @MaxLength(200)
  reason?: string;

  @ApiPropertyOptional({ maxLength: 200 })
  @Transform(text)
  @IsOptional()
  @IsString()
  @MaxLength(200)
  location?: string;
}

export class SignatureReportDto {
  @ApiProperty() fieldName: string;
  @ApiProperty({ nullable: true, type: String }) signerName: string | null;
  @ApiProperty({ nullable: true, type: String }) signerEmail: string | null;
  @ApiProperty({ nullable: true, type: String }) serial: string | null;
  @ApiProperty({ nullable: true, type: String }) signingTime: string | null;
  @ApiProperty({ nullable: true, type: String }) reason: string | null;
  @ApiProperty({ nullable: true, type: String }) location: string | null;
  @ApiProperty({ description: 'The signed bytes are unchanged and the signature verifies' }) intact: boolean;
  @ApiProperty({ description: 'Nothing was added to the document after this signature' }) coversWholeDocument: boolean;
  @ApiProperty({ enum: ['trusted', 'untrusted', 'invalid'] }) chain: 'trusted' | 'untrusted' | 'invalid';
  @ApiProperty({ nullable: true, type: String }) chainProblem: string | null;
  @ApiProperty({ enum: ['good', 'revoked', 'unknown'] }) revocation: 'good' | 'revoked' | 'unknown';
  @ApiProperty({ nullable: true, type: String }) revokedAt: string | null;
  @ApiProperty({ description: 'The certificate was valid (in its period, not revoked) when it signed' }) validAtSigning: boolean;
  @ApiProperty({ enum: ['valid', 'invalid', 'indeterminate'] }) verdict: 'valid' | 'invalid' | 'indeterminate';
}

export class CertificateReportDto {
  @ApiProperty() subject: string;
  @ApiProperty() issuer: string;
  @ApiProperty() serial: string;
  @ApiProperty({ nullable: true, type: String }) email: string | null;
  @ApiProperty() notBefore: string;
  @ApiProperty() notAfter: string;
  @ApiProperty() fingerprint: string;
  @ApiProperty({ type: [String] }) chainSubjects: string[];
  @ApiProperty({ enum: ['trusted', 'untrusted', 'invalid'] }) chain: 'trusted' | 'untrusted' | 'invalid';
  @ApiProperty({ nullable: true, type: String }) chainProblem: string | null;
  @ApiProperty({ enum: ['good', 'revoked', 'unknown'] }) revocation: 'good' | 'revoked' | 'unknown';
  @ApiProperty({ nullable: true, type: String }) revokedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) revocationReason: string | null;
  @ApiProperty({ enum: ['valid', 'expired', 'not_yet_valid', 'revoked', 'untrusted'] }) status: string;
}

export class BodySignatureDto {
  @ApiProperty({ nullable: true, type: String }) signerName: string | null;
  @ApiProperty({ nullable: true, type: String }) signatureDate: string | null;
  @ApiProperty() integrityValid: boolean;
  @ApiProperty() certificateTrusted: boolean;
}

/** With CERT_RA_ADAPTER=bsre: the certification body's own verdict on a PDF (POST /api/v2/verify/pdf), beside ours. */
export class CertificationBodyReportDto {
  @ApiProperty({ description: 'Whether BSrE answered' }) checked: boolean;
  @ApiProperty({ nullable: true, type: String, description: "BSrE's conclusion, as it says it" }) conclusion: string | null;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ type: [BodySignatureDto] }) signatures: BodySignatureDto[];
  @ApiProperty({ nullable: true, type: String, description: 'Why BSrE could not be asked (unreachable, refused, odd answer)' }) problem:
    string | null;
}

export class VerificationReportDto {
  @ApiProperty({ enum: ['pdf', 'certificate'] }) kind: 'pdf' | 'certificate';
  @ApiPropertyOptional({ type: CertificateReportDto }) certificate?: CertificateReportDto;
  @ApiPropertyOptional({ type: [SignatureReportDto] }) signatures?: SignatureReportDto[];
  @ApiPropertyOptional({ type: CertificationBodyReportDto, description: 'PDFs, with the bsre adapter only' })
  certificationBody?: CertificationBodyReportDto;
  @ApiProperty() checkedAt: string;
}
