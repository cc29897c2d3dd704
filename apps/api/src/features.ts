import type { SchemaParts } from '@sandi/core';
import { CERTIFICATES_SCHEMA } from '@sandi/certificates';
import { INCIDENTS_SCHEMA } from '@sandi/incidents';

/** Every feature library's entities and migrations: the server, the CLI and the tests use this list. */
export const FEATURE_SCHEMAS: SchemaParts[] = [INCIDENTS_SCHEMA, CERTIFICATES_SCHEMA];
