import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One outbox row per written batch of events, not per event (issue 15). A message's way through
 * intake and triage wrote four outbox rows, each a heap tuple, a primary-key entry, a JSON
 * parse, a read by the relay and a delete; measured on transactions of 400 events (the same
 * events either way), PostgreSQL spent about 20 µs an event as rows and about 7 as one row.
 *
 * `events` holds one event a line (`\n` between lines): the JSON array `[topic, key, headers]`,
 * a tab, and the payload's JSON text. JSON as written by `JSON.stringify` has no raw tab or line
 * break, so the relay splits the text without parsing the payloads it passes on. The view
 * `outbox_event` shows the events one a row, for people and tests.
 *
 * Pending rows are carried over, one row for each, in their order; `down()` unpacks them again.
 * A raw line break or carriage return in a stored JSON text can only be whitespace between its
 * tokens (inside a string it must be escaped), so it becomes a space.
 */
export class OutboxPacked1765600300000 implements MigrationInterface {
  name = 'OutboxPacked1765600300000';

  async up(q: QueryRunner): Promise<void> {
    await setAside(q, 'outbox_unpacked');
    await q.query(`
      CREATE TABLE outbox (
        id bigserial PRIMARY KEY,
        events text NOT NULL,
        event_count integer NOT NULL CHECK (event_count > 0),
        created_at timestamptz NOT NULL,
        enqueued_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Read whole by the relay, written once and deleted: compressing it costs more than its bytes.
    await q.query(`ALTER TABLE outbox ALTER COLUMN events SET STORAGE EXTERNAL`);
    await q.query(`
      INSERT INTO outbox (events, event_count, created_at, enqueued_at)
      SELECT json_build_array(topic, key, headers::jsonb)::text || E'\\t' || regexp_replace(payload::text, E'[\\n\\r]', ' ', 'g'),
             1, created_at, enqueued_at
        FROM outbox_unpacked ORDER BY id`);
    await q.query(`DROP TABLE outbox_unpacked`);
    await q.query(`CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify()`);
    await q.query(`
      CREATE VIEW outbox_event AS
      SELECT o.id AS outbox_id, l.position, split_part(l.line, E'\\t', 1)::json ->> 0 AS topic, split_part(l.line, E'\\t', 1)::json ->> 1 AS key,
             split_part(l.line, E'\\t', 1)::json -> 2 AS headers, substr(l.line, strpos(l.line, E'\\t') + 1)::json AS payload,
             o.created_at, o.enqueued_at
        FROM outbox o, string_to_table(o.events, E'\\n') WITH ORDINALITY AS l(line, position)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP VIEW outbox_event`);
    await setAside(q, 'outbox_packed');
    await q.query(`
      CREATE TABLE outbox (
        id bigserial PRIMARY KEY,
        event_id uuid NOT NULL,
        topic varchar(100) NOT NULL,
        key varchar(100) NOT NULL,
        payload json NOT NULL,
        headers json,
        created_at timestamptz NOT NULL,
        enqueued_at timestamptz NOT NULL DEFAULT now()
      )`);
    // The event id was never read from the outbox (consumers read it from the payload); an unpacked row gets the payload's, or a new one.
    // Read from the text: `->>` would decode every escape of the payload, and fail on a \u0000 anywhere in it.
    await q.query(`
      INSERT INTO outbox (event_id, topic, key, payload, headers, created_at, enqueued_at)
      SELECT coalesce(substring(e.payload::text FROM '"eventId"\\s*:\\s*"([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})"')::uuid, gen_random_uuid()),
             e.topic, e.key, e.payload, e.headers, e.created_at, e.enqueued_at
        FROM outbox_packed o, string_to_table(o.events, E'\\n') WITH ORDINALITY AS l(line, position),
             LATERAL (SELECT split_part(l.line, E'\\t', 1)::json ->> 0 AS topic, split_part(l.line, E'\\t', 1)::json ->> 1 AS key,
                             nullif((split_part(l.line, E'\\t', 1)::json -> 2)::text, 'null')::json AS headers,
                             substr(l.line, strpos(l.line, E'\\t') + 1)::json AS payload, o.created_at, o.enqueued_at) e
       ORDER BY o.id, l.position`);
    await q.query(`DROP TABLE outbox_packed`);
    await q.query(`CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify()`);
  }
}

/** Renames the outbox (with its key and sequence, whose names a new outbox needs) for its rows to be copied, without its notify trigger. */
async function setAside(q: QueryRunner, name: string): Promise<void> {
  await q.query(`ALTER TABLE outbox RENAME TO ${name}`);
  await q.query(`ALTER TABLE ${name} RENAME CONSTRAINT outbox_pkey TO ${name}_pkey`);
  await q.query(`ALTER SEQUENCE outbox_id_seq RENAME TO ${name}_id_seq`);
  await q.query(`DROP TRIGGER outbox_notify ON ${name}`);
}
