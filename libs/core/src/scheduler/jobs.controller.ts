import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator.js';
import type { Page } from '../http/pagination.js';
import { JobRunPageDto, JobRunQueryDto, type JobRunDto } from './dto/job-run.dto.js';
import { JobRunner } from './job-runner.service.js';

@ApiTags('jobs')
@ApiBearerAuth()
@Controller('jobs')
export class JobsController {
  constructor(private readonly runner: JobRunner) {}

  @Get('runs')
  @Access('jobs.read')
  @ApiOperation({ summary: 'Scheduled job runs across all instances, newest first' })
  @ApiOkResponse({ type: JobRunPageDto })
  runs(@Query() q: JobRunQueryDto): Promise<Page<JobRunDto>> {
    return this.runner.listRuns(q);
  }
}
