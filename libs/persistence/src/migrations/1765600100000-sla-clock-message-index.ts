import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `ix_sla_clock_message (message_id)` goes: it is the leading column of the unique
 * `uq_sla_clock_generation (message_id, kind, generation)`, which serves every look-up by message
 * as well, and every clock started paid for one more index entry (issue 15: the indexes a message's
 * writes touch).
 */
export class SlaClockMessageIndex1765600100000 implements MigrationInterface {
  name = 'SlaClockMessageIndex1765600100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_sla_clock_message`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX ix_sla_clock_message ON sla_clock (message_id)`);
  }
}
