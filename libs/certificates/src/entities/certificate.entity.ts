import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { RaAdapterKind, RevocationReason } from '../certificate.workflow.js';

/** An issued certificate. With the local CA the private key is kept only encrypted under the holder's passphrase. */
@Entity('certificates')
export class CertificateEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'holder_id', type: 'uuid' }) holderId: string;
  @Column({ type: 'varchar', length: 10 }) adapter: RaAdapterKind;
  @Column({ type: 'varchar', length: 64 }) serial: string;
  @Column({ type: 'text' }) subject: string;
  @Column({ type: 'varchar', length: 254 }) email: string;
  @Column({ name: 'key_algorithm', type: 'varchar', length: 20 }) keyAlgorithm: string;
  @Column({ name: 'not_before', type: 'timestamptz' }) notBefore: Date;
  @Column({ name: 'not_after', type: 'timestamptz' }) notAfter: Date;
  @Column({ type: 'bytea' }) der: Buffer;
  @Column({ type: 'char', length: 64 }) fingerprint: string;
  @Column({ name: 'private_key', type: 'text', nullable: true }) privateKey: string | null;
  /** The issuer's chain as the RA handed it out (BSrE), PEM: used to build paths, never trusted by itself. */
  @Column({ name: 'chain_pem', type: 'text', nullable: true }) chainPem: string | null;
  @Column({ type: 'varchar', length: 10, default: 'active' }) status: 'active' | 'revoked';
  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true }) revokedAt: Date | null;
  @Column({ name: 'revocation_reason', type: 'varchar', length: 30, nullable: true }) revocationReason: RevocationReason | null;
  @Column({ name: 'expiry_notices', type: 'integer', array: true, default: () => "'{}'" }) expiryNotices: number[];
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' }) createdAt: Date;
}
