import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsISO8601, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength, ValidateIf, ValidateNested } from 'class-validator';
import { COORDINATION_PARTY_KINDS, type CoordinationPartyKind } from '../entities/incident-coordination.entity.js';
import { INCIDENT_ACTIONS, TEAMS, type IncidentAction, type Team } from '../incident.workflow.js';
import { IMPACTS, URGENCIES, type Impact, type Urgency } from '../priority.policy.js';
import { TLP_LABELS, type TlpLabel } from '../tlp.js';
import { trim } from './report.dto.js';

const FIELD_KIND = 'sandi:incident-field-kind';
/** What a value refers to, beyond its validation: how a form offers it (see action-form.ts). */
export type FieldKindName = 'category' | 'org_unit' | 'user';
export const FieldKind =
  (kind: FieldKindName): PropertyDecorator =>
  (target, key) =>
    Reflect.defineMetadata(FIELD_KIND, kind, target, key);
export function fieldKindOf(cls: new () => object, property: string): FieldKindName | undefined {
  return Reflect.getMetadata(FIELD_KIND, cls.prototype as object, property) as FieldKindName | undefined;
}

/** Trimmed, non-empty text of at most `max` characters. */
const Text = (max: number) => applyDecorators(Transform(trim), IsString(), IsNotEmpty(), MaxLength(max));

export class ClassificationDto {
  @ApiPropertyOptional({ description: 'RSIT code or quick-pick key' })
  @IsOptional()
  @FieldKind('category')
  @Text(100)
  category?: string;

  @ApiPropertyOptional({ enum: IMPACTS })
  @IsOptional()
  @IsIn(IMPACTS)
  impact?: Impact;

  @ApiPropertyOptional({ enum: URGENCIES })
  @IsOptional()
  @IsIn(URGENCIES)
  urgency?: Urgency;

  @ApiPropertyOptional({ enum: TLP_LABELS })
  @IsOptional()
  @IsIn(TLP_LABELS)
  tlp?: TlpLabel;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String })
  @IsOptional()
  @FieldKind('org_unit')
  @IsUUID()
  opdUnitId?: string | null;
}

export class CoordinationDto {
  @ApiProperty({ example: 'Gov-CSIRT Indonesia (BSSN)' })
  @Text(200)
  partyName: string;

  @ApiProperty({ enum: COORDINATION_PARTY_KINDS })
  @IsIn(COORDINATION_PARTY_KINDS)
  partyKind: CoordinationPartyKind;

  @ApiPropertyOptional({ example: 'bantuan70@bssn.go.id' })
  @IsOptional()
  @Text(300)
  contact?: string;

  @ApiProperty({ format: 'date-time' })
  @IsISO8601({ strict: true })
  contactedAt: string;

  @ApiPropertyOptional({ example: 'BSSN-2026-0042', description: "The other party's ticket or letter number" })
  @IsOptional()
  @Text(200)
  theirReference?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Text(10000)
  notes?: string;
}

export class AssignmentDto {
  @ApiProperty({ enum: TEAMS })
  @IsIn(TEAMS)
  team: Team;

  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'A user holding the team role; null removes the assignment' })
  @ValidateIf((_, v) => v !== null)
  @FieldKind('user')
  @IsUUID()
  userId: string | null;
}

/**
 * The payload of a workflow step. Each action accepts some of these parts and requires some (see
 * `INCIDENT_TRANSITIONS`); a part the action does not take is refused rather than ignored.
 */
export class IncidentActionDto {
  @ApiPropertyOptional({ description: 'Internal note for the timeline (not shown to the reporter)' })
  @IsOptional()
  @Text(5000)
  note?: string;

  @ApiPropertyOptional({ description: 'Message to the reporter (return_incomplete, close_reporter_status)' })
  @IsOptional()
  @Text(5000)
  message?: string;

  @ApiPropertyOptional({ description: 'Why the report is out of scope (reject_out_of_scope); sent to the reporter' })
  @IsOptional()
  @Text(5000)
  reason?: string;

  @ApiPropertyOptional({ description: 'Initial recommendation and solution for the reporter' })
  @IsOptional()
  @Text(20000)
  recommendation?: string;

  @ApiPropertyOptional({ description: 'Recommendation and resolution report of the handling team' })
  @IsOptional()
  @Text(50000)
  resolutionReport?: string;

  @ApiPropertyOptional({ description: 'Closure record of the data team' })
  @IsOptional()
  @Text(20000)
  closureRecord?: string;

  @ApiPropertyOptional({ type: ClassificationDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ClassificationDto)
  classification?: ClassificationDto;

  @ApiPropertyOptional({ type: CoordinationDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => CoordinationDto)
  coordination?: CoordinationDto;

  @ApiPropertyOptional({ type: AssignmentDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => AssignmentDto)
  assignment?: AssignmentDto;

  @ApiPropertyOptional()
  @IsOptional()
  @Text(10000)
  comment?: string;
}

export class ActionParamsDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id: string;

  @ApiProperty({ enum: INCIDENT_ACTIONS })
  @IsIn(INCIDENT_ACTIONS, { message: 'tindakan tidak dikenal (unknown action)' })
  action: IncidentAction;
}

export class CommentDto {
  @ApiProperty({ maxLength: 10000 })
  @Text(10000)
  comment: string;
}

export class AssignDto {
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'null removes the assignment' })
  @ValidateIf((_, v) => v !== null)
  @IsUUID()
  userId: string | null;
}

export class TeamParamsDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id: string;

  @ApiProperty({ enum: TEAMS })
  @IsIn(TEAMS)
  team: Team;
}

export class TeamOnlyParamsDto {
  @ApiProperty({ enum: TEAMS })
  @IsIn(TEAMS)
  team: Team;
}
