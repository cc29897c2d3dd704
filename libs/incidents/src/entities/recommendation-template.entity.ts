import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** A reusable recommendation text for the analysis team, in both languages. */
@Entity('incident_recommendation_templates')
export class RecommendationTemplateEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'varchar', length: 200 }) title: string;
  @Column({ name: 'body_id', type: 'text' }) bodyId: string;
  @Column({ name: 'body_en', type: 'text' }) bodyEn: string;
  @Column({ name: 'category_codes', type: 'text', array: true }) categoryCodes: string[];
  @Column({ type: 'boolean', default: true }) active: boolean;
  @Column({ name: 'created_by', type: 'uuid', nullable: true }) createdBy: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
