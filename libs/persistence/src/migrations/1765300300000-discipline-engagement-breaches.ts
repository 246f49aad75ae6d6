import { MigrationInterface, QueryRunner } from 'typeorm';

/** A disciplinary case may answer for late results and decisions of engagements too (one case per breach, ТК ст. 193 ч. 5). */
export class DisciplineEngagementBreaches1765300300000 implements MigrationInterface {
  name = 'DisciplineEngagementBreaches1765300300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE discipline_case_engagement_breach (
        case_id uuid NOT NULL REFERENCES discipline_case (id),
        engagement_breach_id uuid NOT NULL REFERENCES engagement_breach (id),
        PRIMARY KEY (case_id, engagement_breach_id),
        CONSTRAINT uq_discipline_case_engagement_breach UNIQUE (engagement_breach_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE discipline_case_engagement_breach`);
  }
}
