import { Module } from '@nestjs/common';
import { EvidenceUploadInterceptor } from './evidence-upload.interceptor.js';
import { IncidentExportService } from './incident-export.service.js';
import { IncidentMailService } from './incident-mail.service.js';
import { IncidentReportsController } from './incident-reports.controller.js';
import { IncidentSlaService } from './incident-sla.service.js';
import { IncidentTaxonomyController } from './incident-taxonomy.controller.js';
import { IncidentRepository } from './incident.repository.js';
import { IncidentService } from './incident.service.js';
import { IncidentsController } from './incidents.controller.js';
import { IncidentsJobs } from './incidents.jobs.js';
import { PublicIncidentsController } from './public-incidents.controller.js';
import { RecommendationTemplateService } from './recommendation-template.service.js';
import { RecommendationTemplatesController } from './recommendation-templates.controller.js';

/**
 * SOC incident handling (Layanan Security Operation Center). Needs CoreModule (global): DataSource,
 * ConfigService, AuditService, NotifyService, FileStorageService, CalendarService.
 */
@Module({
  // IncidentReportsController first: its /incidents/metrics must win over /incidents/:id.
  controllers: [
    IncidentReportsController,
    PublicIncidentsController,
    IncidentTaxonomyController,
    IncidentsController,
    RecommendationTemplatesController,
  ],
  providers: [
    IncidentRepository,
    IncidentMailService,
    IncidentService,
    IncidentSlaService,
    IncidentExportService,
    RecommendationTemplateService,
    IncidentsJobs,
    EvidenceUploadInterceptor,
  ],
  exports: [IncidentService, IncidentSlaService],
})
export class IncidentsModule {}
