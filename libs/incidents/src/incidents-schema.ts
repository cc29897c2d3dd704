import type { SchemaParts } from '@sandi/core';
import { IncidentCoordinationEntity } from './entities/incident-coordination.entity.js';
import { IncidentEvidenceEntity } from './entities/incident-evidence.entity.js';
import { IncidentObservableEntity } from './entities/incident-observable.entity.js';
import { IncidentTimelineEntity } from './entities/incident-timeline.entity.js';
import { IncidentEntity } from './entities/incident.entity.js';
import { RecommendationTemplateEntity } from './entities/recommendation-template.entity.js';
import { IncidentsSchema1764201600000 } from './migrations/1764201600000-incidents-schema.js';
import { IncidentTicketSequences1765152000000 } from './migrations/1765152000000-incident-ticket-sequences.js';
import { IncidentReporterPhoneSealed1765152000001 } from './migrations/1765152000001-incident-reporter-phone-sealed.js';
import { IncidentMonthlyReportMailings1765152000002 } from './migrations/1765152000002-incident-monthly-report-mailings.js';

/** The incidents library's tables, for the application's data source and the test databases. */
export const INCIDENTS_SCHEMA: SchemaParts = {
  entities: [
    IncidentEntity,
    IncidentEvidenceEntity,
    IncidentObservableEntity,
    IncidentTimelineEntity,
    IncidentCoordinationEntity,
    RecommendationTemplateEntity,
  ],
  migrations: [
    IncidentsSchema1764201600000,
    IncidentTicketSequences1765152000000,
    IncidentReporterPhoneSealed1765152000001,
    IncidentMonthlyReportMailings1765152000002,
  ],
};
