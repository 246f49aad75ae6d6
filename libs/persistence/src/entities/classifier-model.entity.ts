import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

export const CLASSIFIER_MODEL_STATUSES = ['candidate', 'active', 'retired', 'rejected'] as const;
export type ClassifierModelStatus = (typeof CLASSIFIER_MODEL_STATUSES)[number];
export type ClassifierModelOrigin = 'bootstrap' | 'retrain';

/**
 * A trained classifier version for one rubricator of a region. At most one is active per
 * (region, rubricator); the model file itself is stored gzip-compressed.
 */
@Entity('classifier_model')
export class ClassifierModelEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'varchar', length: 8 })
  region!: string;

  @Column({ type: 'varchar', length: 8 })
  rubricator!: string;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ type: 'varchar', length: 16 })
  status!: ClassifierModelStatus;

  @Column({ type: 'varchar', length: 16 })
  origin!: ClassifierModelOrigin;

  /** gzip of the JSON model file (libs/classifier ModelFile). */
  @Column({ type: 'bytea', select: false })
  file!: Buffer;

  @Column({ type: 'integer' })
  labels!: number;

  @Column({ name: 'training_examples', type: 'integer' })
  trainingExamples!: number;

  /** Operator corrections among the training examples. */
  @Column({ name: 'training_corrections', type: 'integer' })
  trainingCorrections!: number;

  /** Validation summary, and for a retrained candidate the comparison with the model it challenged. */
  @Column({ type: 'jsonb' })
  metrics!: Record<string, unknown>;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'created_by', type: 'varchar', length: 100 })
  createdBy!: string;

  @Column({ name: 'activated_at', type: 'timestamptz', nullable: true })
  activatedAt!: Date | null;
}

/** Every change of a model's status, with who, when and why. */
@Entity('classifier_model_event')
export class ClassifierModelEventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'model_id', type: 'uuid' })
  modelId!: string;

  @Column({ type: 'varchar', length: 32 })
  type!: string;

  @Column({ name: 'from_status', type: 'varchar', length: 16, nullable: true })
  fromStatus!: string | null;

  @Column({ name: 'to_status', type: 'varchar', length: 16 })
  toStatus!: string;

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
 * A labelled example from an operator: the category a person chose for a message. The text is
 * read from the message at training time, so an erased message leaves the training data too.
 * A fixed share is held back (by message id) to judge retrained models, never to train them.
 */
@Entity('classification_example')
export class ClassificationExampleEntity {
  @PrimaryColumn({ name: 'message_id', type: 'uuid' })
  messageId!: string;

  @Column({ type: 'varchar', length: 8 })
  region!: string;

  @Column({ type: 'varchar', length: 8 })
  rubricator!: string;

  @Column({ type: 'varchar', length: 64 })
  label!: string;

  /** The model's best guess when the person decided (null when there was none). */
  @Column({ type: 'varchar', length: 64, nullable: true })
  predicted!: string | null;

  @Column({ name: 'predicted_probability', type: 'real', nullable: true })
  predictedProbability!: number | null;

  @Column({ name: 'model_version', type: 'integer', nullable: true })
  modelVersion!: number | null;

  @Column({ type: 'boolean' })
  holdout!: boolean;

  @Column({ type: 'varchar', length: 100 })
  actor!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
