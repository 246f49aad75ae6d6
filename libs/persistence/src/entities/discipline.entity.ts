import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn, VersionColumn } from 'typeorm';
import type { Employment, ExcludedPeriod } from '@cur/domain';

export type DisciplineCaseStatus = 'open' | 'measure_applied' | 'closed';

/** A disciplinary case (DOMAIN.md §7): the person, the breaches it answers for, the dates of the procedure. */
@Entity('discipline_case')
@Index('ix_discipline_case_org', ['organizationId', 'status'])
export class DisciplineCaseEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'organization_id', type: 'varchar', length: 64 })
  organizationId!: string;

  @Column({ name: 'person_name', type: 'varchar', length: 300 })
  personName!: string;

  @Column({ name: 'person_position', type: 'varchar', length: 300 })
  personPosition!: string;

  @Column({ type: 'varchar', length: 16 })
  employment!: Employment;

  @Column({ type: 'text' })
  description!: string;

  @Column({ name: 'offence_date', type: 'date' })
  offenceDate!: string;

  @Column({ name: 'discovered_date', type: 'date' })
  discoveredDate!: string;

  @Column({ name: 'audit_finding', type: 'boolean', default: false })
  auditFinding!: boolean;

  @Column({ name: 'explanation_requested_at', type: 'timestamptz', nullable: true })
  explanationRequestedAt!: Date | null;

  @Column({ name: 'explanation_received_at', type: 'timestamptz', nullable: true })
  explanationReceivedAt!: Date | null;

  @Column({ name: 'explanation_refusal_act_at', type: 'timestamptz', nullable: true })
  explanationRefusalActAt!: Date | null;

  @Column({ type: 'varchar', length: 48, nullable: true })
  measure!: string | null;

  @Column({ name: 'order_number', type: 'varchar', length: 64, nullable: true })
  orderNumber!: string | null;

  @Column({ name: 'order_date', type: 'date', nullable: true })
  orderDate!: string | null;

  @Column({ name: 'acknowledged_at', type: 'timestamptz', nullable: true })
  acknowledgedAt!: Date | null;

  @Column({ name: 'acknowledgement_refusal_act_at', type: 'timestamptz', nullable: true })
  acknowledgementRefusalActAt!: Date | null;

  @Column({ name: 'excluded_periods', type: 'jsonb' })
  excludedPeriods!: ExcludedPeriod[];

  @Column({ type: 'varchar', length: 16 })
  status!: DisciplineCaseStatus;

  @Column({ name: 'closed_reason', type: 'text', nullable: true })
  closedReason!: string | null;

  @Column({ name: 'created_by', type: 'varchar', length: 100 })
  createdBy!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @VersionColumn()
  version!: number;
}

/** A breach a case answers for; a breach belongs to one case at most (one measure per offence). */
@Entity('discipline_case_breach')
export class DisciplineCaseBreachEntity {
  @PrimaryColumn({ name: 'case_id', type: 'uuid' })
  caseId!: string;

  @PrimaryColumn({ name: 'breach_id', type: 'uuid' })
  breachId!: string;
}

/** A late monthly summary a case answers for (report_breach); one case at most, like a message's breach. */
@Entity('discipline_case_report_breach')
export class DisciplineCaseReportBreachEntity {
  @PrimaryColumn({ name: 'case_id', type: 'uuid' })
  caseId!: string;

  @PrimaryColumn({ name: 'report_breach_id', type: 'uuid' })
  reportBreachId!: string;
}

/** The history of a case: every change with who, when, why, and the fields before and after. */
@Entity('discipline_event')
@Index('ix_discipline_event_case', ['caseId', 'id'])
export class DisciplineEventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'case_id', type: 'uuid' })
  caseId!: string;

  @Column({ type: 'varchar', length: 48 })
  type!: string;

  @Column({ type: 'varchar', length: 100 })
  actor!: string;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  before!: Record<string, unknown> | null;

  @Column({ type: 'jsonb', nullable: true })
  after!: Record<string, unknown> | null;

  @Column({ type: 'timestamptz' })
  at!: Date;
}
