import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Submission of the monthly summary by the 3rd (issue 12): what each organization must approve
 * and when, the breaches of that deadline, and their link to the discipline registry.
 */
export class ReportSubmissions1765112400000 implements MigrationInterface {
  name = 'ReportSubmissions1765112400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE report_submission (
        id uuid PRIMARY KEY,
        year smallint NOT NULL,
        month smallint NOT NULL,
        organization_id varchar(64),
        scope varchar(64) NOT NULL,
        due_at timestamptz NOT NULL,
        warn_at timestamptz NOT NULL,
        report_id uuid REFERENCES monthly_report (id),
        warned_at timestamptz,
        overdue_at timestamptz,
        approved_report_id uuid REFERENCES monthly_report (id),
        approved_at timestamptz,
        created_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_report_submission ON report_submission (year, month, scope)`);
    // The watch looks only at submissions still waiting for approval.
    await q.query(`CREATE INDEX ix_report_submission_waiting ON report_submission (due_at) WHERE approved_at IS NULL`);
    await q.query(`
      CREATE TABLE report_breach (
        id uuid PRIMARY KEY,
        submission_id uuid NOT NULL UNIQUE REFERENCES report_submission (id),
        year smallint NOT NULL,
        month smallint NOT NULL,
        organization_id varchar(64),
        due_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL,
        approved_at timestamptz,
        lateness_working_ms bigint
      )`);
    await q.query(`
      CREATE TABLE discipline_case_report_breach (
        case_id uuid NOT NULL REFERENCES discipline_case (id),
        report_breach_id uuid NOT NULL REFERENCES report_breach (id),
        PRIMARY KEY (case_id, report_breach_id),
        CONSTRAINT uq_discipline_case_report_breach UNIQUE (report_breach_id)
      )`);
    // Scheduled work that one instance of several does at a time (the summaries' watch).
    await q.query(`CREATE TABLE job_lease (name varchar(100) PRIMARY KEY, holder uuid NOT NULL, until timestamptz NOT NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE job_lease`);
    await q.query(`DROP TABLE discipline_case_report_breach`);
    await q.query(`DROP TABLE report_breach`);
    await q.query(`DROP TABLE report_submission`);
  }
}
