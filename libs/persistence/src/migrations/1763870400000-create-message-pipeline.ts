import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The message pipeline: messages, applicants (personal data apart), history, outbox and consumer
 * idempotency. Indexes follow the screens: the live list (newest first), an organization's queue by
 * status, and "open and due soon" for the deadline watch.
 */
export class CreateMessagePipeline1763870400000 implements MigrationInterface {
  name = 'CreateMessagePipeline1763870400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE message (
        id uuid PRIMARY KEY,
        region varchar(8) NOT NULL,
        channel varchar(16) NOT NULL,
        source varchar(100) NOT NULL,
        external_id varchar(200) NOT NULL,
        text text,
        territory_id varchar(64),
        territory_raw varchar(200),
        importance varchar(8) NOT NULL DEFAULT 'normal',
        category_code varchar(64),
        category_hint varchar(200),
        source_category text,
        source_subcategory text,
        source_fact text,
        organization_id varchar(64),
        organization_raw text,
        status varchar(24) NOT NULL,
        status_changed_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL,
        received_at timestamptz NOT NULL,
        due_at timestamptz,
        answered_at timestamptz,
        overdue boolean NOT NULL DEFAULT false,
        classification jsonb,
        url text,
        pos jsonb,
        version integer NOT NULL DEFAULT 1,
        CONSTRAINT uq_message_source_external_id UNIQUE (source, external_id),
        CONSTRAINT ck_message_channel CHECK (channel IN ('pos', 'appeal', 'social')),
        CONSTRAINT ck_message_importance CHECK (importance IN ('normal', 'high'))
      )`);
    await q.query(`CREATE INDEX ix_message_list ON message (received_at DESC, id DESC)`);
    await q.query(`CREATE INDEX ix_message_org_status ON message (organization_id, status)`);
    await q.query(`CREATE INDEX ix_message_status_due ON message (status, due_at)`);
    await q.query(`CREATE INDEX ix_message_open_due ON message (due_at) WHERE overdue = false AND due_at IS NOT NULL`);

    await q.query(`
      CREATE TABLE applicant (
        message_id uuid PRIMARY KEY REFERENCES message (id) ON DELETE CASCADE,
        name varchar(300),
        phone varchar(32),
        email varchar(320),
        epgu_id varchar(64)
      )`);

    await q.query(`
      CREATE TABLE message_event (
        id bigserial PRIMARY KEY,
        message_id uuid NOT NULL REFERENCES message (id) ON DELETE CASCADE,
        type varchar(48) NOT NULL,
        from_status varchar(24),
        to_status varchar(24),
        actor varchar(100) NOT NULL,
        reason text,
        data jsonb,
        at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX ix_message_event_message ON message_event (message_id, id)`);

    await q.query(`
      CREATE TABLE outbox (
        id bigserial PRIMARY KEY,
        event_id uuid NOT NULL UNIQUE,
        topic varchar(100) NOT NULL,
        key varchar(100) NOT NULL,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        claimed_until timestamptz,
        sent_at timestamptz
      )`);
    await q.query(`CREATE INDEX ix_outbox_unsent ON outbox (id) WHERE sent_at IS NULL`);

    await q.query(`
      CREATE TABLE processed_event (
        consumer varchar(64) NOT NULL,
        event_id uuid NOT NULL,
        processed_at timestamptz NOT NULL,
        PRIMARY KEY (consumer, event_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE processed_event`);
    await q.query(`DROP TABLE outbox`);
    await q.query(`DROP TABLE message_event`);
    await q.query(`DROP TABLE applicant`);
    await q.query(`DROP TABLE message`);
  }
}
