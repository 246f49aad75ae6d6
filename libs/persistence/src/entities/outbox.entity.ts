import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Events born from a DB change, written in the same transaction; the relay publishes them and deletes them once published. */
@Entity('outbox')
export class OutboxEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'event_id', type: 'uuid' })
  eventId!: string;

  @Column({ type: 'varchar', length: 100 })
  topic!: string;

  @Column({ type: 'varchar', length: 100 })
  key!: string;

  /** `json`: kept as the text written, which the relay publishes as it is. */
  @Column({ type: 'json' })
  payload!: Record<string, unknown>;

  /** Kafka headers: the correlation id of the work that wrote it. */
  @Column({ type: 'json', nullable: true })
  headers!: Record<string, string> | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** Stamped by the database on insert: the backlog's age on one clock, whatever clock `createdAt` came from. */
  @Column({ name: 'enqueued_at', type: 'timestamptz', insert: false, update: false })
  enqueuedAt!: Date;
}
