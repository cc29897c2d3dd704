import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An issued CRL; the newest one is served. */
@Entity('cert_crls')
export class CertCrlEntity {
  @PrimaryColumn({ name: 'crl_number', type: 'bigint' }) crlNumber: string;
  @Column({ name: 'this_update', type: 'timestamptz' }) thisUpdate: Date;
  @Column({ name: 'next_update', type: 'timestamptz' }) nextUpdate: Date;
  @Column({ name: 'revoked_count', type: 'integer' }) revokedCount: number;
  @Column({ type: 'bytea' }) der: Buffer;
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' }) createdAt: Date;
}
