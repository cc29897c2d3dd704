import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A CA of the local adapter: the root and the issuing CA. The key is PKCS#8-encrypted at rest. */
@Entity('cert_authorities')
export class CertificateAuthorityEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'varchar', length: 10 }) kind: 'root' | 'issuing';
  @Column({ type: 'varchar', length: 20 }) algorithm: string;
  @Column({ type: 'text' }) subject: string;
  @Column({ type: 'varchar', length: 64 }) serial: string;
  @Column({ type: 'bytea' }) certificate: Buffer;
  @Column({ name: 'private_key', type: 'text' }) privateKey: string;
  @Column({ name: 'not_before', type: 'timestamptz' }) notBefore: Date;
  @Column({ name: 'not_after', type: 'timestamptz' }) notAfter: Date;
  @Column({ type: 'boolean', default: true }) active: boolean;
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' }) createdAt: Date;
}
