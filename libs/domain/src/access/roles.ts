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

/**
 * The console's views, in the order of its menu, and who opens each. The API's access table still
 * decides every request a view makes; this only spares a user a view that would answer 403.
 */
export const CONSOLE_VIEWS = {
  queue: ['operator'],
  inbox: ['executor', 'head'],
  all: ['operator', 'supervisor'],
  control: ['supervisor', 'operator', 'head'],
  monitoring: ['supervisor', 'head'],
  reports: ['supervisor', 'head'],
  discipline: ['supervisor'],
  imports: ['operator', 'supervisor'],
  classifier: ['admin', 'supervisor', 'operator'],
  users: ['admin'],
  routes: ['admin'],
  templates: ['admin'],
  deadletters: ['admin'],
  organizer: ['organizer', 'supervisor'],
} as const satisfies Record<string, readonly Role[]>;
export type ConsoleView = keyof typeof CONSOLE_VIEWS;

export function consoleViews(roles: readonly Role[]): ConsoleView[] {
  return (Object.keys(CONSOLE_VIEWS) as ConsoleView[]).filter((v) => (CONSOLE_VIEWS[v] as readonly Role[]).some((r) => roles.includes(r)));
}
