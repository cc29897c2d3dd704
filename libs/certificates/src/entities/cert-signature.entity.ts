import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type SignatureOutcome = 'signed' | 'wrong_passphrase' | 'locked' | 'refused' | 'unknown' | 'failed';

/** The signing log: every attempt, with the document's hash (never the document or the passphrase). */
@Entity('cert_signatures')
export class CertSignatureEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'certificate_id', type: 'uuid', nullable: true }) certificateId: string | null;
  @Column({ name: 'holder_id', type: 'uuid', nullable: true }) holderId: string | null;
  @Column({ type: 'varchar', length: 10 }) adapter: string;
  @Column({ type: 'varchar', length: 20 }) outcome: SignatureOutcome;
  @Column({ name: 'document_name', type: 'varchar', length: 255, nullable: true }) documentName: string | null;
  @Column({ name: 'document_sha256', type: 'char', length: 64, nullable: true }) documentSha256: string | null;
  @Column({ name: 'signed_sha256', type: 'char', length: 64, nullable: true }) signedSha256: string | null;
  @Column({ type: 'text', nullable: true }) detail: string | null;
  @Column({ type: 'timestamptz', default: () => 'now()' }) at: Date;
}
