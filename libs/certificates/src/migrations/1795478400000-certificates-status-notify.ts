import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every change to a certificate's status (issuance, revocation, expiry, deletion), by any API
 * instance or by hand, notifies channel `certificates_status` with the serial after the commit, so
 * the OCSP responders' status caches drop that entry at once.
 */
export class CertificatesStatusNotify1795478400000 implements MigrationInterface {
  name = 'CertificatesStatusNotify1795478400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION certificates_status_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          PERFORM pg_notify('certificates_status', OLD.serial);
          RETURN OLD;
        END IF;
        IF TG_OP = 'UPDATE' AND OLD.serial IS DISTINCT FROM NEW.serial THEN
          PERFORM pg_notify('certificates_status', OLD.serial);
        END IF;
        PERFORM pg_notify('certificates_status', NEW.serial);
        RETURN NEW;
      END $$;
      CREATE TRIGGER certificates_status_notify
        AFTER INSERT OR DELETE OR UPDATE OF serial, status, revoked_at, revocation_reason, adapter ON certificates
        FOR EACH ROW EXECUTE FUNCTION certificates_status_notify();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER certificates_status_notify ON certificates; DROP FUNCTION certificates_status_notify();`);
  }
}
