import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SOC incidents: the incident itself, its evidence (content-addressed files, append-only for the
 * chain of custody), observables, timeline, coordination with other CSIRTs / agencies, recommendation
 * templates, and the per-year ticket counter.
 */
export class IncidentsSchema1764201600000 implements MigrationInterface {
  name = 'IncidentsSchema1764201600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE incident_ticket_counters (
        year integer PRIMARY KEY CHECK (year BETWEEN 2000 AND 9999),
        last_value integer NOT NULL CHECK (last_value BETWEEN 1 AND 999999)
      );

      CREATE TABLE incidents (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        ticket varchar(20) NOT NULL UNIQUE CHECK (ticket ~ '^INC-[0-9]{4}-[0-9]{6}$'),
        status varchar(30) NOT NULL CHECK (status IN ('reported','returned_to_reporter','rejected','validated','recorded',
                                                      'in_analysis','in_handling','resolved','closed','reporter_closed')),
        source varchar(10) NOT NULL CHECK (source IN ('public','staff','api')),
        reporter_name varchar(200) NOT NULL,
        reporter_organisation varchar(200) NULL,
        reporter_unit varchar(200) NULL,
        -- Null only for a report the helpdesk took by phone or letter from someone without e-mail.
        reporter_email varchar(254) NULL,
        -- Kept in its own column so that encrypting it at rest later touches nothing else.
        reporter_phone varchar(50) NULL,
        reporter_locale varchar(2) NOT NULL DEFAULT 'id' CHECK (reporter_locale IN ('id','en')),
        title varchar(200) NOT NULL,
        description text NOT NULL,
        occurred_at timestamptz NULL,
        affected_systems text[] NOT NULL DEFAULT '{}',
        category_code varchar(100) NOT NULL,
        impact varchar(10) NOT NULL CHECK (impact IN ('low','medium','high','critical')),
        urgency varchar(10) NOT NULL CHECK (urgency IN ('low','medium','high')),
        priority varchar(2) NOT NULL CHECK (priority IN ('P1','P2','P3','P4')),
        tlp varchar(12) NOT NULL CHECK (tlp IN ('CLEAR','GREEN','AMBER','AMBER+STRICT','RED')),
        opd_unit_id uuid NULL REFERENCES org_units(id),
        assignee_helpdesk_id uuid NULL REFERENCES users(id),
        assignee_data_id uuid NULL REFERENCES users(id),
        assignee_analyst_id uuid NULL REFERENCES users(id),
        assignee_handler_id uuid NULL REFERENCES users(id),
        return_message text NULL,
        rejection_reason text NULL,
        recommendation text NULL,
        recommendation_sent_at timestamptz NULL,
        resolution_report text NULL,
        closure_record text NULL,
        closed_automatically boolean NOT NULL DEFAULT false,
        escalated_at timestamptz NULL,
        reported_at timestamptz NOT NULL,
        sla_started_at timestamptz NOT NULL,
        recommendation_due_at timestamptz NOT NULL,
        resolution_due_at timestamptz NOT NULL,
        closure_due_at timestamptz NOT NULL,
        sla_breached_at timestamptz NULL,
        sla_breaches text[] NOT NULL DEFAULT '{}',
        sla_warnings_sent text[] NOT NULL DEFAULT '{}',
        validated_at timestamptz NULL,
        recorded_at timestamptz NULL,
        analysis_started_at timestamptz NULL,
        recommended_at timestamptz NULL,
        handed_over_at timestamptz NULL,
        resolved_at timestamptz NULL,
        closed_at timestamptz NULL,
        reporter_closed_at timestamptz NULL,
        rejected_at timestamptz NULL,
        tracking_token_hash char(64) NOT NULL CHECK (tracking_token_hash ~ '^[0-9a-f]{64}$'),
        created_by uuid NULL REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (sla_started_at >= reported_at),
        CHECK (recommendation_due_at <= resolution_due_at AND resolution_due_at <= closure_due_at),
        CHECK (status NOT IN ('resolved','closed','reporter_closed') OR resolution_report IS NOT NULL),
        CHECK (status NOT IN ('closed','reporter_closed') OR closure_record IS NOT NULL),
        CHECK (status NOT IN ('in_handling','resolved','closed','reporter_closed') OR recommendation_sent_at IS NOT NULL)
      );
      CREATE INDEX incidents_status_idx ON incidents (status);
      CREATE INDEX incidents_reported_idx ON incidents (reported_at DESC);
      CREATE INDEX incidents_category_idx ON incidents (category_code);
      CREATE INDEX incidents_opd_unit_idx ON incidents (opd_unit_id);
      CREATE INDEX incidents_open_due_idx ON incidents (closure_due_at) WHERE status NOT IN ('rejected','reporter_closed');
      CREATE INDEX incidents_assignee_data_idx ON incidents (assignee_data_id);
      CREATE INDEX incidents_assignee_analyst_idx ON incidents (assignee_analyst_id);
      CREATE INDEX incidents_assignee_handler_idx ON incidents (assignee_handler_id);
      CREATE INDEX incidents_assignee_helpdesk_idx ON incidents (assignee_helpdesk_id);

      CREATE TABLE incident_evidence (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        incident_id uuid NOT NULL REFERENCES incidents(id),
        sha256 char(64) NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        size bigint NOT NULL CHECK (size > 0),
        file_name varchar(255) NOT NULL CHECK (length(file_name) > 0),
        content_type varchar(127) NOT NULL,
        uploader varchar(10) NOT NULL CHECK (uploader IN ('reporter','staff')),
        uploaded_by uuid NULL REFERENCES users(id),
        uploaded_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (incident_id, sha256),
        CHECK ((uploader = 'staff') = (uploaded_by IS NOT NULL))
      );
      CREATE INDEX incident_evidence_sha256_idx ON incident_evidence (sha256);

      -- Chain of custody: an evidence record, once written, is never changed or removed.
      CREATE FUNCTION incident_evidence_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'incident_evidence is append-only: % refused', TG_OP USING ERRCODE = '42501';
      END;
      $$;
      CREATE TRIGGER incident_evidence_no_update_delete BEFORE UPDATE OR DELETE ON incident_evidence
        FOR EACH ROW EXECUTE FUNCTION incident_evidence_append_only();

      CREATE TABLE incident_observables (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        incident_id uuid NOT NULL REFERENCES incidents(id),
        type varchar(10) NOT NULL CHECK (type IN ('ipv4','ipv6','domain','hostname','url','email','md5','sha1','sha256','cve','asn')),
        value varchar(2048) NOT NULL CHECK (length(value) > 0),
        added_by uuid NULL REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (incident_id, type, value)
      );
      CREATE INDEX incident_observables_type_value_idx ON incident_observables (type, value);

      CREATE TABLE incident_timeline (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        incident_id uuid NOT NULL REFERENCES incidents(id),
        at timestamptz NOT NULL DEFAULT now(),
        kind varchar(40) NOT NULL,
        from_status varchar(30) NULL,
        to_status varchar(30) NULL,
        actor_kind varchar(10) NOT NULL CHECK (actor_kind IN ('staff','reporter','system')),
        actor_id uuid NULL REFERENCES users(id),
        actor_name varchar(200) NULL,
        body text NULL,
        detail jsonb NOT NULL DEFAULT '{}'::jsonb,
        visible_to_reporter boolean NOT NULL DEFAULT false
      );
      CREATE INDEX incident_timeline_incident_idx ON incident_timeline (incident_id, id);

      CREATE TABLE incident_coordinations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        incident_id uuid NOT NULL REFERENCES incidents(id),
        party_name varchar(200) NOT NULL,
        party_kind varchar(10) NOT NULL CHECK (party_kind IN ('csirt','agency','vendor','isp','other')),
        contact varchar(300) NULL,
        contacted_at timestamptz NOT NULL,
        their_reference varchar(200) NULL,
        notes text NULL,
        recorded_by uuid NOT NULL REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX incident_coordinations_incident_idx ON incident_coordinations (incident_id);

      CREATE TABLE incident_recommendation_templates (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        title varchar(200) NOT NULL,
        body_id text NOT NULL,
        body_en text NOT NULL,
        category_codes text[] NOT NULL DEFAULT '{}',
        active boolean NOT NULL DEFAULT true,
        created_by uuid NULL REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX incident_recommendation_templates_title_key ON incident_recommendation_templates (lower(title));
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE incident_recommendation_templates;
      DROP TABLE incident_coordinations;
      DROP TABLE incident_timeline;
      DROP TABLE incident_observables;
      DROP TABLE incident_evidence;
      DROP FUNCTION incident_evidence_append_only();
      DROP TABLE incidents;
      DROP TABLE incident_ticket_counters;
    `);
  }
}
