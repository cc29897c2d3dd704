import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { ObservableType } from '../observable.policy.js';

@Entity('incident_observables')
export class IncidentObservableEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'incident_id', type: 'uuid' }) incidentId: string;
  @Column({ type: 'varchar', length: 10 }) type: ObservableType;
  /** Always the canonical form from observable.policy. */
  @Column({ type: 'varchar', length: 2048 }) value: string;
  /** Null when the reporter gave it. */
  @Column({ name: 'added_by', type: 'uuid', nullable: true }) addedBy: string | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
