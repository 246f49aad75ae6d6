import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import type { Named, Person } from '@cur/contracts';
import { systemActorName } from '@cur/domain';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { AuthSessionEntity, PersonalDataAccessEntity, RefreshTokenEntity, SigningKeyEntity, UserEntity, UserEventEntity } from '../entities';

/** A user event that granted roles: who (actor) gave which roles to whom (login), when. */
export interface RoleGrantRow {
  eventId: string;
  at: Date;
  actor: string;
  login: string;
  grantedRoles: string[];
}

/** Users, their sessions and refresh tokens, the signing key, and the personal data access log. */
@Injectable()
export class AuthRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  findUserByLogin(login: string, manager: EntityManager = this.dataSource.manager): Promise<UserEntity | null> {
    return manager.getRepository(UserEntity).createQueryBuilder('u').where('lower(u.login) = lower(:login)', { login }).getOne();
  }

  /** Users by their logins (any case), active or not: history names people who have since left. */
  usersByLogins(logins: readonly string[]): Promise<UserEntity[]> {
    if (logins.length === 0) return Promise.resolve([]);
    return this.dataSource
      .getRepository(UserEntity)
      .createQueryBuilder('u')
      .where('lower(u.login) IN (:...logins)', { logins: logins.map((l) => l.toLowerCase()) })
      .getMany();
  }

  /**
   * Names for logins, keyed by the login as written: people from the user table (with their
   * organization, named by `named`), systems from the domain's table; a login nobody holds any
   * more is its own name.
   */
  async people(list: Iterable<string>, named: (organizationId: string | null) => Named | null): Promise<Record<string, Person>> {
    const wanted = [...new Set(list)];
    const people: Record<string, Person> = {};
    const persons = wanted.filter((login) => systemActorName(login) === null);
    const users = new Map((await this.usersByLogins(persons)).map((u) => [u.login.toLowerCase(), u]));
    for (const login of wanted) {
      const system = systemActorName(login);
      if (system !== null) {
        people[login] = { name: system, system: true };
        continue;
      }
      const user = users.get(login.toLowerCase());
      const organization = named(user?.organizationId ?? null);
      people[login] = { name: user?.displayName ?? login, ...(organization ? { organization } : {}), system: false };
    }
    return people;
  }

  /** Active users of an organization holding one of the roles. */
  usersOf(organizationId: string, roles: string[]): Promise<UserEntity[]> {
    return this.dataSource
      .getRepository(UserEntity)
      .createQueryBuilder('u')
      .where('u.organization_id = :organizationId AND u.active AND u.roles && :roles', { organizationId, roles })
      .orderBy('u.display_name')
      .getMany();
  }

  /** Inside a transaction, pass its manager: the embedded database has one session. */
  findUser(id: string, manager: EntityManager = this.dataSource.manager): Promise<UserEntity | null> {
    return manager.findOne(UserEntity, { where: { id } });
  }

  lockUser(manager: EntityManager, id: string): Promise<UserEntity | null> {
    return manager.findOne(UserEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  listUsers(): Promise<UserEntity[]> {
    return this.dataSource.getRepository(UserEntity).find({ order: { login: 'ASC' } });
  }

  /** Inserts the user unless the login is taken (any case); true when inserted. */
  async insertUser(manager: EntityManager, user: UserEntity): Promise<boolean> {
    const result = await manager.query<{ id: string }[]>(
      `INSERT INTO user_account (id, login, password_hash, display_name, roles, organization_id, demo, active, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING RETURNING id`,
      [user.id, user.login, user.passwordHash, user.displayName, user.roles, user.organizationId, user.demo, user.active, user.createdAt, user.updatedAt],
    );
    return result.length === 1;
  }

  async updateUser(manager: EntityManager, id: string, changes: QueryDeepPartialEntity<UserEntity>): Promise<void> {
    await manager.update(UserEntity, { id }, { ...changes, version: () => 'version + 1' });
  }

  async addUserEvent(manager: EntityManager, event: Omit<UserEventEntity, 'id'>): Promise<void> {
    await manager.insert(UserEventEntity, event as QueryDeepPartialEntity<UserEventEntity>);
  }

  userEvents(userId: string): Promise<UserEventEntity[]> {
    return this.dataSource.getRepository(UserEventEntity).find({ where: { userId }, order: { id: 'ASC' } });
  }

  /**
   * Events since an instant that granted one of the roles, last recorded first (at most `limit`), with the
   * login of the user concerned, and how many there are in all. Reads the partial index of grants.
   */
  async roleGrantsSince(since: Date, roles: readonly string[], limit: number): Promise<{ total: number; grants: RoleGrantRow[] }> {
    const rows: { id: string; at: Date; actor: string; login: string; granted_roles: string[]; total: string }[] = await this.dataSource.query(
      `SELECT e.id, e.at, e.actor, u.login, e.granted_roles, count(*) OVER () AS total
         FROM user_account_event e JOIN user_account u ON u.id = e.user_id
        WHERE cardinality(e.granted_roles) > 0 AND e.at >= $1 AND e.granted_roles && $2::text[]
        ORDER BY e.id DESC
        LIMIT $3`,
      [since, roles, limit],
    );
    return {
      total: rows.length ? Number(rows[0].total) : 0,
      grants: rows.map((r) => ({ eventId: String(r.id), at: new Date(r.at), actor: r.actor, login: r.login, grantedRoles: r.granted_roles })),
    };
  }

  async insertSession(manager: EntityManager, session: AuthSessionEntity, token: RefreshTokenEntity): Promise<void> {
    await manager.insert(AuthSessionEntity, session);
    await manager.insert(RefreshTokenEntity, token);
  }

  findSession(id: string): Promise<AuthSessionEntity | null> {
    return this.dataSource.getRepository(AuthSessionEntity).findOne({ where: { id } });
  }

  lockSession(manager: EntityManager, id: string): Promise<AuthSessionEntity | null> {
    return manager.findOne(AuthSessionEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  findToken(manager: EntityManager, id: string): Promise<RefreshTokenEntity | null> {
    return manager.findOne(RefreshTokenEntity, { where: { id } });
  }

  /** Spends a refresh token, naming the one that replaces it; false when it was already spent (by a concurrent request too). */
  async spendToken(manager: EntityManager, id: string, at: Date, replacedBy: string): Promise<boolean> {
    const result = await manager.update(RefreshTokenEntity, { id, usedAt: IsNull() }, { usedAt: at, replacedBy });
    return result.affected === 1;
  }

  async insertToken(manager: EntityManager, token: RefreshTokenEntity): Promise<void> {
    await manager.insert(RefreshTokenEntity, token);
  }

  async touchSession(manager: EntityManager, id: string, at: Date): Promise<void> {
    await manager.update(AuthSessionEntity, { id }, { lastUsedAt: at });
  }

  async revokeSession(manager: EntityManager, id: string, at: Date, reason: string): Promise<void> {
    await manager.update(AuthSessionEntity, { id, revokedAt: IsNull() }, { revokedAt: at, revokedReason: reason });
  }

  async revokeSessionsOf(manager: EntityManager, userId: string, at: Date, reason: string): Promise<void> {
    await manager.update(AuthSessionEntity, { userId, revokedAt: IsNull() }, { revokedAt: at, revokedReason: reason });
  }

  /** The stored signing key, created by whichever service asks first. */
  async signingKey(candidate: string, at: Date): Promise<string> {
    await this.dataSource.query(`INSERT INTO auth_signing_key (id, secret, created_at) VALUES ('access', $1, $2) ON CONFLICT (id) DO NOTHING`, [candidate, at]);
    const row = await this.dataSource.getRepository(SigningKeyEntity).findOneOrFail({ where: { id: 'access' } });
    return row.secret;
  }

  /** One entry per message whose personal data was seen (or, by a search, matched). */
  async recordPersonalDataAccess(entries: Omit<PersonalDataAccessEntity, 'id'> | Omit<PersonalDataAccessEntity, 'id'>[]): Promise<void> {
    if (Array.isArray(entries) && entries.length === 0) return;
    await this.dataSource.getRepository(PersonalDataAccessEntity).insert(entries);
  }

  personalDataAccessOf(messageId: string): Promise<PersonalDataAccessEntity[]> {
    return this.dataSource.getRepository(PersonalDataAccessEntity).find({ where: { messageId }, order: { id: 'ASC' } });
  }
}
