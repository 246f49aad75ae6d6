/** Who does what. A user holds one or more roles; agency roles are tied to an organization. */
export const ROLES = ['operator', 'executor', 'head', 'supervisor', 'organizer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_TITLES: Record<Role, string> = {
  operator: 'Оператор ЦУР',
  executor: 'Исполнитель',
  head: 'Руководитель',
  supervisor: 'Контролёр',
  organizer: 'Организатор обсуждений',
  admin: 'Администратор',
};

/** Roles that work inside one organization and see only its messages (and its subordinates'). */
export const AGENCY_ROLES: readonly Role[] = ['executor', 'head'];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/**
 * Roles that read applicants' personal data unmasked (see MessageAccess.seesPersonalData in
 * libs/auth: operators on every message, executors and heads on their organization's). Granting
 * one is announced to supervisors, and the admin role is never held together with one: whoever
 * manages the accounts must not also read what they protect.
 */
export const PERSONAL_DATA_ROLES: readonly Role[] = ['operator', 'executor', 'head'];
