import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A person who holds, or applies for, an e-signature certificate. NIK only sealed (AES-256-GCM). */
@Entity('cert_holders')
export class CertHolderEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'nik_sealed', type: 'text' }) nikSealed: string;
  @Column({ name: 'nik_index', type: 'char', length: 64 }) nikIndex: string;
  @Column({ name: 'nik_masked', type: 'varchar', length: 16 }) nikMasked: string;
  @Column({ name: 'full_name', type: 'varchar', length: 200 }) fullName: string;
  @Column({ type: 'varchar', length: 254 }) email: string;
  @Column({ type: 'varchar', length: 18, nullable: true }) nip: string | null;
  @Column({ name: 'position_title', type: 'varchar', length: 200 }) positionTitle: string;
  @Column({ name: 'org_unit_id', type: 'uuid' }) orgUnitId: string;
  @Column({ name: 'verifier_id', type: 'uuid', nullable: true }) verifierId: string | null;
  @Column({ name: 'identity_sealed', type: 'text', nullable: true }) identitySealed: string | null;
  @Column({ name: 'sign_failed_attempts', type: 'integer', default: 0 }) signFailedAttempts: number;
  @Column({ name: 'sign_locked_until', type: 'timestamptz', nullable: true }) signLockedUntil: Date | null;
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' }) updatedAt: Date;
}
