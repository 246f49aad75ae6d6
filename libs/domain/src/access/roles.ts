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
