import { MigrationInterface, QueryRunner } from 'typeorm';

const OPEN = `('new','needs_triage','moderation','assigned','in_progress','awaiting_applicant','interim_answer','postponed','redirected','answer_draft','approval','reopened')`;

/**
 * The monthly summary (issue 12): the facts it counts, its snapshots and their history.
 *
 * Messages stored before the facts existed get theirs from their rows: the receipt, the answer
 * (on time against the stored due date; an imported row compares dates in Europe/Moscow), the
 * rating, and the closing of a message rejected or closed without an answer. Their time to answer
 * is unknown (null): the summary leaves them out of its median and mean.
 */
export class CreateReports1765026000000 implements MigrationInterface {
  name = 'CreateReports1765026000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE report_fact (
        id bigserial PRIMARY KEY,
        message_id uuid NOT NULL,
        kind varchar(16) NOT NULL,
        at timestamptz NOT NULL,
        channel varchar(16) NOT NULL,
        category_code varchar(64),
        organization_id varchar(64),
        from_organization_id varchar(64),
        open boolean NOT NULL,
        due_at timestamptz,
        on_time boolean,
        elapsed numeric(10,2),
        rating smallint
      )`);
    await q.query(`
      INSERT INTO report_fact (message_id, kind, at, channel, category_code, organization_id, open, due_at)
      SELECT id, 'received', CASE WHEN pos IS NOT NULL THEN created_at ELSE received_at END, channel, category_code, organization_id,
             status IN ${OPEN} OR answered_at IS NOT NULL OR status IN ('rejected','closed'), due_at
      FROM message ORDER BY received_at`);
    await q.query(`
      INSERT INTO report_fact (message_id, kind, at, channel, category_code, organization_id, open, due_at, on_time)
      SELECT id, 'answered', answered_at, channel, category_code, organization_id, status IN ${OPEN}, due_at,
             CASE WHEN due_at IS NULL THEN true
                  WHEN pos IS NOT NULL THEN (answered_at AT TIME ZONE 'Europe/Moscow')::date <= (due_at AT TIME ZONE 'Europe/Moscow')::date
                  ELSE answered_at <= due_at END
      FROM message WHERE answered_at IS NOT NULL ORDER BY answered_at`);
    await q.query(`
      INSERT INTO report_fact (message_id, kind, at, channel, category_code, organization_id, open, due_at, rating)
      SELECT id, 'rated', COALESCE(rated_at, answered_at, status_changed_at), channel, category_code, organization_id, status IN ${OPEN}, due_at, rating
      FROM message WHERE rating IS NOT NULL`);
    await q.query(`
      INSERT INTO report_fact (message_id, kind, at, channel, category_code, organization_id, open, due_at)
      SELECT id, CASE WHEN status = 'rejected' THEN 'rejected' ELSE 'state' END, status_changed_at, channel, category_code, organization_id, false, due_at
      FROM message WHERE status IN ('rejected','closed') AND answered_at IS NULL`);
    await q.query(`CREATE INDEX ix_report_fact_at ON report_fact (at, kind)`);
    await q.query(`CREATE INDEX ix_report_fact_message ON report_fact (message_id, at, id)`);
    await q.query(`
      CREATE TABLE monthly_report (
        id uuid PRIMARY KEY,
        year smallint NOT NULL,
        month smallint NOT NULL,
        organization_id varchar(64),
        scope varchar(64) NOT NULL,
        version integer NOT NULL,
        status varchar(16) NOT NULL,
        data_as_of timestamptz NOT NULL,
        body jsonb NOT NULL,
        generated_by varchar(100) NOT NULL,
        generated_at timestamptz NOT NULL,
        approved_by varchar(100),
        approved_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_monthly_report_version ON monthly_report (year, month, scope, version)`);
    await q.query(`
      CREATE TABLE monthly_report_event (
        id bigserial PRIMARY KEY,
        report_id uuid NOT NULL REFERENCES monthly_report (id),
        type varchar(32) NOT NULL,
        actor varchar(100) NOT NULL,
        reason text,
        data jsonb,
        at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX ix_monthly_report_event_report ON monthly_report_event (report_id, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE monthly_report_event`);
    await q.query(`DROP TABLE monthly_report`);
    await q.query(`DROP TABLE report_fact`);
  }
}
