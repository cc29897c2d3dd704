import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator.js';
import type { Page } from '../http/pagination.js';
import { AuditService, type AuditEventView, type AuditVerifyResult } from './audit.service.js';
import { AuditEventPageDto, AuditQueryDto, AuditVerifyDto } from './dto/audit-query.dto.js';

@ApiTags('audit')
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get('events')
  @Access('audit.read')
  @ApiOperation({ summary: 'Audit events, newest first' })
  @ApiOkResponse({ type: AuditEventPageDto })
  events(@Query() query: AuditQueryDto): Promise<Page<AuditEventView>> {
    return this.audit.list(query);
  }

  @Get('verify')
  @Access('audit.read')
  @ApiOperation({ summary: 'Re-walk the hash chain and name the first broken event' })
  @ApiOkResponse({ type: AuditVerifyDto })
  verify(): Promise<AuditVerifyResult> {
    return this.audit.verify();
  }
}
