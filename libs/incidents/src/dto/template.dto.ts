import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { queryBoolean } from './query.dto.js';
import { trim } from './report.dto.js';

export class CreateTemplateDto {
  @ApiProperty({ example: 'Pemulihan situs yang dideface' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  title: string;

  @ApiProperty({ description: 'Recommendation text in Bahasa Indonesia' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(20000)
  bodyId: string;

  @ApiProperty({ description: 'Recommendation text in English' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(20000)
  bodyEn: string;

  @ApiPropertyOptional({ type: [String], description: 'RSIT codes (or quick-pick keys) it fits; empty = any incident' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  categoryCodes?: string[];
}

export class UpdateTemplateDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  title?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(20000)
  bodyId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(20000)
  bodyEn?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  categoryCodes?: string[];

  @ApiPropertyOptional({ description: 'Templates are retired, not deleted' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class TemplateQueryDto {
  @ApiPropertyOptional({ description: 'Only templates that fit this RSIT code (and generic ones)' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  category?: string;

  @ApiPropertyOptional({ type: Boolean, default: false })
  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean()
  includeInactive?: boolean;
}

export class TemplateDto {
  @ApiProperty() id: string;
  @ApiProperty() title: string;
  @ApiProperty() bodyId: string;
  @ApiProperty() bodyEn: string;
  @ApiProperty({ type: [String] }) categoryCodes: string[];
  @ApiProperty() active: boolean;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}
