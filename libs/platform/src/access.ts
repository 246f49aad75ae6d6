import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import type { Role } from '@cur/domain';
import { DomainException, ErrorCode } from './errors';

/** The signed-in user a request acts for, as the access token states it. */
export interface Principal {
  userId: string;
  login: string;
  name: string;
  roles: readonly Role[];
  organizationId: string | null;
  sessionId: string;
}

export type AuthenticatedRequest = Request & { principal?: Principal };

export function hasRole(principal: Principal, ...roles: Role[]): boolean {
  return principal.roles.some((r) => roles.includes(r));
}

/**
 * What a route requires. Every route declares one (the guard refuses a route that does not, and
 * the boot check stops a service that has one), so access is never granted by omission.
 */
export type AccessRule = { kind: 'public' } | { kind: 'api-key'; source: ApiKeySource } | { kind: 'signed-in' } | { kind: 'roles'; roles: readonly Role[] };

/**
 * Where an API-key route finds the source its key must allow: a field of the JSON body
 * (`{ field: 'source' }`), that field of every item of an array of the body (`{ field: 'source',
 * each: 'messages' }`), or one fixed source for the whole route (`{ fixed: 'pos-export' }`).
 */
export type ApiKeySource = { field: string; each?: string } | { fixed: string };

export const ACCESS = 'cur:access';

/** Anyone: health, the console page, sign-in. */
export const Public = () => SetMetadata(ACCESS, { kind: 'public' } satisfies AccessRule);

/**
 * A source system with its X-Api-Key, no sign-in. The whole rule is here and the global guard
 * enforces it: the key must be known and must allow the source named by `source` (see
 * ApiKeySource), so a route cannot be left open by forgetting a guard or a check in the handler.
 */
export const ApiKeyAccess = (source: ApiKeySource) => SetMetadata(ACCESS, { kind: 'api-key', source } satisfies AccessRule);

/** Any signed-in user. */
export const SignedIn = () => SetMetadata(ACCESS, { kind: 'signed-in' } satisfies AccessRule);

/** A signed-in user holding one of these roles. */
export const Roles = (...roles: Role[]) => SetMetadata(ACCESS, { kind: 'roles', roles } satisfies AccessRule);

/** The signed-in user of the request (the guard has put it there). */
export const CurrentUser = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new DomainException(ErrorCode.Unauthorized, 'Требуется вход в систему');
  return principal;
});

/** Who performs a state change, for the history: the signed-in user's login. */
export const Actor = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new DomainException(ErrorCode.Unauthorized, 'Требуется вход в систему');
  return principal.login;
});
