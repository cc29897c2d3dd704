import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type JobRunStatus = 'running' | 'succeeded' | 'failed';

/** One run of a scheduled job; (job, slot) is unique, so a slot runs once across all instances. */
@Entity('job_runs')
export class JobRunEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'varchar', length: 100 }) job: string;
  @Column({ type: 'timestamptz' }) slot: Date;
  @Column({ type: 'varchar', length: 100 }) instance: string;
  @Column({ type: 'varchar', length: 10 }) status: JobRunStatus;
  @Column({ name: 'started_at', type: 'timestamptz' }) startedAt: Date;
  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true }) finishedAt: Date | null;
  @Column({ type: 'text', nullable: true }) error: string | null;
}
