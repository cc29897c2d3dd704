import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Core schema: organisation, identities and sessions, the audit chain, mail outbox, job runs. */
export class CoreSchema1763800000000 implements MigrationInterface {
  name = 'CoreSchema1763800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE org_units (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code varchar(32) NOT NULL,
        name varchar(200) NOT NULL,
        kind varchar(20) NOT NULL CHECK (kind IN ('dinas','badan','kantor','bagian','bidang','seksi','kecamatan','lainnya')),
        parent_id uuid NULL REFERENCES org_units(id),
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (parent_id IS NULL OR parent_id <> id)
      );
      CREATE UNIQUE INDEX org_units_code_key ON org_units (lower(code));
      CREATE INDEX org_units_parent_idx ON org_units (parent_id);

      CREATE TABLE org_positions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        unit_id uuid NOT NULL REFERENCES org_units(id),
        title varchar(200) NOT NULL,
        echelon varchar(20) NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX org_positions_unit_title_key ON org_positions (unit_id, lower(title));

      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username varchar(64) NOT NULL,
        full_name varchar(200) NOT NULL,
        email varchar(254) NOT NULL,
        password_hash text NOT NULL,
        roles text[] NOT NULL DEFAULT '{}',
        unit_id uuid NULL REFERENCES org_units(id),
        position_id uuid NULL REFERENCES org_positions(id),
        locale varchar(2) NOT NULL DEFAULT 'id' CHECK (locale IN ('id','en')),
        active boolean NOT NULL DEFAULT true,
        must_change_password boolean NOT NULL DEFAULT false,
        failed_logins integer NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
        locked_until timestamptz NULL,
        password_changed_at timestamptz NULL,
        last_login_at timestamptz NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX users_username_key ON users (lower(username));
      CREATE INDEX users_email_idx ON users (lower(email));
      CREATE INDEX users_unit_idx ON users (unit_id);

      CREATE TABLE auth_sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id),
        family_id uuid NOT NULL,
        refresh_hash char(64) NOT NULL UNIQUE,
        client varchar(8) NOT NULL CHECK (client IN ('web','api')),
        ip varchar(64) NULL,
        user_agent varchar(300) NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz NULL,
        revoked_reason varchar(32) NULL
      );
      CREATE INDEX auth_sessions_user_idx ON auth_sessions (user_id);
      CREATE INDEX auth_sessions_family_idx ON auth_sessions (family_id);

      CREATE TABLE audit_events (
        seq bigint PRIMARY KEY CHECK (seq > 0),
        occurred_at timestamptz NOT NULL,
        actor_id uuid NULL,
        actor_name varchar(200) NULL,
        actor_roles text[] NOT NULL DEFAULT '{}',
        action varchar(100) NOT NULL,
        entity_type varchar(100) NOT NULL,
        entity_id varchar(100) NULL,
        summary jsonb NOT NULL DEFAULT '{}'::jsonb,
        request_id varchar(100) NULL,
        ip varchar(64) NULL,
        prev_hash char(64) NOT NULL UNIQUE,
        hash char(64) NOT NULL UNIQUE
      );
      CREATE INDEX audit_events_entity_idx ON audit_events (entity_type, entity_id);
      CREATE INDEX audit_events_action_idx ON audit_events (action);
      CREATE INDEX audit_events_actor_idx ON audit_events (actor_id);

      CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP USING ERRCODE = '42501';
      END;
      $$;
      CREATE TRIGGER audit_events_no_update_delete BEFORE UPDATE OR DELETE ON audit_events
        FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
      CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
        FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();

      CREATE TABLE outbox_messages (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        to_address varchar(254) NOT NULL,
        subject varchar(300) NOT NULL,
        text_body text NOT NULL,
        html_body text NULL,
        template varchar(100) NOT NULL,
        locale varchar(2) NOT NULL CHECK (locale IN ('id','en')),
        status varchar(10) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','sending','sent','failed','dead')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        locked_until timestamptz NULL,
        last_error text NULL,
        transport varchar(10) NULL,
        message_id varchar(300) NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz NULL
      );
      CREATE INDEX outbox_messages_due_idx ON outbox_messages (next_attempt_at) WHERE status IN ('pending','failed','sending');
      CREATE INDEX outbox_messages_created_idx ON outbox_messages (created_at DESC);

      CREATE TABLE job_runs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        job varchar(100) NOT NULL,
        slot timestamptz NOT NULL,
        instance varchar(100) NOT NULL,
        status varchar(10) NOT NULL CHECK (status IN ('running','succeeded','failed')),
        started_at timestamptz NOT NULL,
        finished_at timestamptz NULL,
        error text NULL,
        UNIQUE (job, slot)
      );
      CREATE INDEX job_runs_started_idx ON job_runs (started_at DESC);

      CREATE TABLE system_state (
        key varchar(100) PRIMARY KEY,
        value jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE system_state;
      DROP TABLE job_runs;
      DROP TABLE outbox_messages;
      DROP TABLE audit_events;
      DROP FUNCTION audit_events_append_only();
      DROP TABLE auth_sessions;
      DROP TABLE users;
      DROP TABLE org_positions;
      DROP TABLE org_units;
    `);
  }
}
