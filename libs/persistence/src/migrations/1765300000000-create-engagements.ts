import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Discussions, votes and surveys (issue 14). A ballot holds no citizen id: only an HMAC of it under
 * the engagement's own secret, unique per engagement (one citizen, one ballot, decided by the
 * database under concurrent requests); the secret lives in its own table and is erased when the
 * engagement closes, after which no ballot can be tied to anyone. Ballots carry the hour they were
 * cast, not the instant, and a random id, so their order says nothing either.
 */
export class CreateEngagements1765300000000 implements MigrationInterface {
  name = 'CreateEngagements1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE engagement (
        id uuid PRIMARY KEY,
        kind varchar(16) NOT NULL CHECK (kind IN ('discussion', 'vote', 'survey')),
        status varchar(24) NOT NULL CHECK (status IN ('draft', 'published', 'closed', 'result_published', 'decided')),
        title varchar(300) NOT NULL,
        description text,
        theme varchar(64) NOT NULL,
        organizer_organization_id varchar(64) NOT NULL,
        territory_ids text[] NOT NULL DEFAULT '{}',
        opens_at timestamptz NOT NULL,
        closes_at timestamptz NOT NULL,
        options jsonb NOT NULL DEFAULT '[]',
        vote jsonb,
        questions jsonb NOT NULL DEFAULT '[]',
        document jsonb,
        closed_at timestamptz,
        close_reason text,
        result jsonb,
        result_text text,
        result_published_at timestamptz,
        decision jsonb,
        decided_at timestamptz,
        version integer NOT NULL DEFAULT 1,
        created_by varchar(100) NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CHECK (closes_at > opens_at)
      )`);
    await q.query(`CREATE INDEX ix_engagement_organizer ON engagement (organizer_organization_id, created_at)`);
    // What the closing sweep looks for.
    await q.query(`CREATE INDEX ix_engagement_closing ON engagement (closes_at) WHERE status = 'published'`);
    await q.query(`
      CREATE TABLE engagement_secret (
        engagement_id uuid PRIMARY KEY REFERENCES engagement (id),
        secret bytea NOT NULL
      )`);
    await q.query(`
      CREATE TABLE engagement_ballot (
        id uuid PRIMARY KEY,
        engagement_id uuid NOT NULL REFERENCES engagement (id),
        voter_key bytea NOT NULL,
        option_ids text[] NOT NULL DEFAULT '{}',
        answers jsonb,
        cast_hour timestamptz NOT NULL,
        CONSTRAINT uq_engagement_ballot_voter UNIQUE (engagement_id, voter_key)
      )`);
    await q.query(`
      CREATE TABLE engagement_event (
        id bigserial PRIMARY KEY,
        engagement_id uuid NOT NULL REFERENCES engagement (id),
        type varchar(32) NOT NULL,
        actor varchar(100) NOT NULL,
        reason text,
        data jsonb,
        at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX ix_engagement_event_engagement ON engagement_event (engagement_id, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE engagement_event`);
    await q.query(`DROP TABLE engagement_ballot`);
    await q.query(`DROP TABLE engagement_secret`);
    await q.query(`DROP TABLE engagement`);
  }
}
