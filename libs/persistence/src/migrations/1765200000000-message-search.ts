import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Search and duplicate suggestions (the console's search box and the card's «похожие»):
 * - `search_vector`, a stored generated column over the text and the territory as the source named
 *   it (street and house words live there), in the `russian` configuration, with a GIN index. Stored
 *   rather than an expression index so ts_rank reads it instead of parsing every matched text again;
 * - exact look-ups of a portal number: `external_id` alone (the unique key leads with `source`) and
 *   the ПОС number inside `pos`;
 * - the applicant's phone by its last ten digits (+7 / 8 / spaces / brackets do not matter) and the
 *   name's words, for those who may see personal data;
 * - pg_trgm for similar messages, whose candidates come from a (territory, received_at) index: one
 *   territory's four weeks are a few hundred messages, and similarity() on them is cheaper than a
 *   trigram GIN index on the text (measured 120–180 ms per look-up on 100,000 messages: a whole
 *   message as the query matches thousands of trigram lists), so there is none.
 */
export class MessageSearch1765200000000 implements MigrationInterface {
  name = 'MessageSearch1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await q.query(
      `ALTER TABLE message ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (to_tsvector('russian', coalesce(text, '') || ' ' || coalesce(territory_raw, ''))) STORED`,
    );
    await q.query(`CREATE INDEX ix_message_search ON message USING gin (search_vector)`);
    await q.query(`CREATE INDEX ix_message_territory_received ON message (territory_id, received_at)`);
    await q.query(`CREATE INDEX ix_message_external_id ON message (external_id)`);
    await q.query(`CREATE INDEX ix_message_pos_number ON message ((pos ->> 'number'))`);
    await q.query(`CREATE INDEX ix_applicant_phone_key ON applicant (right(regexp_replace(phone, '\\D', '', 'g'), 10))`);
    await q.query(`CREATE INDEX ix_applicant_name_words ON applicant USING gin (to_tsvector('simple', coalesce(name, '')))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_applicant_name_words`);
    await q.query(`DROP INDEX ix_applicant_phone_key`);
    await q.query(`DROP INDEX ix_message_pos_number`);
    await q.query(`DROP INDEX ix_message_external_id`);
    await q.query(`DROP INDEX ix_message_territory_received`);
    await q.query(`DROP INDEX ix_message_search`);
    await q.query(`ALTER TABLE message DROP COLUMN search_vector`);
    await q.query(`DROP EXTENSION IF EXISTS pg_trgm`);
  }
}
