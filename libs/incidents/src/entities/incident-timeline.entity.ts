import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type TimelineActorKind = 'staff' | 'reporter' | 'system';

/** Every step, comment, assignment and coordination of an incident, in order. */
@Entity('incident_timeline')
export class IncidentTimelineEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column({ name: 'incident_id', type: 'uuid' }) incidentId: string;
  @Column({ type: 'timestamptz' }) at: Date;
  @Column({ type: 'varchar', length: 40 }) kind: string;
  @Column({ name: 'from_status', type: 'varchar', length: 30, nullable: true }) fromStatus: string | null;
  @Column({ name: 'to_status', type: 'varchar', length: 30, nullable: true }) toStatus: string | null;
  @Column({ name: 'actor_kind', type: 'varchar', length: 10 }) actorKind: TimelineActorKind;
  @Column({ name: 'actor_id', type: 'uuid', nullable: true }) actorId: string | null;
  @Column({ name: 'actor_name', type: 'varchar', length: 200, nullable: true }) actorName: string | null;
  @Column({ type: 'text', nullable: true }) body: string | null;
  @Column({ type: 'jsonb' }) detail: Record<string, unknown>;
  @Column({ name: 'visible_to_reporter', type: 'boolean' }) visibleToReporter: boolean;
}
