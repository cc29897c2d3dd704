import { ApiProperty } from '@nestjs/swagger';
import { OUTBOX_STATUSES, type OutboxStatus } from '../outbox-message.entity.js';

export class OutboxMessageDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'budi@kominfo.example.go.id' }) to: string;
  @ApiProperty() subject: string;
  @ApiProperty({ description: 'Plain-text body' }) text: string;
  @ApiProperty({ enum: OUTBOX_STATUSES }) status: OutboxStatus;
  @ApiProperty({ description: 'Delivery attempts so far' }) attempts: number;
  @ApiProperty({ type: String, nullable: true, description: 'Reason of the last failed attempt (no secrets)' }) lastError: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) sentAt: string | null;
  @ApiProperty({ type: String, enum: ['smtp', 'devbox'], nullable: true }) transport: 'smtp' | 'devbox' | null;
}

export class OutboxMessagePageDto {
  @ApiProperty({ type: [OutboxMessageDto] }) items: OutboxMessageDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}
