import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The roles each user event granted (after minus before), so the supervisors' notice of roles
 * that read personal data reads a few index rows instead of comparing every event's JSON.
 * Earlier events get theirs computed from their before/after.
 */
export class UserEventGrantedRoles1764939600000 implements MigrationInterface {
  name = 'UserEventGrantedRoles1764939600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE user_account_event ADD COLUMN granted_roles text[] NOT NULL DEFAULT '{}'`);
    await q.query(`
      UPDATE user_account_event SET granted_roles = ARRAY(
        SELECT jsonb_array_elements_text(after->'roles')
        EXCEPT
        SELECT jsonb_array_elements_text(COALESCE(before->'roles', '[]'::jsonb))
      )
      WHERE jsonb_typeof(after->'roles') = 'array'`);
    // Only events that granted something: few rows, read by time.
    await q.query(`CREATE INDEX ix_user_account_event_grants ON user_account_event (at) WHERE cardinality(granted_roles) > 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_user_account_event_grants`);
    await q.query(`ALTER TABLE user_account_event DROP COLUMN granted_roles`);
  }
}
