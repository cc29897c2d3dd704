import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Events queued for the audit chain (AuditService.append): written in the transaction of the change
 * they describe, without the chain lock, and moved into audit_events by the sealer in batches.
 * A queued event is never edited: the sealer only deletes it as it links it.
 */
export class AuditPending1765065600000 implements MigrationInterface {
  name = 'AuditPending1765065600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_pending (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        occurred_at timestamptz NOT NULL,
        actor_id uuid NULL,
        actor_name varchar(200) NULL,
        actor_roles text[] NOT NULL DEFAULT '{}',
        action varchar(100) NOT NULL,
        entity_type varchar(100) NOT NULL,
        entity_id varchar(100) NULL,
        summary jsonb NOT NULL DEFAULT '{}'::jsonb,
        request_id varchar(100) NULL,
        ip varchar(64) NULL
      );

      CREATE FUNCTION audit_pending_no_update() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_pending rows are never edited: UPDATE refused' USING ERRCODE = '42501';
      END;
      $$;
      CREATE TRIGGER audit_pending_no_update BEFORE UPDATE ON audit_pending
        FOR EACH ROW EXECUTE FUNCTION audit_pending_no_update();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE audit_pending;
      DROP FUNCTION audit_pending_no_update();
    `);
  }
}
