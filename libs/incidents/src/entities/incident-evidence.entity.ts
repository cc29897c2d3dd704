import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A file handed in as evidence: the bytes live in FileStorageService under their SHA-256. Append-only. */
@Entity('incident_evidence')
export class IncidentEvidenceEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'incident_id', type: 'uuid' }) incidentId: string;
  @Column({ type: 'char', length: 64 }) sha256: string;
  /** bigint: node-postgres returns it as a string. */
  @Column({ type: 'bigint' }) size: string;
  @Column({ name: 'file_name', type: 'varchar', length: 255 }) fileName: string;
  @Column({ name: 'content_type', type: 'varchar', length: 127 }) contentType: string;
  @Column({ type: 'varchar', length: 10 }) uploader: 'reporter' | 'staff';
  @Column({ name: 'uploaded_by', type: 'uuid', nullable: true }) uploadedBy: string | null;
  @Column({ name: 'uploaded_at', type: 'timestamptz' }) uploadedAt: Date;
}
