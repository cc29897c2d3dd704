import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { plainToInstance, Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsEmail,
  IsIn,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { OBSERVABLE_TYPES, type ObservableType } from '../observable.policy.js';
import { IMPACTS, URGENCIES, type Impact, type Urgency } from '../priority.policy.js';
import { TICKET_PATTERN, TRACKING_TOKEN_PATTERN } from '../ticket.util.js';
import { TLP_LABELS, type TlpLabel } from '../tlp.js';

export const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
/** Multipart forms carry every field as text: an empty field means "not given". */
const blankToUndefined = ({ value }: { value: unknown }) =>
  typeof value === 'string' && value.trim() === '' ? undefined : typeof value === 'string' ? value.trim() : value;

/**
 * A list field that arrives either as a JSON array (JSON bodies, or a multipart field holding JSON)
 * or, for lists of text, as one line per item. Anything else is passed on for the validators to refuse.
 */
export function listField(options: { lines?: boolean; of?: new () => object } = {}) {
  return ({ value }: { value: unknown }) => {
    if (typeof value !== 'string') return value;
    const text = value.trim();
    if (text === '') return undefined;
    if (text.startsWith('[')) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        return value;
      }
      // @Type has already run on the text; items parsed here must become instances for nested validation.
      return options.of && Array.isArray(parsed)
        ? parsed.map((item: unknown) =>
            item && typeof item === 'object' && !Array.isArray(item) ? plainToInstance(options.of!, item) : item,
          )
        : parsed;
    }
    return options.lines
      ? text
          .split(/\r?\n/)
          .map((l) => l.trim())
          .filter(Boolean)
      : value;
  };
}

export const PHONE_PATTERN = /^\+?[0-9][0-9 ().-]{5,28}$/;
export const LOCALES = ['id', 'en'] as const;

export class ObservableInputDto {
  @ApiProperty({ enum: OBSERVABLE_TYPES, example: 'ipv4' })
  @IsIn(OBSERVABLE_TYPES)
  type: ObservableType;

  @ApiProperty({
    example: '203.0.113.7',
    maxLength: 2048,
    description: 'Normalised on input (e.g. IDN to punycode, hashes lower-cased); defanged forms such as hxxp://a[.]b are accepted.',
  })
  @IsString()
  @MaxLength(2048)
  value: string;
}

/** Fields common to the public form and the staff form. */
export class ReportFieldsDto {
  @ApiProperty({ example: 'Budi Santoso', maxLength: 200 })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  reporterName: string;

  @ApiPropertyOptional({ example: 'Dinas Kesehatan', maxLength: 200, description: 'Organisation (OPD or other) the reporter belongs to' })
  @Transform(blankToUndefined)
  @IsOptional()
  @IsString()
  @MaxLength(200)
  reporterOrganisation?: string;

  @ApiPropertyOptional({ example: 'Seksi Sistem Informasi', maxLength: 200 })
  @Transform(blankToUndefined)
  @IsOptional()
  @IsString()
  @MaxLength(200)
  reporterUnit?: string;

  @ApiPropertyOptional({
    example: '+62 812-3456-7890',
    description: 'Contact phone (stored in its own column; encrypted at rest in a later step)',
  })
  @Transform(blankToUndefined)
  @IsOptional()
  @Matches(PHONE_PATTERN, { message: 'nomor telepon tidak valid (invalid phone number)' })
  reporterPhone?: string;

  @ApiProperty({ example: 'Situs web dinas menampilkan halaman judi online', maxLength: 200 })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  title: string;

  @ApiProperty({ example: 'Sejak pagi ini halaman utama situs ... berisi tautan judi online.', maxLength: 20000 })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(20000)
  description: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'When the incident happened or was noticed' })
  @Transform(blankToUndefined)
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'waktu kejadian harus tanggal-waktu ISO 8601 (ISO 8601 date-time)' })
  occurredAt?: string;

  @ApiPropertyOptional({
    example: 'information-content-security/unauthorised-information-modification',
    description: 'RSIT code (see GET /incident-taxonomy) or a quick-pick key such as `web-defacement`. Default other/undetermined.',
  })
  @Transform(blankToUndefined)
  @IsOptional()
  @IsString()
  @MaxLength(100)
  category?: string;

  @ApiPropertyOptional({ enum: IMPACTS, default: 'medium', description: "The reporter's estimate; the helpdesk confirms it" })
  @Transform(blankToUndefined)
  @IsOptional()
  @IsIn(IMPACTS)
  impact?: Impact;

  @ApiPropertyOptional({ enum: TLP_LABELS, default: 'AMBER', description: 'TLP 2.0 label of the report' })
  @Transform(blankToUndefined)
  @IsOptional()
  @IsIn(TLP_LABELS)
  tlp?: TlpLabel;

  @ApiPropertyOptional({
    type: [String],
    example: ['https://dinkes.example.go.id'],
    description: 'Affected systems; in multipart, a JSON array or one per line',
  })
  @Transform(listField({ lines: true }))
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(300, { each: true })
  affectedSystems?: string[];

  @ApiPropertyOptional({ type: [ObservableInputDto], description: 'Indicators; in multipart, a JSON array' })
  @Transform(listField({ of: ObservableInputDto }))
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => ObservableInputDto)
  observables?: ObservableInputDto[];

  @ApiPropertyOptional({ enum: LOCALES, default: 'id', description: 'Language of the e-mails to the reporter' })
  @Transform(blankToUndefined)
  @IsOptional()
  @IsIn(LOCALES)
  locale?: 'id' | 'en';
}

/** The public report form (multipart/form-data with `evidence` files). No account needed. */
export class PublicReportDto extends ReportFieldsDto {
  @ApiProperty({ example: 'budi@dinkes.example.go.id', description: 'The receipt and the secret tracking link go here' })
  @Transform(trim)
  @IsEmail({}, { message: 'email tidak valid (invalid e-mail address)' })
  @MaxLength(254)
  reporterEmail: string;
}

export const STAFF_CHANNELS = ['phone', 'letter', 'email', 'walk_in', 'other'] as const;
export type StaffChannel = (typeof STAFF_CHANNELS)[number];

/** A report the helpdesk takes by phone, letter or in person. */
export class StaffReportDto extends ReportFieldsDto {
  @ApiPropertyOptional({ description: 'Without an address no receipt is mailed; the helpdesk passes on the ticket and tracking link' })
  @Transform(blankToUndefined)
  @IsOptional()
  @IsEmail({}, { message: 'email tidak valid (invalid e-mail address)' })
  @MaxLength(254)
  reporterEmail?: string;

  @ApiProperty({ enum: STAFF_CHANNELS })
  @IsIn(STAFF_CHANNELS)
  channel: StaffChannel;

  @ApiPropertyOptional({ enum: URGENCIES, default: 'medium' })
  @Transform(blankToUndefined)
  @IsOptional()
  @IsIn(URGENCIES)
  urgency?: Urgency;

  @ApiPropertyOptional({ format: 'uuid', description: 'The OPD unit concerned' })
  @Transform(blankToUndefined)
  @IsOptional()
  @IsUUID()
  opdUnitId?: string;
}

export class TrackQueryDto {
  @ApiProperty({ example: 'INC-2026-000001' })
  @Transform(trim)
  @Matches(TICKET_PATTERN, { message: 'nomor tiket: INC-YYYY-NNNNNN (ticket number format)' })
  ticket: string;

  @ApiProperty({ description: 'The secret tracking code from the receipt e-mail' })
  @Matches(TRACKING_TOKEN_PATTERN, { message: 'kode pelacakan tidak valid (malformed tracking code)' })
  token: string;
}

/** The reporter's answer to a report returned as incomplete (multipart, optional `evidence` files). */
export class SupplementDto extends TrackQueryDto {
  @ApiProperty({ maxLength: 20000 })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(20000)
  message: string;

  @ApiPropertyOptional({ type: [ObservableInputDto] })
  @Transform(listField({ of: ObservableInputDto }))
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => ObservableInputDto)
  observables?: ObservableInputDto[];
}

export class ReportReceiptDto {
  @ApiProperty({ example: 'INC-2026-000001' }) ticket: string;
  @ApiProperty({ description: 'Private link to follow the report; shown and mailed once, never stored' }) trackingUrl: string;
}
