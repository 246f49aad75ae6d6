import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The timing of engagements (order No. 733, item 4): the result is due a number of working days
 * after closing, the decision a number after the result; a warning at 75% of the term, and a
 * breach at the due instant (completed, with the lateness in office time, when the step is done
 * late), for the discipline registry and the supervisors' deadline views.
 */
export class EngagementTiming1765300200000 implements MigrationInterface {
  name = 'EngagementTiming1765300200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE engagement
        ADD COLUMN result_due_at timestamptz,
        ADD COLUMN result_warn_at timestamptz,
        ADD COLUMN result_warned_at timestamptz,
        ADD COLUMN decision_due_at timestamptz,
        ADD COLUMN decision_warn_at timestamptz,
        ADD COLUMN decision_warned_at timestamptz`);
    // What the timing sweep looks for: a step still to do whose warning or due instant may have come.
    await q.query(`CREATE INDEX ix_engagement_result_due ON engagement (result_warn_at) WHERE status = 'closed'`);
    await q.query(`CREATE INDEX ix_engagement_decision_due ON engagement (decision_warn_at) WHERE status = 'result_published'`);
    await q.query(`
      CREATE TABLE engagement_breach (
        id uuid PRIMARY KEY,
        engagement_id uuid NOT NULL REFERENCES engagement (id),
        stage varchar(16) NOT NULL CHECK (stage IN ('result', 'decision')),
        organization_id varchar(64) NOT NULL,
        due_at timestamptz NOT NULL,
        detected_at timestamptz NOT NULL,
        completed_at timestamptz,
        lateness_working_ms bigint,
        CONSTRAINT uq_engagement_breach_stage UNIQUE (engagement_id, stage)
      )`);
    await q.query(`CREATE INDEX ix_engagement_breach_organization ON engagement_breach (organization_id, due_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE engagement_breach`);
    await q.query(`
      ALTER TABLE engagement
        DROP COLUMN result_due_at, DROP COLUMN result_warn_at, DROP COLUMN result_warned_at,
        DROP COLUMN decision_due_at, DROP COLUMN decision_warn_at, DROP COLUMN decision_warned_at`);
  }
}
