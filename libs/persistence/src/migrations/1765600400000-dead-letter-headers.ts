import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A dead letter keeps its record's headers, and a replay sends them again: the correlation id
 * among them, so the replayed event's way is logged under the id of the request it began with
 * (issue 15, item 6). Letters written before have none.
 */
export class DeadLetterHeaders1765600400000 implements MigrationInterface {
  name = 'DeadLetterHeaders1765600400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE dead_letter ADD COLUMN headers jsonb NOT NULL DEFAULT '{}' CONSTRAINT ck_dead_letter_headers CHECK (jsonb_typeof(headers) = 'object')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE dead_letter DROP COLUMN headers`);
  }
}
