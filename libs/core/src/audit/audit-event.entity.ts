import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One link of the hash chain. The table is append-only: a trigger refuses UPDATE, DELETE and TRUNCATE. */
@Entity('audit_events')
export class AuditEventEntity {
  @PrimaryColumn({ type: 'bigint' }) seq: string;
  @Column({ name: 'occurred_at', type: 'timestamptz' }) occurredAt: Date;
  @Column({ name: 'actor_id', type: 'uuid', nullable: true }) actorId: string | null;
  @Column({ name: 'actor_name', type: 'varchar', length: 200, nullable: true }) actorName: string | null;
  @Column({ name: 'actor_roles', type: 'text', array: true }) actorRoles: string[];
  @Column({ type: 'varchar', length: 100 }) action: string;
  @Column({ name: 'entity_type', type: 'varchar', length: 100 }) entityType: string;
  @Column({ name: 'entity_id', type: 'varchar', length: 100, nullable: true }) entityId: string | null;
  @Column({ type: 'jsonb' }) summary: Record<string, unknown>;
  @Column({ name: 'request_id', type: 'varchar', length: 100, nullable: true }) requestId: string | null;
  @Column({ type: 'varchar', length: 64, nullable: true }) ip: string | null;
  @Column({ name: 'prev_hash', type: 'char', length: 64 }) prevHash: string;
  @Column({ type: 'char', length: 64 }) hash: string;
}
