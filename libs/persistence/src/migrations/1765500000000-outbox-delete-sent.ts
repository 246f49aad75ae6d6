import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The relay deletes what it published instead of marking it sent (issue 15). The mark was an
 * UPDATE of every row, and not an in-place one: `sent_at` is the predicate of the unsent-rows
 * index, so each mark wrote a new copy of the row (payload included) and new index entries. A
 * delete writes neither; the published events live on in Kafka. Every row in the outbox is now
 * unsent, so the primary key serves the relay's reads and the partial index goes.
 */
export class OutboxDeleteSent1765500000000 implements MigrationInterface {
  name = 'OutboxDeleteSent1765500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM outbox WHERE sent_at IS NOT NULL`);
    await q.query(`DROP INDEX ix_outbox_unsent`);
    await q.query(`ALTER TABLE outbox DROP COLUMN sent_at, DROP COLUMN claimed_until`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox ADD COLUMN claimed_until timestamptz, ADD COLUMN sent_at timestamptz`);
    await q.query(`CREATE INDEX ix_outbox_unsent ON outbox (id) WHERE sent_at IS NULL`);
  }
}
