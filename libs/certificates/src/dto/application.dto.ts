import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsISO8601, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { IdParamDto, PageQueryDto } from '@sandi/core';
import {
  APPLICATION_STATES,
  PROCEDURES,
  REQUESTABLE_REVOCATION_REASONS,
  type ApplicationState,
  type Procedure,
  type RevocationReason,
} from '../certificate.workflow.js';

/** Multipart forms carry every field as text: trim it, and an empty field means "not given". */
const text = ({ value }: { value: unknown }) => (typeof value === 'string' ? (value.trim() === '' ? undefined : value.trim()) : value);
const digits = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.replace(/[\s.-]/g, '') : value);

const NAME = /^[\p{L}\p{M}][\p{L}\p{M} .,'-]*$/u;

/** Step 1 of issuance: the verifier enters the applicant (with the recommendation letter as `documents`). */
export class IssuanceRequestDto {
  @ApiProperty({ example: 'Siti Rahmawati, S.Kom.', maxLength: 200 })
  @Transform(text)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  @Matches(NAME, { message: 'nama hanya huruf, spasi dan tanda baca nama (letters only)' })
  fullName: string;

  @ApiProperty({ example: 'siti.rahmawati@kominfo.example.go.id' })
  @Transform(text)
  @IsEmail({}, { message: 'alamat e-mail tidak valid (invalid e-mail)' })
  @MaxLength(254)
  email: string;

  @ApiProperty({ description: 'NIK from the KTP, 16 digits', example: '3174012501900001' })
  @Transform(digits)
  @IsString()
  nik: string;

  @ApiPropertyOptional({ description: 'NIP, 18 digits (civil servants)', example: '199001252015031001' })
  @Transform(digits)
  @Transform(text)
  @IsOptional()
  @IsString()
  nip?: string;

  @ApiProperty({ example: 'Kepala Seksi Persandian', maxLength: 200 })
  @Transform(text)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  positionTitle: string;

  @ApiProperty({ format: 'uuid', description: 'OPD unit' })
  @Transform(text)
  @IsUUID()
  orgUnitId: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @Transform(text)
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

/** Renewal: the issuance steps again for the holder of `certificateId` (recommendation letter as `documents`). */
export class RenewalRequestDto {
  @ApiProperty({ format: 'uuid' })
  @Transform(text)
  @IsUUID()
  certificateId: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @Transform(text)
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

/** Update of the certificate data, with supporting documents as `documents`. Only the fields given change. */
export class UpdateRequestDto extends RenewalRequestDto {
  @ApiPropertyOptional({ maxLength: 200 })
  @Transform(text)
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Matches(NAME, { message: 'nama hanya huruf, spasi dan tanda baca nama (letters only)' })
  fullName?: string;

  @ApiPropertyOptional()
  @Transform(text)
  @IsOptional()
  @IsEmail({}, { message: 'alamat e-mail tidak valid (invalid e-mail)' })
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({ description: '18 digits' })
  @Transform(digits)
  @Transform(text)
  @IsOptional()
  @IsString()
  nip?: string;

  @ApiPropertyOptional({ maxLength: 200 })
  @Transform(text)
  @IsOptional()
  @IsString()
  @MaxLength(200)
  positionTitle?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @Transform(text)
  @IsOptional()
  @IsUUID()
  orgUnitId?: string;
}

/** Revocation with an RFC 5280 reason and supporting documents as `documents`. */
export class RevocationRequestDto extends RenewalRequestDto {
  @ApiProperty({ enum: REQUESTABLE_REVOCATION_REASONS })
  @Transform(text)
  @IsIn(REQUESTABLE_REVOCATION_REASONS)
  reason: RevocationReason;
}

/** A staff step on an application. Which fields are needed depends on the step (see allowedActions). */
export class ApplicationActionDto {
  @ApiPropertyOptional({ maxLength: 2000, description: 'return_identity, ra_refuse, cancel' })
  @Transform(text)
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @Transform(text)
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;

  @ApiPropertyOptional({ maxLength: 100, description: "record_submission: the certification body portal's reference" })
  @Transform(text)
  @IsOptional()
  @IsString()
  @MaxLength(100)
  reference?: string;
}

export class ApplicationActionParamsDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id: string;

  @ApiProperty({ enum: ['approve_identity', 'return_identity', 'record_submission', 'ra_approve', 'ra_refuse', 'resend_link', 'cancel'] })
  @IsIn(['approve_identity', 'return_identity', 'record_submission', 'ra_approve', 'ra_refuse', 'resend_link', 'cancel'])
  action: 'approve_identity' | 'return_identity' | 'record_submission' | 'ra_approve' | 'ra_refuse' | 'resend_link' | 'cancel';
}

/** Re-exported for the library's controllers: one class for every `:id` parameter. */
export { IdParamDto };

export class DocumentParamsDto extends IdParamDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  documentId: string;
}

export class ApplicationQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: PROCEDURES })
  @IsOptional()
  @IsIn(PROCEDURES)
  procedure?: Procedure;

  @ApiPropertyOptional({ enum: APPLICATION_STATES })
  @IsOptional()
  @IsIn(APPLICATION_STATES)
  state?: ApplicationState;

  @ApiPropertyOptional({ enum: ['open', 'finished', 'all'], description: 'open (default), finished, or all applications' })
  @IsOptional()
  @IsIn(['open', 'finished', 'all'])
  scope?: 'open' | 'finished' | 'all';

  @ApiPropertyOptional({ description: 'Name, e-mail or application number' })
  @Transform(text)
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}

export class CertificateQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    enum: ['active', 'revoked', 'expired', 'expiring'],
    description: 'expiring: active and due for renewal within 30 days',
  })
  @IsOptional()
  @IsIn(['active', 'revoked', 'expired', 'expiring'])
  status?: 'active' | 'revoked' | 'expired' | 'expiring';

  @ApiPropertyOptional({ description: 'Name, e-mail or serial' })
  @Transform(text)
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}

/** Step 2: the applicant's identity data as on the KTP. */
export class IdentitySubmissionDto {
  @ApiProperty({ description: 'The single-use token from the e-mailed link' })
  @IsString()
  @MaxLength(200)
  token: string;

  @ApiProperty({ description: 'NIK typed again from the KTP; must match the one the verifier entered' })
  @Transform(digits)
  @IsString()
  nik: string;

  @ApiProperty({ maxLength: 200 })
  @Transform(text)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  @Matches(NAME, { message: 'nama hanya huruf, spasi dan tanda baca nama (letters only)' })
  fullNameOnId: string;

  @ApiProperty({ maxLength: 100 })
  @Transform(text)
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  birthPlace: string;

  @ApiProperty({ example: '1990-01-25' })
  @IsISO8601({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  birthDate: string;

  @ApiProperty({ maxLength: 500 })
  @Transform(text)
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  address: string;

  @ApiProperty({ example: '+62 812 3456 7890' })
  @Transform(text)
  @IsString()
  @Matches(/^\+?[0-9][0-9 ().-]{5,28}$/, { message: 'nomor telepon tidak valid (invalid phone number)' })
  phone: string;
}

/** Step 4: the passphrase (never stored, never logged). */
export class PassphraseSubmissionDto {
  @ApiProperty()
  @IsString()
  @MaxLength(200)
  token: string;

  @ApiProperty({ minLength: 10, maxLength: 128, format: 'password' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  passphrase: string;

  @ApiProperty({ format: 'password' })
  @IsString()
  @MaxLength(200)
  passphraseConfirmation: string;
}

/** Step 4, the other way: a PKCS#10 request for the applicant's own key pair (PEM). */
export class CsrSubmissionDto {
  @ApiProperty()
  @IsString()
  @MaxLength(200)
  token: string;

  @ApiProperty({ description: 'PEM "CERTIFICATE REQUEST" (PKCS#10), EC P-256 or RSA ≥ 2048', maxLength: 16384 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(16384)
  csr: string;
}

export class LinkQueryDto {
  @ApiProperty()
  @IsString()
  @MaxLength(200)
  token: string;
}
