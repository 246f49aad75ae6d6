import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Consumer idempotency: written in the same transaction as the consumer's effect. */
@Entity('processed_event')
export class ProcessedEventEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  consumer!: string;

  @PrimaryColumn({ name: 'event_id', type: 'uuid' })
  eventId!: string;

  @Column({ name: 'processed_at', type: 'timestamptz' })
  processedAt!: Date;
}
