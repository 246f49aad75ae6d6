import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Deadlines that hold up in a dispute: each message's clocks with their policy and operations,
 * at-risk warnings and breaches (each recorded once, by unique keys, whatever restarts), and
 * extension requests. The watch's index covers only running clocks that still need a look.
 */
export class CreateSla1764590400000 implements MigrationInterface {
  name = 'CreateSla1764590400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sla_clock (
        id uuid PRIMARY KEY,
        message_id uuid NOT NULL REFERENCES message (id) ON DELETE CASCADE,
        kind varchar(24) NOT NULL,
        generation smallint NOT NULL,
        policy_id varchar(64) NOT NULL,
        organization_id varchar(64),
        calendar_organization_id varchar(64),
        amount integer NOT NULL,
        unit varchar(16) NOT NULL,
        starts_on varchar(24) NOT NULL,
        started_at timestamptz NOT NULL,
        operations jsonb NOT NULL DEFAULT '[]',
        status varchar(12) NOT NULL,
        due_at timestamptz,
        extensions smallint NOT NULL DEFAULT 0,
        stopped_at timestamptz,
        stop_reason varchar(48),
        blocked_year smallint,
        next_check_at timestamptz,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CONSTRAINT uq_sla_clock_generation UNIQUE (message_id, kind, generation),
        CONSTRAINT ck_sla_clock_status CHECK (status IN ('running', 'paused', 'stopped', 'cancelled')),
        CONSTRAINT ck_sla_clock_unit CHECK (unit IN ('working_days', 'working_hours', 'calendar_days'))
      )`);
    await q.query(`CREATE INDEX ix_sla_clock_message ON sla_clock (message_id)`);
    await q.query(`CREATE INDEX ix_sla_clock_watch ON sla_clock (next_check_at) WHERE status = 'running' AND next_check_at IS NOT NULL`);
    await q.query(`CREATE INDEX ix_sla_clock_open_due ON sla_clock (due_at) WHERE status = 'running'`);

    await q.query(`
      CREATE TABLE sla_warning (
        id bigserial PRIMARY KEY,
        clock_id uuid NOT NULL REFERENCES sla_clock (id) ON DELETE CASCADE,
        message_id uuid NOT NULL,
        organization_id varchar(64),
        kind varchar(24) NOT NULL,
        fraction real NOT NULL,
        epoch smallint NOT NULL,
        due_at timestamptz NOT NULL,
        reached_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL,
        CONSTRAINT uq_sla_warning UNIQUE (clock_id, fraction, epoch)
      )`);

    await q.query(`
      CREATE TABLE sla_breach (
        id uuid PRIMARY KEY,
        clock_id uuid NOT NULL REFERENCES sla_clock (id) ON DELETE CASCADE,
        message_id uuid NOT NULL,
        organization_id varchar(64),
        kind varchar(24) NOT NULL,
        policy_id varchar(64) NOT NULL,
        due_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL,
        stopped_at timestamptz,
        lateness_working_ms bigint,
        lateness_ms bigint,
        CONSTRAINT uq_sla_breach_clock UNIQUE (clock_id)
      )`);
    await q.query(`CREATE INDEX ix_sla_warning_message ON sla_warning (message_id)`);
    await q.query(`CREATE INDEX ix_sla_breach_message ON sla_breach (message_id)`);
    await q.query(`CREATE INDEX ix_sla_breach_org_due ON sla_breach (organization_id, due_at)`);
    await q.query(`CREATE INDEX ix_sla_breach_due ON sla_breach (due_at)`);

    await q.query(`
      CREATE TABLE extension_request (
        id uuid PRIMARY KEY,
        message_id uuid NOT NULL REFERENCES message (id) ON DELETE CASCADE,
        clock_id uuid NOT NULL REFERENCES sla_clock (id),
        amount integer NOT NULL,
        unit varchar(16) NOT NULL,
        reason text NOT NULL,
        status varchar(12) NOT NULL,
        requested_by varchar(100) NOT NULL,
        requested_at timestamptz NOT NULL,
        decided_by varchar(100),
        decided_at timestamptz,
        decision_reason text,
        previous_due_at timestamptz NOT NULL,
        new_due_at timestamptz,
        CONSTRAINT ck_extension_request_status CHECK (status IN ('pending', 'approved', 'rejected'))
      )`);
    await q.query(`CREATE INDEX ix_extension_request_message ON extension_request (message_id)`);
    // One open request per message at a time.
    await q.query(`CREATE UNIQUE INDEX uq_extension_request_pending ON extension_request (message_id) WHERE status = 'pending'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE extension_request`);
    await q.query(`DROP TABLE sla_breach`);
    await q.query(`DROP TABLE sla_warning`);
    await q.query(`DROP TABLE sla_clock`);
  }
}
