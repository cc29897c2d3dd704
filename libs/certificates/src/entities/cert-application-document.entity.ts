import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A letter or supporting document of an application; the bytes live in FileStorageService. */
@Entity('cert_application_documents')
export class CertApplicationDocumentEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'application_id', type: 'uuid' }) applicationId: string;
  @Column({ type: 'varchar', length: 30 }) kind: 'recommendation_letter' | 'supporting_document';
  @Column({ type: 'char', length: 64 }) sha256: string;
  @Column({ type: 'bigint' }) size: string;
  @Column({ name: 'file_name', type: 'varchar', length: 255 }) fileName: string;
  @Column({ name: 'content_type', type: 'varchar', length: 127 }) contentType: string;
  @Column({ name: 'uploaded_by', type: 'uuid' }) uploadedBy: string;
  @Column({ name: 'uploaded_at', type: 'timestamptz' }) uploadedAt: Date;
}
