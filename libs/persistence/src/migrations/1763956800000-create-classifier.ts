import { MigrationInterface, QueryRunner } from 'typeorm';

/** Classifier versions (one active per rubricator), their history, and operators' labelled examples. */
export class CreateClassifier1763956800000 implements MigrationInterface {
  name = 'CreateClassifier1763956800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE classifier_model (
        id uuid PRIMARY KEY,
        region varchar(8) NOT NULL,
        rubricator varchar(8) NOT NULL,
        version integer NOT NULL,
        status varchar(16) NOT NULL,
        origin varchar(16) NOT NULL,
        file bytea NOT NULL,
        labels integer NOT NULL,
        training_examples integer NOT NULL,
        training_corrections integer NOT NULL,
        metrics jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        created_by varchar(100) NOT NULL,
        activated_at timestamptz,
        CONSTRAINT uq_classifier_model_version UNIQUE (region, rubricator, version),
        CONSTRAINT ck_classifier_model_status CHECK (status IN ('candidate', 'active', 'retired', 'rejected')),
        CONSTRAINT ck_classifier_model_origin CHECK (origin IN ('bootstrap', 'retrain'))
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_classifier_model_active ON classifier_model (region, rubricator) WHERE status = 'active'`);

    await q.query(`
      CREATE TABLE classifier_model_event (
        id bigserial PRIMARY KEY,
        model_id uuid NOT NULL REFERENCES classifier_model (id) ON DELETE CASCADE,
        type varchar(32) NOT NULL,
        from_status varchar(16),
        to_status varchar(16) NOT NULL,
        actor varchar(100) NOT NULL,
        reason text,
        data jsonb,
        at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX ix_classifier_model_event_model ON classifier_model_event (model_id, id)`);

    await q.query(`
      CREATE TABLE classification_example (
        message_id uuid PRIMARY KEY REFERENCES message (id) ON DELETE CASCADE,
        region varchar(8) NOT NULL,
        rubricator varchar(8) NOT NULL,
        label varchar(64) NOT NULL,
        predicted varchar(64),
        predicted_probability real,
        model_version integer,
        holdout boolean NOT NULL,
        actor varchar(100) NOT NULL,
        created_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX ix_classification_example_set ON classification_example (region, rubricator, holdout)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE classification_example`);
    await q.query(`DROP TABLE classifier_model_event`);
    await q.query(`DROP TABLE classifier_model`);
  }
}
