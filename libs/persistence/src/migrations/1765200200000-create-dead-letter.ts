import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Dead letters as rows (issue 13): every record a consumer gave up on, written at the moment it is
 * dead-lettered (besides `<topic>.dlq`), so people list and replay them without reading Kafka
 * topics from the beginning. `source_ref` (consumer group, topic, partition, offset) keeps a record
 * that Kafka delivers again after a failed commit from being counted twice.
 */
export class CreateDeadLetter1765200200000 implements MigrationInterface {
  name = 'CreateDeadLetter1765200200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE dead_letter (
        id uuid PRIMARY KEY,
        seq bigserial NOT NULL UNIQUE,
        consumer varchar(100) NOT NULL,
        topic varchar(200) NOT NULL,
        partition integer NOT NULL,
        "offset" varchar(30) NOT NULL,
        key text NOT NULL,
        payload jsonb NOT NULL,
        payload_is_json boolean NOT NULL,
        error text NOT NULL,
        attempts integer NOT NULL,
        dead_lettered_at timestamptz NOT NULL,
        source_ref varchar(400) UNIQUE,
        replayed_at timestamptz,
        replayed_by varchar(64),
        replay_reason text
      )`);
    // The list's two views: what still waits (newest first), and everything.
    await q.query(`CREATE INDEX ix_dead_letter_pending ON dead_letter (seq) WHERE replayed_at IS NULL`);
    await q.query(`CREATE INDEX ix_dead_letter_topic ON dead_letter (topic, seq)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE dead_letter`);
  }
}
