import { MigrationInterface, QueryRunner } from 'typeorm';

/** Users with their history, sign-in sessions with rotating refresh tokens, the signing key, and the personal data access log. */
export class CreateAuth1764763200000 implements MigrationInterface {
  name = 'CreateAuth1764763200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE user_account (
        id uuid PRIMARY KEY,
        login varchar(64) NOT NULL,
        password_hash varchar(200) NOT NULL,
        display_name varchar(200) NOT NULL,
        roles text[] NOT NULL,
        organization_id varchar(64),
        demo boolean NOT NULL DEFAULT false,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        version integer NOT NULL DEFAULT 1,
        CONSTRAINT ck_user_account_roles CHECK (cardinality(roles) > 0 AND roles <@ ARRAY['operator', 'executor', 'head', 'supervisor', 'organizer', 'admin']::text[])
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_user_account_login ON user_account (lower(login))`);
    await q.query(`
      CREATE TABLE user_account_event (
        id bigserial PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES user_account (id),
        type varchar(48) NOT NULL,
        actor varchar(100) NOT NULL,
        reason text,
        before jsonb,
        after jsonb,
        at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX ix_user_account_event_user ON user_account_event (user_id, id)`);
    await q.query(`
      CREATE TABLE auth_session (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES user_account (id),
        created_at timestamptz NOT NULL,
        last_used_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        revoked_reason varchar(48),
        ip varchar(64),
        user_agent varchar(300)
      )`);
    await q.query(`CREATE INDEX ix_auth_session_user ON auth_session (user_id) WHERE revoked_at IS NULL`);
    await q.query(`
      CREATE TABLE auth_refresh_token (
        id uuid PRIMARY KEY,
        session_id uuid NOT NULL REFERENCES auth_session (id) ON DELETE CASCADE,
        token_hash varchar(64) NOT NULL,
        created_at timestamptz NOT NULL,
        used_at timestamptz
      )`);
    await q.query(`CREATE INDEX ix_auth_refresh_token_session ON auth_refresh_token (session_id)`);
    await q.query(`
      CREATE TABLE auth_signing_key (
        id varchar(32) PRIMARY KEY,
        secret varchar(200) NOT NULL,
        created_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE personal_data_access (
        id bigserial PRIMARY KEY,
        message_id uuid NOT NULL,
        actor varchar(100) NOT NULL,
        organization_id varchar(64),
        purpose varchar(48) NOT NULL,
        fields text[] NOT NULL,
        at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX ix_personal_data_access_message ON personal_data_access (message_id, id)`);
    await q.query(`CREATE INDEX ix_personal_data_access_actor ON personal_data_access (actor, at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE personal_data_access`);
    await q.query(`DROP TABLE auth_signing_key`);
    await q.query(`DROP TABLE auth_refresh_token`);
    await q.query(`DROP TABLE auth_session`);
    await q.query(`DROP TABLE user_account_event`);
    await q.query(`DROP TABLE user_account`);
  }
}
