import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The shift console's own data (issue 13): answer templates per category, kept by admins with the
 * history of every change, and each user's saved list views.
 */
export class AnswerTemplatesSavedViews1765200300000 implements MigrationInterface {
  name = 'AnswerTemplatesSavedViews1765200300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE answer_template (
        id uuid PRIMARY KEY,
        category_code varchar(64),
        title varchar(200) NOT NULL,
        body text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        version integer NOT NULL DEFAULT 1,
        created_by varchar(100) NOT NULL,
        created_at timestamptz NOT NULL,
        updated_by varchar(100) NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    // One title per category among the templates in use: a removed one frees its title.
    await q.query(`CREATE UNIQUE INDEX uq_answer_template_title ON answer_template (coalesce(category_code, ''), lower(title)) WHERE active`);
    await q.query(`CREATE INDEX ix_answer_template_category ON answer_template (category_code) WHERE active`);
    await q.query(`
      CREATE TABLE answer_template_event (
        id bigserial PRIMARY KEY,
        template_id uuid NOT NULL REFERENCES answer_template (id),
        type varchar(24) NOT NULL,
        actor varchar(100) NOT NULL,
        reason text,
        before jsonb,
        after jsonb,
        at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX ix_answer_template_event_template ON answer_template_event (template_id, id)`);
    await q.query(`
      CREATE TABLE saved_view (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES user_account (id),
        name varchar(100) NOT NULL,
        query varchar(2000) NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_saved_view_name ON saved_view (user_id, lower(name))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE saved_view`);
    await q.query(`DROP TABLE answer_template_event`);
    await q.query(`DROP TABLE answer_template`);
  }
}
