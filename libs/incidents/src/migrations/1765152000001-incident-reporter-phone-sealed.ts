import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The reporter's phone number, encrypted at rest (AES-256-GCM, `DataCipher` in core, purpose
 * `incident.reporter_phone`). SQL cannot encrypt without the key, so this only adds the column: the
 * service writes the sealed value and never the clear one, reads old rows from `reporter_phone`, and
 * the job `incidents.seal_legacy_phones` (a data backfill, separate from this schema change) seals
 * the clear numbers of rows written before and empties `reporter_phone`.
 */
export class IncidentReporterPhoneSealed1765152000001 implements MigrationInterface {
  name = 'IncidentReporterPhoneSealed1765152000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE incidents ADD COLUMN reporter_phone_sealed text NULL CHECK (reporter_phone_sealed ~ '^v1\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]+$');
      COMMENT ON COLUMN incidents.reporter_phone IS 'Legacy clear phone number: only rows written before reporter_phone_sealed; emptied by the incidents.seal_legacy_phones backfill.';
      CREATE INDEX incidents_legacy_phone_idx ON incidents (id) WHERE reporter_phone IS NOT NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX incidents_legacy_phone_idx;
      COMMENT ON COLUMN incidents.reporter_phone IS NULL;
      ALTER TABLE incidents DROP COLUMN reporter_phone_sealed;
    `);
  }
}
