import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Events born from a DB change, written in the same transaction, one row for the events one
 * statement wrote (see `OutboxRepository`, and the view `outbox_event` for them one a row); the
 * relay publishes them and deletes the row once published.
 */
@Entity('outbox')
export class OutboxEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  /** One event a line: the JSON array `[topic, key, headers]`, a tab, the payload's JSON text. */
  @Column({ type: 'text' })
  events!: string;

  @Column({ name: 'event_count', type: 'integer' })
  eventCount!: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** Stamped by the database on insert: the backlog's age on one clock, whatever clock `createdAt` came from. */
  @Column({ name: 'enqueued_at', type: 'timestamptz', insert: false, update: false })
  enqueuedAt!: Date;
}
