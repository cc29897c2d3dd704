import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../http/pagination.js';
import type { AuditBrokenLink, AuditEventView, AuditVerifyResult } from '../audit.service.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** Filters of `GET /audit/events`; every filter is an exact match. */
export class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'user.create' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  action?: string;

  @ApiPropertyOptional({ example: 'user' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  entityType?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  entityId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  actorId?: string;
}

// Response shapes, for the OpenAPI document.

export class AuditEventDto implements AuditEventView {
  @ApiProperty({ description: 'Position in the chain (int8, as a string)', example: '42' }) seq: string;
  @ApiProperty({ format: 'date-time' }) occurredAt: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) actorId: string | null;
  @ApiProperty({ nullable: true, type: String, description: "User's full name, or 'system:<job>' for jobs and CLI" }) actorName:
    string | null;
  @ApiProperty({ type: [String] }) actorRoles: string[];
  @ApiProperty() action: string;
  @ApiProperty() entityType: string;
  @ApiProperty({ nullable: true, type: String }) entityId: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: '{before, after, detail} with secrets redacted' })
  summary: Record<string, unknown>;
  @ApiProperty({ nullable: true, type: String }) requestId: string | null;
  @ApiProperty({ description: 'sha256 hex of prev_hash + canonical JSON of the event' }) hash: string;
}

export class AuditEventPageDto {
  @ApiProperty({ type: [AuditEventDto] }) items: AuditEventDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}

export class AuditBrokenLinkDto implements AuditBrokenLink {
  @ApiProperty({ example: '3' }) seq: string;
  @ApiProperty({ example: 'hash mismatch: content changed' }) reason: string;
}

export class AuditVerifyDto implements AuditVerifyResult {
  @ApiProperty() ok: boolean;
  @ApiProperty({ description: 'Events found intact before the first broken one (all of them when ok)' }) checked: number;
  @ApiProperty({ nullable: true, type: String, description: 'Hash of the last intact event (the head when ok)' }) headHash: string | null;
  @ApiProperty({ nullable: true, type: AuditBrokenLinkDto }) firstBroken: AuditBrokenLinkDto | null;
}
