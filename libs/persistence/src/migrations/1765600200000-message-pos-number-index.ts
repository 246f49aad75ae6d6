import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The ПОС number's index holds only the messages that have one (the import's): a message from the
 * API or a social post has no `pos`, and each of its versions (the insert, triage's update, every
 * later change) wrote a NULL entry nobody searches (issue 15: the indexes a message's writes touch).
 * A search by number, `(pos ->> 'number') = $1`, implies the predicate and still uses it.
 */
export class MessagePosNumberIndex1765600200000 implements MigrationInterface {
  name = 'MessagePosNumberIndex1765600200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_message_pos_number`);
    await q.query(`CREATE INDEX ix_message_pos_number ON message ((pos ->> 'number')) WHERE (pos ->> 'number') IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_message_pos_number`);
    await q.query(`CREATE INDEX ix_message_pos_number ON message ((pos ->> 'number'))`);
  }
}
