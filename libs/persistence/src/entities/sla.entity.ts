import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { ClockKind, ClockOperation, ClockStart, ClockStatus } from '@cur/domain';
import type { DurationUnit } from '@cur/calendar';

/**
 * One clock of a message (DOMAIN.md §2): its policy, start and the operations that moved it. The
 * due date is stored as computed when it last changed; the deadlines endpoint replays it to explain.
 */
@Entity('sla_clock')
export class SlaClockEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'message_id', type: 'uuid' })
  messageId!: string;

  @Column({ type: 'varchar', length: 24 })
  kind!: ClockKind;

  @Column({ type: 'smallint' })
  generation!: number;

  @Column({ name: 'policy_id', type: 'varchar', length: 64 })
  policyId!: string;

  /** Who answers for this clock now (changes with a redirect); null while the message is with ЦУР. */
  @Column({ name: 'organization_id', type: 'varchar', length: 64, nullable: true })
  organizationId!: string | null;

  /** Whose office hours the clock counts on, fixed at its start so a due date never moves by itself. */
  @Column({ name: 'calendar_organization_id', type: 'varchar', length: 64, nullable: true })
  calendarOrganizationId!: string | null;

  @Column({ type: 'integer' })
  amount!: number;

  @Column({ type: 'varchar', length: 16 })
  unit!: DurationUnit;

  @Column({ name: 'starts_on', type: 'varchar', length: 24 })
  startsOn!: ClockStart;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt!: Date;

  @Column({ type: 'jsonb' })
  operations!: ClockOperation[];

  @Column({ type: 'varchar', length: 12 })
  status!: ClockStatus;

  /** Null while paused. */
  @Column({ name: 'due_at', type: 'timestamptz', nullable: true })
  dueAt!: Date | null;

  /** Extensions applied; warnings restart with each (the thresholds move with the due date). */
  @Column({ type: 'smallint', default: 0 })
  extensions!: number;

  @Column({ name: 'stopped_at', type: 'timestamptz', nullable: true })
  stoppedAt!: Date | null;

  @Column({ name: 'stop_reason', type: 'varchar', length: 48, nullable: true })
  stopReason!: string | null;

  /**
   * Why the due date cannot be computed yet (a year without a production calendar); the watch
   * tries again until it can. Null when the due date is known.
   */
  @Column({ name: 'blocked_year', type: 'smallint', nullable: true })
  blockedYear!: number | null;

  /** When the watch must look at it next (a warning or the due date); null when nothing is left to watch. */
  @Column({ name: 'next_check_at', type: 'timestamptz', nullable: true })
  nextCheckAt!: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** An at-risk warning: a fraction of a clock's time has passed. Recorded once per clock, fraction and extension count. */
@Entity('sla_warning')
export class SlaWarningEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'clock_id', type: 'uuid' })
  clockId!: string;

  @Column({ name: 'message_id', type: 'uuid' })
  messageId!: string;

  @Column({ name: 'organization_id', type: 'varchar', length: 64, nullable: true })
  organizationId!: string | null;

  @Column({ type: 'varchar', length: 24 })
  kind!: ClockKind;

  @Column({ type: 'real' })
  fraction!: number;

  /** The clock's extension count when warned. */
  @Column({ type: 'smallint' })
  epoch!: number;

  @Column({ name: 'due_at', type: 'timestamptz' })
  dueAt!: Date;

  /** The instant the fraction was reached (not when the watch noticed). */
  @Column({ name: 'reached_at', type: 'timestamptz' })
  reachedAt!: Date;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;
}

/** A breach: a clock expired (or was stopped) after its due date. One per clock. */
@Entity('sla_breach')
export class SlaBreachEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'clock_id', type: 'uuid', unique: true })
  clockId!: string;

  @Column({ name: 'message_id', type: 'uuid' })
  messageId!: string;

  @Column({ name: 'organization_id', type: 'varchar', length: 64, nullable: true })
  organizationId!: string | null;

  @Column({ type: 'varchar', length: 24 })
  kind!: ClockKind;

  @Column({ name: 'policy_id', type: 'varchar', length: 64 })
  policyId!: string;

  /** The true expiry instant, also when recorded after downtime. */
  @Column({ name: 'due_at', type: 'timestamptz' })
  dueAt!: Date;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;

  /** When the late clock finally stopped (the late answer); null while it still runs. */
  @Column({ name: 'stopped_at', type: 'timestamptz', nullable: true })
  stoppedAt!: Date | null;

  /** Lateness in the organization's office time and in wall time, once stopped. */
  @Column({ name: 'lateness_working_ms', type: 'bigint', nullable: true })
  latenessWorkingMs!: string | null;

  @Column({ name: 'lateness_ms', type: 'bigint', nullable: true })
  latenessMs!: string | null;
}

export type ExtensionStatus = 'pending' | 'approved' | 'rejected';

/** A request to move the answer's due date (ПОС «перенос срока», 59-ФЗ ст. 12 ч. 2) and its decision. */
@Entity('extension_request')
@Index('ix_extension_request_message', ['messageId'])
export class ExtensionRequestEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'message_id', type: 'uuid' })
  messageId!: string;

  @Column({ name: 'clock_id', type: 'uuid' })
  clockId!: string;

  @Column({ type: 'integer' })
  amount!: number;

  @Column({ type: 'varchar', length: 16 })
  unit!: DurationUnit;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ type: 'varchar', length: 12 })
  status!: ExtensionStatus;

  @Column({ name: 'requested_by', type: 'varchar', length: 100 })
  requestedBy!: string;

  @Column({ name: 'requested_at', type: 'timestamptz' })
  requestedAt!: Date;

  @Column({ name: 'decided_by', type: 'varchar', length: 100, nullable: true })
  decidedBy!: string | null;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt!: Date | null;

  @Column({ name: 'decision_reason', type: 'text', nullable: true })
  decisionReason!: string | null;

  @Column({ name: 'previous_due_at', type: 'timestamptz' })
  previousDueAt!: Date;

  @Column({ name: 'new_due_at', type: 'timestamptz', nullable: true })
  newDueAt!: Date | null;
}
