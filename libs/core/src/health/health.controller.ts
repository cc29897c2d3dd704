import { Controller, Get, Header, Req, ServiceUnavailableException } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { Public } from '../auth/access.decorator.js';
import { AuthErrorCode, AuthException } from '../auth/auth.exception.js';
import { ConfigService } from '../config/config.service.js';
import { MetricsService } from './metrics.service.js';

/** Liveness, readiness (database answers) and Prometheus metrics; outside the /api/v1 prefix. */
@ApiTags('health')
@Controller()
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly metrics: MetricsService,
    private readonly config: ConfigService,
  ) {}

  @Get('health/live')
  @Public()
  @ApiOkResponse({ description: 'The process is up.' })
  live() {
    return { status: 'ok' };
  }

  @Get('health/ready')
  @Public()
  @ApiOkResponse({ description: 'The database answers; 503 otherwise.' })
  async ready() {
    const started = Date.now();
    try {
      await Promise.race([
        this.dataSource.query('SELECT 1'),
        new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 3000)),
      ]);
    } catch {
      throw new ServiceUnavailableException('Basis data tidak menjawab (database unavailable)');
    }
    return { status: 'ok', checks: { database: { status: 'up', latencyMs: Date.now() - started } } };
  }

  @Get('metrics')
  @Public()
  @ApiExcludeEndpoint()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  async prometheus(@Req() req: Request): Promise<string> {
    const token = this.config.get('METRICS_TOKEN');
    if (token && req.header('authorization') !== `Bearer ${token}`) {
      throw new AuthException(AuthErrorCode.Unauthenticated, 'Token metrik diperlukan (metrics token required)');
    }
    return this.metrics.registry.metrics();
  }
}
