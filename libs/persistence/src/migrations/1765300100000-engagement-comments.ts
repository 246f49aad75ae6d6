import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Comments on engagements and citizens' reports of them (issue 14). No citizen id is stored:
 * authors and reporters are an HMAC of the id under the engagement's author key, a secret of its
 * own in `engagement_author_key`.
 *
 * Why not the ballots' secret: it is erased at closing, so that no ballot can ever be tied to
 * anyone, while comments stay (moderation and the public record go on after closing). Keying
 * comments with it would either keep it alive or lose the grouping. A separate, stable key keeps
 * one author's comments together for moderation (and one report per citizen per comment), and
 * erasing the ballots' secret still cuts ballots loose: the two hashes of one citizen differ, so
 * neither table can be joined to the other.
 */
export class EngagementComments1765300100000 implements MigrationInterface {
  name = 'EngagementComments1765300100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE engagement_author_key (
        engagement_id uuid PRIMARY KEY REFERENCES engagement (id),
        secret bytea NOT NULL
      )`);
    await q.query(`
      CREATE TABLE engagement_comment (
        id uuid PRIMARY KEY,
        engagement_id uuid NOT NULL REFERENCES engagement (id),
        section_id varchar(64),
        parent_id uuid REFERENCES engagement_comment (id),
        author_key bytea NOT NULL,
        text text NOT NULL CHECK (char_length(text) BETWEEN 1 AND 5000),
        status varchar(16) NOT NULL DEFAULT 'visible' CHECK (status IN ('visible', 'hidden')),
        hidden_reason text,
        hidden_by varchar(100),
        hidden_at timestamptz,
        created_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX ix_engagement_comment_engagement ON engagement_comment (engagement_id, created_at)`);
    await q.query(`CREATE INDEX ix_engagement_comment_parent ON engagement_comment (parent_id) WHERE parent_id IS NOT NULL`);
    // One report per citizen per comment: the primary key decides, also for reports sent at once.
    await q.query(`
      CREATE TABLE engagement_comment_report (
        comment_id uuid NOT NULL REFERENCES engagement_comment (id),
        reporter_key bytea NOT NULL,
        reason text,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (comment_id, reporter_key)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE engagement_comment_report`);
    await q.query(`DROP TABLE engagement_comment`);
    await q.query(`DROP TABLE engagement_author_key`);
  }
}
