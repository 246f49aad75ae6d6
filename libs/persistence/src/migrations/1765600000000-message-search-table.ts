import { MigrationInterface, QueryRunner } from 'typeorm';

/** A message's words, as search and its highlights read them (the text and the address as the source named it); `row` prefixes the columns. */
const words = (row = '') => `to_tsvector('russian', coalesce(${row}text, '') || ' ' || coalesce(${row}territory_raw, ''))`;

/**
 * The search words move out of the message row into `message_search` (issue 15). As a stored
 * generated column of `message`, `search_vector` was computed again by every UPDATE of the row
 * (PostgreSQL recomputes stored generated columns whatever the statement sets), and since the row's
 * changes touch indexed columns (status, organization, due date), every new version of the row
 * also inserted its words into the GIN index (an earlier measure found the computation to be most
 * of the cost). Triage's update of 20,000 messages took 1,246–1,250 ms with the column and
 * 743–776 ms without it; inserting them, 2,283–2,373 ms against 2,360–2,559 with the words written
 * here instead.
 *
 * The words are written by triggers, so every way a message is inserted (intake, the ПОС import,
 * the demo stream) keeps its search: once per INSERT statement for all its rows (a transition
 * table), and again only when an UPDATE sets the text or the address to something else (inserting
 * the row should it be missing, so a message's words come back with its next change of text).
 */
export class MessageSearchTable1765600000000 implements MigrationInterface {
  name = 'MessageSearchTable1765600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE message_search (
        message_id uuid PRIMARY KEY REFERENCES message (id) ON DELETE CASCADE,
        search_vector tsvector NOT NULL
      )`);
    // The words already computed are copied, not computed again.
    await q.query(`INSERT INTO message_search (message_id, search_vector) SELECT id, search_vector FROM message`);
    await q.query(`CREATE INDEX ix_message_search_words ON message_search USING gin (search_vector)`);
    await q.query(`ALTER TABLE message DROP COLUMN search_vector`);
    await q.query(`
      CREATE FUNCTION message_search_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO message_search (message_id, search_vector)
        SELECT id, ${words()} FROM inserted;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER tg_message_search_inserted AFTER INSERT ON message
        REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION message_search_inserted()`);
    await q.query(`
      CREATE FUNCTION message_search_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO message_search (message_id, search_vector)
        VALUES (NEW.id, ${words('NEW.')})
        ON CONFLICT (message_id) DO UPDATE SET search_vector = EXCLUDED.search_vector;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER tg_message_search_changed AFTER UPDATE OF text, territory_raw ON message
        FOR EACH ROW WHEN (OLD.text IS DISTINCT FROM NEW.text OR OLD.territory_raw IS DISTINCT FROM NEW.territory_raw)
        EXECUTE FUNCTION message_search_changed()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER tg_message_search_changed ON message`);
    await q.query(`DROP FUNCTION message_search_changed()`);
    await q.query(`DROP TRIGGER tg_message_search_inserted ON message`);
    await q.query(`DROP FUNCTION message_search_inserted()`);
    await q.query(`ALTER TABLE message ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (${words()}) STORED`);
    await q.query(`CREATE INDEX ix_message_search ON message USING gin (search_vector)`);
    await q.query(`DROP TABLE message_search`);
  }
}
