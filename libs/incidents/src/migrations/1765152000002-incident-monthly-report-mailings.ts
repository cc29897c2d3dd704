import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One row per month whose report notice went out (the job runs daily and mails on the first working
 * day of the month, or the first run after it): the row is written in the transaction that queues
 * the mail, so a month is announced exactly once, across instances and retries.
 */
export class IncidentMonthlyReportMailings1765152000002 implements MigrationInterface {
  name = 'IncidentMonthlyReportMailings1765152000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE incident_monthly_report_mailings (
        month char(7) PRIMARY KEY CHECK (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
        mailed_at timestamptz NOT NULL,
        recipients integer NOT NULL CHECK (recipients >= 0),
        incidents integer NOT NULL CHECK (incidents >= 0)
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE incident_monthly_report_mailings;`);
  }
}
