import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsISO8601, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { IdParamDto, PageQueryDto } from '@sandi/core';
import { INCIDENT_STATES, TEAMS, type IncidentState, type Team } from '../incident.workflow.js';
import { PRIORITIES, type Priority } from '../priority.policy.js';

/** `true`/`false` as query text; anything else is left for @IsBoolean to refuse. */
export const queryBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);
/** `a,b` or repeated parameters → array. */
const queryList = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : value;

export class IncidentQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: TEAMS, description: "A team's queue: the states it holds, most urgent first" })
  @IsOptional()
  @IsIn(TEAMS)
  team?: Team;

  @ApiPropertyOptional({ enum: INCIDENT_STATES, isArray: true, description: 'One or more, comma-separated' })
  @IsOptional()
  @Transform(queryList)
  @IsArray()
  @ArrayMaxSize(INCIDENT_STATES.length)
  @IsIn(INCIDENT_STATES, { each: true })
  status?: IncidentState[];

  @ApiPropertyOptional({ enum: PRIORITIES })
  @IsOptional()
  @IsIn(PRIORITIES)
  priority?: Priority;

  @ApiPropertyOptional({ description: 'RSIT code' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  category?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  opdUnitId?: string;

  @ApiPropertyOptional({ type: Boolean, description: 'Only incidents past a due date they have not met' })
  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean()
  overdue?: boolean;

  @ApiPropertyOptional({ type: Boolean, description: 'Only incidents assigned to the caller (for any team)' })
  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean()
  assignedToMe?: boolean;

  @ApiPropertyOptional({ description: 'Search in ticket, title and reporter name, organisation and e-mail' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}

export class CsvQueryDto {
  @ApiPropertyOptional({ format: 'date-time', description: 'Reported at or after' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Reported before' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}

export class MetricsQueryDto {
  @ApiProperty({ format: 'date-time', description: 'Reported at or after' })
  @IsISO8601({ strict: true })
  from: string;

  @ApiProperty({ format: 'date-time', description: 'Reported before' })
  @IsISO8601({ strict: true })
  to: string;
}

/** Re-exported for the library's controllers: one class for every `:id` parameter. */
export { IdParamDto };

export class EvidenceParamsDto extends IdParamDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  evidenceId: string;
}

export class ObservableParamsDto extends IdParamDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  observableId: string;
}

export class MonthlyReportQueryDto {
  @ApiProperty({ example: '2026-03', description: 'Calendar month in office time (WIB)' })
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'bulan: YYYY-MM (month as YYYY-MM)' })
  month: string;
}
