import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { RegionCatalog } from '@cur/config';
import { AGENCY_ROLES, PERSONAL_DATA_ROLES, Role, ROLE_TITLES } from '@cur/domain';
import type { UserDetail, UserView } from '@cur/contracts';
import { AuthRepository, UserEntity } from '@cur/persistence';
import { Clock, DomainException, ErrorCode, FieldError, Principal } from '@cur/platform';
import { hashPassword, passwordProblem } from './passwords';

export interface NewUser {
  login: string;
  displayName: string;
  roles: Role[];
  organizationId?: string | null;
  password: string;
  /** Why the account is created; required when it gets a role that reads personal data. */
  reason?: string;
}

export interface UserChanges {
  displayName?: string;
  roles?: Role[];
  organizationId?: string | null;
  active?: boolean;
  reason: string;
}

export type { UserView } from '@cur/contracts';

/**
 * What a set of roles needs: agency roles belong to one known organization, and the admin role is
 * never held with a role that reads personal data (an admin could otherwise read what it guards).
 */
export function userProblems(region: RegionCatalog, roles: readonly Role[], organizationId: string | null | undefined): FieldError[] {
  const errors: FieldError[] = [];
  if (roles.includes('admin') && roles.some((r) => PERSONAL_DATA_ROLES.includes(r))) {
    errors.push({
      field: 'roles',
      message: `Роли: администратор не может одновременно иметь роль с доступом к персональным данным (${PERSONAL_DATA_ROLES.map((r) => ROLE_TITLES[r]).join(', ')})`,
    });
  }
  if (organizationId && !region.organization(organizationId))
    errors.push({ field: 'organizationId', message: `Организация: нет организации «${organizationId}»` });
  if (roles.some((r) => AGENCY_ROLES.includes(r)) && !organizationId) {
    errors.push({ field: 'organizationId', message: 'Организация: исполнитель и руководитель работают в организации — укажите её' });
  }
  return errors;
}

/**
 * Writes a new user with its creation event; the login must be free (any case). Used by the
 * admin API, the `users` CLI and the embedded demo seeding.
 */
export async function provisionUser(repository: AuthRepository, input: NewUser & { demo?: boolean }, actor: string, now: Date): Promise<UserEntity | null> {
  const passwordHash = await hashPassword(input.password); // slow on purpose: before the transaction
  const user: UserEntity = {
    id: randomUUID(),
    login: input.login,
    passwordHash,
    displayName: input.displayName,
    roles: [...new Set(input.roles)],
    organizationId: input.organizationId ?? null,
    demo: input.demo ?? false,
    active: true,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  return repository.transaction(async (manager) => {
    if (!(await repository.insertUser(manager, user))) return null;
    const reason = input.reason ?? (input.demo ? 'Демо-пользователь встроенного режима' : null);
    await repository.addUserEvent(manager, {
      userId: user.id,
      type: 'created',
      actor,
      reason,
      before: null,
      after: snapshot(user),
      grantedRoles: user.roles,
      at: now,
    });
    return user;
  });
}

/** Roles of `roles` that read personal data, for the 'why' rule and the announcement. */
export function personalDataRoles(roles: readonly string[]): Role[] {
  return PERSONAL_DATA_ROLES.filter((r) => roles.includes(r));
}

function sameRoles(a: readonly string[], b: readonly string[]): boolean {
  return String([...new Set(a)].sort()) === String([...new Set(b)].sort());
}

function snapshot(user: UserEntity): Record<string, unknown> {
  return { login: user.login, displayName: user.displayName, roles: user.roles, organizationId: user.organizationId, active: user.active };
}

/** User accounts for admins: create, change roles or organization, disable, reset a password. */
@Injectable()
export class UsersService {
  constructor(
    private readonly repository: AuthRepository,
    private readonly region: RegionCatalog,
    private readonly clock: Clock,
  ) {}

  async list(): Promise<UserView[]> {
    return (await this.repository.listUsers()).map((u) => this.view(u));
  }

  async get(id: string): Promise<UserDetail> {
    const user = await this.repository.findUser(id);
    if (!user) throw new DomainException(ErrorCode.NotFound, 'Пользователь не найден');
    const events = await this.repository.userEvents(id);
    return {
      ...this.view(user),
      history: events.map((e) => ({
        at: e.at.toISOString(),
        type: e.type,
        actor: e.actor,
        reason: e.reason,
        before: e.before,
        after: e.after,
        grantedRoles: e.grantedRoles,
      })),
    };
  }

  async create(input: NewUser, actor: string): Promise<UserView> {
    const errors = userProblems(this.region, input.roles, input.organizationId);
    const weak = passwordProblem(input.password, input.login);
    if (weak) errors.push({ field: 'password', message: weak });
    if (personalDataRoles(input.roles).length && !input.reason?.trim()) {
      errors.push({
        field: 'reason',
        message: `Причина: обязательна при выдаче роли с доступом к персональным данным (${PERSONAL_DATA_ROLES.map((r) => ROLE_TITLES[r]).join(', ')})`,
      });
    }
    if (errors.length) throw new DomainException(ErrorCode.ValidationFailed, 'Пользователь не создан', errors);
    const user = await provisionUser(this.repository, input, actor, this.clock.now());
    if (!user) throw new DomainException(ErrorCode.Conflict, `Логин «${input.login}» уже занят`, [{ field: 'login', message: 'login is taken' }]);
    return this.view(user);
  }

  /** `by` is the admin making the change: it may not change its own roles or organization. */
  async update(id: string, changes: UserChanges, by: Principal): Promise<UserView> {
    const now = this.clock.now();
    const user = await this.repository.transaction(async (manager) => {
      const current = await this.repository.lockUser(manager, id);
      if (!current) throw new DomainException(ErrorCode.NotFound, 'Пользователь не найден');
      if (id === by.userId) {
        // Else an admin grants itself a role that reads personal data; another admin must do it.
        const own: FieldError[] = [];
        if (changes.roles && !sameRoles(changes.roles, current.roles)) own.push({ field: 'roles', message: 'Роли: администратор не может менять свои роли' });
        if (changes.organizationId !== undefined && changes.organizationId !== current.organizationId)
          own.push({ field: 'organizationId', message: 'Организация: администратор не может менять свою организацию' });
        if (own.length) throw new DomainException(ErrorCode.Forbidden, 'Свои роли и организацию меняет другой администратор', own);
      }
      const next: UserEntity = {
        ...current,
        displayName: changes.displayName ?? current.displayName,
        roles: changes.roles ? [...new Set(changes.roles)] : current.roles,
        organizationId: changes.organizationId === undefined ? current.organizationId : changes.organizationId,
        active: changes.active ?? current.active,
        updatedAt: now,
      };
      const errors = userProblems(this.region, next.roles as Role[], next.organizationId);
      if (errors.length) throw new DomainException(ErrorCode.ValidationFailed, 'Изменения не сохранены', errors);
      await this.repository.updateUser(manager, id, {
        displayName: next.displayName,
        roles: next.roles,
        organizationId: next.organizationId,
        active: next.active,
        updatedAt: now,
      });
      // Roles, organization and access are stated in access tokens: end the sessions that carry the old ones.
      if (String(next.roles) !== String(current.roles) || next.organizationId !== current.organizationId || !next.active) {
        await this.repository.revokeSessionsOf(manager, id, now, 'user-changed');
      }
      const granted = next.roles.filter((r) => !current.roles.includes(r));
      await this.repository.addUserEvent(manager, {
        userId: id,
        type: 'updated',
        actor: by.login,
        reason: changes.reason,
        before: snapshot(current),
        after: snapshot(next),
        grantedRoles: granted,
        at: now,
      });
      return next;
    });
    return this.view(user);
  }

  async resetPassword(id: string, password: string, reason: string, actor: string): Promise<void> {
    const now = this.clock.now();
    const user = await this.repository.findUser(id);
    if (!user) throw new DomainException(ErrorCode.NotFound, 'Пользователь не найден');
    const weak = passwordProblem(password, user.login);
    if (weak) throw new DomainException(ErrorCode.ValidationFailed, 'Пароль не подходит', [{ field: 'password', message: weak }]);
    const passwordHash = await hashPassword(password);
    await this.repository.transaction(async (manager) => {
      await this.repository.updateUser(manager, id, { passwordHash, updatedAt: now });
      await this.repository.revokeSessionsOf(manager, id, now, 'password-reset');
      await this.repository.addUserEvent(manager, { userId: id, type: 'password-reset', actor, reason, before: null, after: null, grantedRoles: [], at: now });
    });
  }

  private view(u: UserEntity): UserView {
    const roles = u.roles as Role[];
    return {
      id: u.id,
      login: u.login,
      displayName: u.displayName,
      roles,
      roleTitles: roles.map((r) => ROLE_TITLES[r]),
      organization: this.region.named(u.organizationId),
      active: u.active,
      demo: u.demo,
      createdAt: u.createdAt.toISOString(),
      updatedAt: u.updatedAt.toISOString(),
    };
  }
}
