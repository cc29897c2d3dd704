import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../http/pagination.js';
import type { JobRunStatus } from '../job-run.entity.js';

export class JobRunQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'auth.sessions.purge', description: 'Only runs of this job' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() || undefined : value))
  @IsString()
  @MaxLength(100)
  job?: string;
}

export class JobRunDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'auth.sessions.purge' }) job: string;
  @ApiProperty({ type: String, format: 'date-time', description: 'Scheduled slot (fire time truncated to the period)' }) slot: string;
  @ApiProperty({ description: 'Instance that ran it' }) instance: string;
  @ApiProperty({ enum: ['running', 'succeeded', 'failed'] }) status: JobRunStatus;
  @ApiProperty({ type: String, format: 'date-time' }) startedAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) finishedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) error: string | null;
}

export class JobRunPageDto {
  @ApiProperty({ type: [JobRunDto] }) items: JobRunDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}
