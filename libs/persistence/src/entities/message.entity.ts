import { Column, Entity, Index, OneToOne, PrimaryColumn, Unique, VersionColumn } from 'typeorm';
import type { Channel, Importance, MessageStatus } from '@cur/domain';
import { ApplicantEntity } from './applicant.entity';

/** ПОС backoffice attributes of an imported row (DOMAIN.md §4). */
export interface PosAttributes {
  number: string;
  epguNumber: string | null;
  source: string | null;
  topLevelLko: string | null;
  receivedByOrganization: string | null;
  currentOrganization: string | null;
  plannedCompletionAt: string | null;
  actualCompletionAt: string | null;
  stage: string | null;
  status: string | null;
  overdue: boolean | null;
  fastTrack: boolean | null;
  lawType: string | null;
  applicantChose59Fz: boolean | null;
  resolutionType: string | null;
  emailedToFoiv: boolean | null;
  rating: number | null;
  reconsideration: boolean | null;
  coordinatorName: string | null;
  executorName: string | null;
  headName: string | null;
}

export interface ClassificationRecord {
  /** 'hint' (named by the source), 'model' (learned classifier), 'keywords' (fallback) or 'operator'. */
  method: string;
  /** The learned model's version, when it decided. */
  modelVersion?: number;
  /** The category threshold the top probability was held against (null: never automatic). */
  threshold?: number | null;
  suggestions: { code: string; probability: number }[];
  /** Who chose the category by hand, when a person did. */
  decidedBy?: string;
  ruleId?: string;
  /** The SLA policy whose clocks the message runs. */
  policyId?: string;
  /** Why triage left the message to an operator (absent when it routed it). */
  queueReason?: 'no_category' | 'low_confidence' | 'no_route' | 'no_content';
}

@Entity('message')
@Unique('uq_message_source_external_id', ['source', 'externalId'])
@Index('ix_message_list', ['receivedAt', 'id'])
@Index('ix_message_org_status', ['organizationId', 'status'])
@Index('ix_message_status_due', ['status', 'dueAt'])
export class MessageEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 8 })
  region!: string;

  @Column({ type: 'varchar', length: 16 })
  channel!: Channel;

  @Column({ type: 'varchar', length: 100 })
  source!: string;

  @Column({ name: 'external_id', type: 'varchar', length: 200 })
  externalId!: string;

  /** Null for ПОС export rows, which carry no text. */
  @Column({ type: 'text', nullable: true })
  text!: string | null;

  @Column({ name: 'territory_id', type: 'varchar', length: 64, nullable: true })
  territoryId!: string | null;

  /** The territory exactly as the source gave it. */
  @Column({ name: 'territory_raw', type: 'varchar', length: 200, nullable: true })
  territoryRaw!: string | null;

  @Column({ type: 'varchar', length: 8 })
  importance!: Importance;

  @Column({ name: 'category_code', type: 'varchar', length: 64, nullable: true })
  categoryCode!: string | null;

  @Column({ name: 'category_hint', type: 'varchar', length: 200, nullable: true })
  categoryHint!: string | null;

  /** ПОС three-level category as the source named it (imports). */
  @Column({ name: 'source_category', type: 'text', nullable: true })
  sourceCategory!: string | null;

  @Column({ name: 'source_subcategory', type: 'text', nullable: true })
  sourceSubcategory!: string | null;

  @Column({ name: 'source_fact', type: 'text', nullable: true })
  sourceFact!: string | null;

  @Column({ name: 'organization_id', type: 'varchar', length: 64, nullable: true })
  organizationId!: string | null;

  /** An organization name not found in config, kept as given. */
  @Column({ name: 'organization_raw', type: 'text', nullable: true })
  organizationRaw!: string | null;

  @Column({ type: 'varchar', length: 24 })
  status!: MessageStatus;

  @Column({ name: 'status_changed_at', type: 'timestamptz' })
  statusChangedAt!: Date;

  /** When the citizen filed it, per the source. */
  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;

  @Column({ name: 'due_at', type: 'timestamptz', nullable: true })
  dueAt!: Date | null;

  @Column({ name: 'answered_at', type: 'timestamptz', nullable: true })
  answeredAt!: Date | null;

  /** The executor (login) the head gave it to, within the handling organization. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  assignee!: string | null;

  /** The applicant's rating of the answer, 1–5. */
  @Column({ type: 'smallint', nullable: true })
  rating!: number | null;

  @Column({ name: 'rated_at', type: 'timestamptz', nullable: true })
  ratedAt!: Date | null;

  /** Merged into this message as a duplicate: closed here, answered there. */
  @Column({ name: 'duplicate_of', type: 'uuid', nullable: true })
  duplicateOf!: string | null;

  @Column({ type: 'boolean', default: false })
  overdue!: boolean;

  @Column({ type: 'jsonb', nullable: true })
  classification!: ClassificationRecord | null;

  @Column({ type: 'text', nullable: true })
  url!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  pos!: PosAttributes | null;

  @VersionColumn()
  version!: number;

  @OneToOne(() => ApplicantEntity, (a) => a.message)
  applicant?: ApplicantEntity;
}
