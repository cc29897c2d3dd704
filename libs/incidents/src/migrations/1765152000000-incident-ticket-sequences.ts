import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Ticket numbers come from one sequence per year (`incident_ticket_seq_<year>`, created on first use
 * by IncidentRepository) instead of a counter row: the row was locked from the first statement of
 * every intake until its commit, so reports were taken one at a time. A sequence hands out numbers
 * without a lock; a report whose transaction fails leaves a gap in that year's numbers, which is
 * fine for ticket numbers. The counters' values carry over into the sequences.
 */
export class IncidentTicketSequences1765152000000 implements MigrationInterface {
  name = 'IncidentTicketSequences1765152000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      DO $$
      DECLARE r record;
      BEGIN
        FOR r IN SELECT year, last_value FROM incident_ticket_counters LOOP
          EXECUTE format('CREATE SEQUENCE incident_ticket_seq_%s AS integer MINVALUE 1 MAXVALUE 999999 NO CYCLE', r.year);
          PERFORM setval(format('incident_ticket_seq_%s', r.year), r.last_value, true);
        END LOOP;
      END
      $$;
      DROP TABLE incident_ticket_counters;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE incident_ticket_counters (
        year integer PRIMARY KEY CHECK (year BETWEEN 2000 AND 9999),
        last_value integer NOT NULL CHECK (last_value BETWEEN 1 AND 999999)
      );
      DO $$
      DECLARE r record;
      BEGIN
        FOR r IN SELECT sequencename, last_value FROM pg_sequences
                  WHERE schemaname = current_schema() AND sequencename ~ '^incident_ticket_seq_[0-9]{4}$' LOOP
          IF r.last_value IS NOT NULL THEN
            INSERT INTO incident_ticket_counters (year, last_value) VALUES (right(r.sequencename, 4)::integer, r.last_value);
          END IF;
          EXECUTE format('DROP SEQUENCE %I', r.sequencename);
        END LOOP;
      END
      $$;
    `);
  }
}
