import { MigrationInterface, QueryRunner } from 'typeorm';

/** What people set on a message (and the index of the queues by time left): the executor it was given to, the applicant's rating, the message a duplicate was merged into. */
export class MessagePeople1764849600000 implements MigrationInterface {
  name = 'MessagePeople1764849600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE message ADD COLUMN assignee varchar(64), ADD COLUMN rating smallint, ADD COLUMN rated_at timestamptz, ADD COLUMN duplicate_of uuid REFERENCES message (id)`,
    );
    await q.query(`ALTER TABLE message ADD CONSTRAINT ck_message_rating CHECK (rating BETWEEN 1 AND 5)`);
    await q.query(`CREATE INDEX ix_message_assignee ON message (organization_id, assignee) WHERE assignee IS NOT NULL`);
    // The queues sorted by time left.
    await q.query(`CREATE INDEX ix_message_due_order ON message (due_at ASC NULLS LAST, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_message_due_order`);
    await q.query(`DROP INDEX ix_message_assignee`);
    await q.query(
      `ALTER TABLE message DROP CONSTRAINT ck_message_rating, DROP COLUMN duplicate_of, DROP COLUMN rated_at, DROP COLUMN rating, DROP COLUMN assignee`,
    );
  }
}
