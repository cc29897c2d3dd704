import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One line of an application's timeline. */
@Entity('cert_application_events')
export class CertApplicationEventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column({ name: 'application_id', type: 'uuid' }) applicationId: string;
  @Column({ type: 'timestamptz' }) at: Date;
  @Column({ name: 'actor_kind', type: 'varchar', length: 10 }) actorKind: 'user' | 'applicant' | 'system';
  @Column({ name: 'actor_id', type: 'uuid', nullable: true }) actorId: string | null;
  @Column({ name: 'actor_name', type: 'varchar', length: 200, nullable: true }) actorName: string | null;
  @Column({ type: 'varchar', length: 40 }) action: string;
  @Column({ name: 'from_state', type: 'varchar', length: 24, nullable: true }) fromState: string | null;
  @Column({ name: 'to_state', type: 'varchar', length: 24, nullable: true }) toState: string | null;
  @Column({ type: 'text', nullable: true }) note: string | null;
}
