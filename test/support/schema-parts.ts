import type { SchemaParts } from '../../libs/core/src/database/data-source.factory.js';
import { FEATURE_SCHEMAS } from '../../apps/api/src/features.js';

/** The same feature list the server and the CLI use. */
export const ALL_SCHEMA_PARTS: SchemaParts[] = FEATURE_SCHEMAS;
