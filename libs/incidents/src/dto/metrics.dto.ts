import { ApiProperty } from '@nestjs/swagger';

export class DurationStatsDto {
  @ApiProperty() count: number;
  @ApiProperty({ nullable: true, type: Number }) averageHours: number | null;
  @ApiProperty({ nullable: true, type: Number }) medianHours: number | null;
  @ApiProperty({ nullable: true, type: Number }) maxHours: number | null;
}

export class ComplianceDto {
  @ApiProperty() met: number;
  @ApiProperty() missed: number;
  @ApiProperty({ nullable: true, type: Number, description: 'met / (met + missed) × 100' }) percent: number | null;
}

export class SlaComplianceDto {
  @ApiProperty({ type: ComplianceDto }) recommendation: ComplianceDto;
  @ApiProperty({ type: ComplianceDto }) resolution: ComplianceDto;
  @ApiProperty({ type: ComplianceDto }) closure: ComplianceDto;
  @ApiProperty({ type: ComplianceDto }) overall: ComplianceDto;
}

export class OpdCountDto {
  @ApiProperty({ nullable: true, type: String }) unitId: string | null;
  @ApiProperty({ nullable: true, type: String }) unitName: string | null;
  @ApiProperty() count: number;
}

export class MonthFiguresDto {
  @ApiProperty({ example: '2026-03' }) month: string;
  @ApiProperty() total: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, example: { 'fraud/phishing': 3 } }) byCategory: Record<
    string,
    number
  >;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, example: { P2: 1 } }) byPriority: Record<string, number>;
  @ApiProperty({ type: [OpdCountDto] }) byOpd: OpdCountDto[];
}

export class IncidentMetricsDto {
  @ApiProperty({ format: 'date-time' }) from: string;
  @ApiProperty({ format: 'date-time' }) to: string;
  @ApiProperty() total: number;
  @ApiProperty() rejected: number;
  @ApiProperty() open: number;
  @ApiProperty({ type: DurationStatsDto, description: 'From the report to validation by the helpdesk' }) timeToValidate: DurationStatsDto;
  @ApiProperty({ type: DurationStatsDto, description: 'From the report to the initial recommendation' })
  timeToInitialRecommendation: DurationStatsDto;
  @ApiProperty({ type: DurationStatsDto, description: 'From the report to the resolution report' }) timeToResolution: DurationStatsDto;
  @ApiProperty({ type: SlaComplianceDto }) slaCompliance: SlaComplianceDto;
  @ApiProperty({ type: [MonthFiguresDto] }) byMonth: MonthFiguresDto[];
}
