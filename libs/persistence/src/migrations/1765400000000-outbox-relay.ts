import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox for one relay at a time (issue 15): each row keeps its Kafka headers (the
 * correlation id), and every insert statement notifies the relay once at commit, so the relay
 * of another process wakes as soon as the rows are visible (no lease column is used any more).
 */
export class OutboxRelay1765400000000 implements MigrationInterface {
  name = 'OutboxRelay1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox ADD COLUMN headers jsonb`);
    await q.query(`
      CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('cur_outbox', '');
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER outbox_notify ON outbox`);
    await q.query(`DROP FUNCTION outbox_notify()`);
    await q.query(`ALTER TABLE outbox DROP COLUMN headers`);
  }
}
