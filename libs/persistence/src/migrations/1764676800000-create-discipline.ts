import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The discipline registry: cases with the dates of the ТК ст. 193 procedure, the breaches they
 * answer for (a breach in one case at most: one measure per offence), and their audit trail.
 */
export class CreateDiscipline1764676800000 implements MigrationInterface {
  name = 'CreateDiscipline1764676800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE discipline_case (
        id uuid PRIMARY KEY,
        organization_id varchar(64) NOT NULL,
        person_name varchar(300) NOT NULL,
        person_position varchar(300) NOT NULL,
        employment varchar(16) NOT NULL,
        description text NOT NULL,
        offence_date date NOT NULL,
        discovered_date date NOT NULL,
        audit_finding boolean NOT NULL DEFAULT false,
        explanation_requested_at timestamptz,
        explanation_received_at timestamptz,
        explanation_refusal_act_at timestamptz,
        measure varchar(48),
        order_number varchar(64),
        order_date date,
        acknowledged_at timestamptz,
        acknowledgement_refusal_act_at timestamptz,
        excluded_periods jsonb NOT NULL DEFAULT '[]',
        status varchar(16) NOT NULL,
        closed_reason text,
        created_by varchar(100) NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        version integer NOT NULL DEFAULT 1,
        CONSTRAINT ck_discipline_case_employment CHECK (employment IN ('labour', 'civil_service')),
        CONSTRAINT ck_discipline_case_status CHECK (status IN ('open', 'measure_applied', 'closed'))
      )`);
    await q.query(`CREATE INDEX ix_discipline_case_org ON discipline_case (organization_id, status)`);
    await q.query(`
      CREATE TABLE discipline_case_breach (
        case_id uuid NOT NULL REFERENCES discipline_case (id) ON DELETE CASCADE,
        breach_id uuid NOT NULL REFERENCES sla_breach (id),
        PRIMARY KEY (case_id, breach_id),
        CONSTRAINT uq_discipline_case_breach UNIQUE (breach_id)
      )`);
    await q.query(`
      CREATE TABLE discipline_event (
        id bigserial PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES discipline_case (id) ON DELETE CASCADE,
        type varchar(48) NOT NULL,
        actor varchar(100) NOT NULL,
        reason text,
        before jsonb,
        after jsonb,
        at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX ix_discipline_event_case ON discipline_event (case_id, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE discipline_event`);
    await q.query(`DROP TABLE discipline_case_breach`);
    await q.query(`DROP TABLE discipline_case`);
  }
}
