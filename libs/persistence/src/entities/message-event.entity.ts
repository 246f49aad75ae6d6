import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** The history of a message: every state change with who, when and why. */
@Entity('message_event')
@Index('ix_message_event_message', ['messageId', 'id'])
export class MessageEventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'message_id', type: 'uuid' })
  messageId!: string;

  @Column({ type: 'varchar', length: 48 })
  type!: string;

  @Column({ name: 'from_status', type: 'varchar', length: 24, nullable: true })
  fromStatus!: string | null;

  @Column({ name: 'to_status', type: 'varchar', length: 24, nullable: true })
  toStatus!: string | null;

  @Column({ type: 'varchar', length: 100 })
  actor!: string;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  data!: Record<string, unknown> | null;

  @Column({ type: 'timestamptz' })
  at!: Date;
}
