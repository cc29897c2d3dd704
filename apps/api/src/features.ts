import type { SchemaParts } from '@sandi/core';
import { INCIDENTS_SCHEMA } from '@sandi/incidents';

/** Every feature library's entities and migrations: the server, the CLI and the tests use this list. */
export const FEATURE_SCHEMAS: SchemaParts[] = [INCIDENTS_SCHEMA];
