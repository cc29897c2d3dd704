import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** Small key/value facts about this installation (e.g. when the demo data was seeded). */
@Entity('system_state')
export class SystemStateEntity {
  @PrimaryColumn({ type: 'varchar', length: 100 }) key: string;
  @Column({ type: 'jsonb' }) value: unknown;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
