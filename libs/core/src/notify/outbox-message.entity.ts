import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const OUTBOX_STATUSES = ['pending', 'sending', 'sent', 'failed', 'dead'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/** A notification written in the same transaction as the change that caused it. */
@Entity('outbox_messages')
export class OutboxMessageEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'to_address', type: 'varchar', length: 254 }) to: string;
  @Column({ type: 'varchar', length: 300 }) subject: string;
  @Column({ name: 'text_body', type: 'text' }) text: string;
  @Column({ name: 'html_body', type: 'text', nullable: true }) html: string | null;
  @Column({ type: 'varchar', length: 100 }) template: string;
  @Column({ type: 'varchar', length: 2 }) locale: 'id' | 'en';
  @Column({ type: 'varchar', length: 10, default: 'pending' }) status: OutboxStatus;
  @Column({ type: 'int', default: 0 }) attempts: number;
  @Column({ name: 'next_attempt_at', type: 'timestamptz' }) nextAttemptAt: Date;
  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true }) lockedUntil: Date | null;
  @Column({ name: 'last_error', type: 'text', nullable: true }) lastError: string | null;
  @Column({ type: 'varchar', length: 10, nullable: true }) transport: 'smtp' | 'devbox' | null;
  @Column({ name: 'message_id', type: 'varchar', length: 300, nullable: true }) messageId: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true }) sentAt: Date | null;
}
