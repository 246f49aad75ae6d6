import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each spent refresh token names the token that replaced it: several tabs of one browser refreshing
 * with the same cookie at once are then given that same successor (within a short grace window)
 * instead of ending the session as a reuse.
 */
export class RefreshTokenSuccessor1765200100000 implements MigrationInterface {
  name = 'RefreshTokenSuccessor1765200100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE auth_refresh_token ADD COLUMN replaced_by uuid`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE auth_refresh_token DROP COLUMN replaced_by`);
  }
}
