import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { Channel, ReportFactKind } from '@cur/domain';

/**
 * One fact the monthly summary counts (libs/domain report-facts): what happened to a message and
 * its state right after. Written by the message life cycle in the transaction of the change; never
 * updated, so a past month's figures cannot move.
 */
@Entity('report_fact')
@Index('ix_report_fact_at', ['at', 'kind'])
@Index('ix_report_fact_message', ['messageId', 'at', 'id'])
export class ReportFactEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'message_id', type: 'uuid' })
  messageId!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: ReportFactKind;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ type: 'varchar', length: 16 })
  channel!: Channel;

  @Column({ name: 'category_code', type: 'varchar', length: 64, nullable: true })
  categoryCode!: string | null;

  @Column({ name: 'organization_id', type: 'varchar', length: 64, nullable: true })
  organizationId!: string | null;

  @Column({ name: 'from_organization_id', type: 'varchar', length: 64, nullable: true })
  fromOrganizationId!: string | null;

  /** Still waiting for an answer after the fact. */
  @Column({ type: 'boolean' })
  open!: boolean;

  @Column({ name: 'due_at', type: 'timestamptz', nullable: true })
  dueAt!: Date | null;

  @Column({ name: 'on_time', type: 'boolean', nullable: true })
  onTime!: boolean | null;

  /** Time to answer in the section's unit (working days or hours); null when not known (facts recorded before the summary existed). */
  @Column({ type: 'numeric', precision: 10, scale: 2, nullable: true })
  elapsed!: string | null;

  @Column({ type: 'smallint', nullable: true })
  rating!: number | null;
}

export type MonthlyReportStatus = 'ready' | 'approved';

/**
 * A generated monthly summary: an immutable snapshot of its figures with the instant of its data.
 * Generating again makes a new version; the old ones stay.
 */
@Entity('monthly_report')
@Index('uq_monthly_report_version', ['year', 'month', 'scope', 'version'], { unique: true })
export class MonthlyReportEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ type: 'smallint' })
  year!: number;

  @Column({ type: 'smallint' })
  month!: number;

  /** The organization it is for; null for the region. */
  @Column({ name: 'organization_id', type: 'varchar', length: 64, nullable: true })
  organizationId!: string | null;

  /** The organization id, or 'region': one version sequence per scope. */
  @Column({ type: 'varchar', length: 64 })
  scope!: string;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ type: 'varchar', length: 16 })
  status!: MonthlyReportStatus;

  @Column({ name: 'data_as_of', type: 'timestamptz' })
  dataAsOf!: Date;

  /** The sections, discipline and engagements, as the API returns them. */
  @Column({ type: 'jsonb' })
  body!: Record<string, unknown>;

  @Column({ name: 'generated_by', type: 'varchar', length: 100 })
  generatedBy!: string;

  @Column({ name: 'generated_at', type: 'timestamptz' })
  generatedAt!: Date;

  @Column({ name: 'approved_by', type: 'varchar', length: 100, nullable: true })
  approvedBy!: string | null;

  @Column({ name: 'approved_at', type: 'timestamptz', nullable: true })
  approvedAt!: Date | null;
}

/** Who did what to a summary, when and why (generated, approved). */
@Entity('monthly_report_event')
@Index('ix_monthly_report_event_report', ['reportId', 'id'])
export class MonthlyReportEventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'report_id', type: 'uuid' })
  reportId!: string;

  @Column({ type: 'varchar', length: 32 })
  type!: string;

  @Column({ type: 'varchar', length: 100 })
  actor!: string;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  data!: Record<string, unknown> | null;

  @Column({ type: 'timestamptz' })
  at!: Date;
}

/**
 * A month's summary an organization (or ЦУР for the region) must approve by the deadline, with
 * what the watch did about it: generated, warned at 75% of the time, overdue at the deadline,
 * approved (when, which version).
 */
@Entity('report_submission')
@Index('uq_report_submission', ['year', 'month', 'scope'], { unique: true })
export class ReportSubmissionEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ type: 'smallint' })
  year!: number;

  @Column({ type: 'smallint' })
  month!: number;

  @Column({ name: 'organization_id', type: 'varchar', length: 64, nullable: true })
  organizationId!: string | null;

  @Column({ type: 'varchar', length: 64 })
  scope!: string;

  @Column({ name: 'due_at', type: 'timestamptz' })
  dueAt!: Date;

  @Column({ name: 'warn_at', type: 'timestamptz' })
  warnAt!: Date;

  /** The summary generated automatically for it (null until the generation ran). */
  @Column({ name: 'report_id', type: 'uuid', nullable: true })
  reportId!: string | null;

  @Column({ name: 'warned_at', type: 'timestamptz', nullable: true })
  warnedAt!: Date | null;

  @Column({ name: 'overdue_at', type: 'timestamptz', nullable: true })
  overdueAt!: Date | null;

  @Column({ name: 'approved_report_id', type: 'uuid', nullable: true })
  approvedReportId!: string | null;

  @Column({ name: 'approved_at', type: 'timestamptz', nullable: true })
  approvedAt!: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/**
 * A summary not approved by its deadline: recorded at the deadline (or at a late approval when
 * the watch had not run), completed with the lateness when approved. The discipline registry can
 * take it up like a message's breach.
 */
@Entity('report_breach')
export class ReportBreachEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'submission_id', type: 'uuid', unique: true })
  submissionId!: string;

  @Column({ type: 'smallint' })
  year!: number;

  @Column({ type: 'smallint' })
  month!: number;

  /** The organization that answers for it; null: ЦУР (the region's summary). */
  @Column({ name: 'organization_id', type: 'varchar', length: 64, nullable: true })
  organizationId!: string | null;

  @Column({ name: 'due_at', type: 'timestamptz' })
  dueAt!: Date;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;

  @Column({ name: 'approved_at', type: 'timestamptz', nullable: true })
  approvedAt!: Date | null;

  @Column({ name: 'lateness_working_ms', type: 'bigint', nullable: true })
  latenessWorkingMs!: string | null;
}
