import type { SchemaParts } from '../../libs/core/src/database/data-source.factory.js';

/** Feature libraries' entities and migrations, added here as features land. */
export const ALL_SCHEMA_PARTS: SchemaParts[] = [];
