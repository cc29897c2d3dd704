import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const COORDINATION_PARTY_KINDS = ['csirt', 'agency', 'vendor', 'isp', 'other'] as const;
export type CoordinationPartyKind = (typeof COORDINATION_PARTY_KINDS)[number];

/** Contact with another CSIRT or agency while handling an incident. */
@Entity('incident_coordinations')
export class IncidentCoordinationEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'incident_id', type: 'uuid' }) incidentId: string;
  @Column({ name: 'party_name', type: 'varchar', length: 200 }) partyName: string;
  @Column({ name: 'party_kind', type: 'varchar', length: 10 }) partyKind: CoordinationPartyKind;
  @Column({ type: 'varchar', length: 300, nullable: true }) contact: string | null;
  @Column({ name: 'contacted_at', type: 'timestamptz' }) contactedAt: Date;
  @Column({ name: 'their_reference', type: 'varchar', length: 200, nullable: true }) theirReference: string | null;
  @Column({ type: 'text', nullable: true }) notes: string | null;
  @Column({ name: 'recorded_by', type: 'uuid' }) recordedBy: string;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
