import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const UNIT_KINDS = ['dinas', 'badan', 'kantor', 'bagian', 'bidang', 'seksi', 'kecamatan', 'lainnya'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

/** An OPD (government unit) or a sub-unit of one; units form a tree through parentId. */
@Entity('org_units')
export class OrgUnitEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'varchar', length: 32 }) code: string;
  @Column({ type: 'varchar', length: 200 }) name: string;
  @Column({ type: 'varchar', length: 20 }) kind: UnitKind;
  @Column({ name: 'parent_id', type: 'uuid', nullable: true }) parentId: string | null;
  @Column({ type: 'boolean', default: true }) active: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
