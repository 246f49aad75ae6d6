import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A record a consumer gave up on after its attempts, and its replay (who, when, why). */
@Entity('dead_letter')
export class DeadLetterEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /** Insertion order: the list's order and cursor. */
  @Column({ type: 'bigint', insert: false, update: false })
  seq!: string;

  /** The consumer group (Kafka) or `in-process`. */
  @Column({ type: 'varchar', length: 100 })
  consumer!: string;

  /** The original topic (not `.dlq`). */
  @Column({ type: 'varchar', length: 200 })
  topic!: string;

  @Column({ type: 'int' })
  partition!: number;

  @Column({ type: 'varchar', length: 30 })
  offset!: string;

  @Column({ type: 'text' })
  key!: string;

  /** The record's value as the consumer read it; `{ unparsable: base64 }` when its bytes were not JSON. */
  @Column({ type: 'jsonb' })
  payload!: unknown;

  /** The record's headers (the correlation id among them), sent again with a replay. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  headers!: Record<string, string>;

  @Column({ name: 'payload_is_json', type: 'boolean' })
  payloadIsJson!: boolean;

  /** As in `x-dlq-error`: a database error by its code and table, never its text. */
  @Column({ type: 'text' })
  error!: string;

  @Column({ type: 'int' })
  attempts!: number;

  @Column({ name: 'dead_lettered_at', type: 'timestamptz' })
  deadLetteredAt!: Date;

  @Column({ name: 'source_ref', type: 'varchar', length: 400, nullable: true })
  sourceRef!: string | null;

  @Column({ name: 'replayed_at', type: 'timestamptz', nullable: true })
  replayedAt!: Date | null;

  @Column({ name: 'replayed_by', type: 'varchar', length: 64, nullable: true })
  replayedBy!: string | null;

  @Column({ name: 'replay_reason', type: 'text', nullable: true })
  replayReason!: string | null;
}
