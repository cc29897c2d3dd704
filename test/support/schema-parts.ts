import type { SchemaParts } from '../../libs/core/src/database/data-source.factory.js';
import { INCIDENTS_SCHEMA } from '../../libs/incidents/src/incidents-schema.js';

/** Feature libraries' entities and migrations, added here as features land. */
export const ALL_SCHEMA_PARTS: SchemaParts[] = [INCIDENTS_SCHEMA];
