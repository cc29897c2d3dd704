import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * E-signature certificates: the local CA's keys and certificates, certificate holders (NIK sealed
 * with AES-256-GCM, looked up by a keyed blind index), the four procedures' applications with their
 * documents, timeline and single-use applicant links, issued certificates (private key only
 * encrypted under the holder's passphrase), CRLs, and the signing log.
 */
export class CertificatesSchema1764979200000 implements MigrationInterface {
  name = 'CertificatesSchema1764979200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE cert_authorities (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind varchar(10) NOT NULL CHECK (kind IN ('root','issuing')),
        algorithm varchar(20) NOT NULL,
        subject text NOT NULL,
        serial varchar(64) NOT NULL,
        certificate bytea NOT NULL,
        -- PKCS#8 EncryptedPrivateKeyInfo (PEM) under a key derived from DATA_ENCRYPTION_KEY.
        private_key text NOT NULL,
        not_before timestamptz NOT NULL,
        not_after timestamptz NOT NULL,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX cert_authorities_one_active ON cert_authorities (kind) WHERE active;

      CREATE TABLE cert_holders (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        nik_sealed text NOT NULL,
        nik_index char(64) NOT NULL UNIQUE,
        nik_masked varchar(16) NOT NULL,
        full_name varchar(200) NOT NULL,
        email varchar(254) NOT NULL,
        nip varchar(18) NULL,
        position_title varchar(200) NOT NULL,
        org_unit_id uuid NOT NULL REFERENCES org_units(id),
        verifier_id uuid NULL REFERENCES users(id),
        -- The applicant's own identity data (KTP), sealed as one JSON document.
        identity_sealed text NULL,
        sign_failed_attempts integer NOT NULL DEFAULT 0,
        sign_locked_until timestamptz NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX cert_holders_unit ON cert_holders (org_unit_id);

      CREATE TABLE certificates (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        holder_id uuid NOT NULL REFERENCES cert_holders(id),
        adapter varchar(10) NOT NULL CHECK (adapter IN ('local','bsre')),
        serial varchar(64) NOT NULL UNIQUE,
        subject text NOT NULL,
        email varchar(254) NOT NULL,
        key_algorithm varchar(20) NOT NULL,
        not_before timestamptz NOT NULL,
        not_after timestamptz NOT NULL,
        der bytea NOT NULL,
        fingerprint char(64) NOT NULL UNIQUE,
        -- Local CA only: PKCS#8 EncryptedPrivateKeyInfo under the holder's passphrase. Never in clear.
        private_key text NULL,
        status varchar(10) NOT NULL DEFAULT 'active' CHECK (status IN ('active','revoked')),
        revoked_at timestamptz NULL,
        revocation_reason varchar(30) NULL,
        expiry_notices integer[] NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((status = 'revoked') = (revoked_at IS NOT NULL))
      );
      CREATE INDEX certificates_holder ON certificates (holder_id);
      CREATE INDEX certificates_not_after ON certificates (not_after) WHERE status = 'active';
      CREATE INDEX certificates_revoked ON certificates (revoked_at) WHERE status = 'revoked';

      CREATE SEQUENCE cert_application_numbers;
      CREATE TABLE cert_applications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        number varchar(20) NOT NULL UNIQUE CHECK (number ~ '^TTE-[0-9]{4}-[0-9]{6}$'),
        procedure varchar(12) NOT NULL CHECK (procedure IN ('issuance','update','renewal','revocation')),
        adapter varchar(10) NOT NULL CHECK (adapter IN ('local','bsre')),
        state varchar(24) NOT NULL CHECK (state IN ('awaiting_identity','identity_review','awaiting_passphrase','ra_submission',
                                                    'ra_review','completed','refused','cancelled')),
        holder_id uuid NOT NULL REFERENCES cert_holders(id),
        verifier_id uuid NOT NULL REFERENCES users(id),
        -- update / renewal / revocation: the certificate concerned; issuance / renewal / update: the one issued.
        certificate_id uuid NULL REFERENCES certificates(id),
        issued_certificate_id uuid NULL REFERENCES certificates(id),
        revocation_reason varchar(30) NULL,
        -- update: the new holder data asked for.
        changes jsonb NULL,
        note text NULL,
        return_reason text NULL,
        decision_reason text NULL,
        ra_reference varchar(100) NULL,
        ra_submitted_at timestamptz NULL,
        ra_submitted_by uuid NULL REFERENCES users(id),
        ra_decided_at timestamptz NULL,
        ra_decided_by uuid NULL REFERENCES users(id),
        ra_last_polled_at timestamptz NULL,
        ra_last_status varchar(30) NULL,
        -- Local CA: the key generated when the passphrase was set (encrypted under it), until the RA decides.
        pending_private_key text NULL,
        pending_public_key text NULL,
        submitted_at timestamptz NOT NULL,
        due_at timestamptz NOT NULL,
        finished_at timestamptz NULL,
        overdue_notified_at timestamptz NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX cert_applications_state ON cert_applications (state, due_at);
      CREATE INDEX cert_applications_holder ON cert_applications (holder_id);
      -- One open application per holder at a time.
      CREATE UNIQUE INDEX cert_applications_one_open ON cert_applications (holder_id)
        WHERE state NOT IN ('completed','refused','cancelled');

      CREATE TABLE cert_application_documents (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        application_id uuid NOT NULL REFERENCES cert_applications(id),
        kind varchar(30) NOT NULL CHECK (kind IN ('recommendation_letter','supporting_document')),
        sha256 char(64) NOT NULL,
        size bigint NOT NULL,
        file_name varchar(255) NOT NULL,
        content_type varchar(127) NOT NULL,
        uploaded_by uuid NOT NULL REFERENCES users(id),
        uploaded_at timestamptz NOT NULL
      );
      CREATE INDEX cert_application_documents_app ON cert_application_documents (application_id);

      CREATE TABLE cert_application_events (
        id bigserial PRIMARY KEY,
        application_id uuid NOT NULL REFERENCES cert_applications(id),
        at timestamptz NOT NULL,
        actor_kind varchar(10) NOT NULL CHECK (actor_kind IN ('user','applicant','system')),
        actor_id uuid NULL,
        actor_name varchar(200) NULL,
        action varchar(40) NOT NULL,
        from_state varchar(24) NULL,
        to_state varchar(24) NULL,
        note text NULL
      );
      CREATE INDEX cert_application_events_app ON cert_application_events (application_id, id);

      CREATE TABLE cert_applicant_links (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        application_id uuid NOT NULL REFERENCES cert_applications(id),
        purpose varchar(12) NOT NULL CHECK (purpose IN ('identity','passphrase')),
        -- SHA-256 of the token: the token itself is only in the e-mail.
        token_hash char(64) NOT NULL UNIQUE,
        expires_at timestamptz NOT NULL,
        used_at timestamptz NULL,
        revoked_at timestamptz NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX cert_applicant_links_app ON cert_applicant_links (application_id);

      CREATE TABLE cert_crls (
        crl_number bigint PRIMARY KEY,
        this_update timestamptz NOT NULL,
        next_update timestamptz NOT NULL,
        revoked_count integer NOT NULL,
        der bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE cert_signatures (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        certificate_id uuid NULL REFERENCES certificates(id),
        holder_id uuid NULL REFERENCES cert_holders(id),
        adapter varchar(10) NOT NULL,
        outcome varchar(20) NOT NULL CHECK (outcome IN ('signed','wrong_passphrase','locked','refused','unknown','failed')),
        document_name varchar(255) NULL,
        document_sha256 char(64) NULL,
        signed_sha256 char(64) NULL,
        detail text NULL,
        at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX cert_signatures_holder ON cert_signatures (holder_id, at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE cert_signatures;
      DROP TABLE cert_crls;
      DROP TABLE cert_applicant_links;
      DROP TABLE cert_application_events;
      DROP TABLE cert_application_documents;
      DROP TABLE cert_applications;
      DROP SEQUENCE cert_application_numbers;
      DROP TABLE certificates;
      DROP TABLE cert_holders;
      DROP TABLE cert_authorities;
    `);
  }
}
