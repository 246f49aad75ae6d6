import { Injectable, OnApplicationBootstrap, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { Role } from '@cur/domain';
import { ACCESS, AccessRule, Principal } from '@cur/platform';

export interface RouteAccess {
  method: string;
  path: string;
  access: AccessRule | null;
}

/** A route with its controller method, for tools that read the handler's metadata (the OpenAPI document). */
export interface RouteHandler extends RouteAccess {
  /** The controller class: route argument metadata is on it, parameter types on its prototype. */
  controller: { prototype: object };
  methodName: string;
}

/**
 * Every HTTP route of this service with its access rule. At boot a route without one stops the
 * service: nothing is reachable by omission. Admins read the table at GET /api/v1/admin/access.
 */
@Injectable()
export class AccessRegistry implements OnApplicationBootstrap {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onApplicationBootstrap(): void {
    const undeclared = this.routes().filter((r) => r.access === null);
    if (undeclared.length) {
      throw new Error(
        `routes without an access rule (@Public, @ApiKeyAccess, @SignedIn or @Roles): ${undeclared.map((r) => `${r.method} ${r.path}`).join(', ')}`,
      );
    }
  }

  /**
   * The routes behind a role rule that this user's roles pass, as `METHOD /path`: the console shows
   * an action only where the server would take it, without a copy of the rules.
   */
  permitted(principal: Principal): string[] {
    this.byRole ??= this.routes().flatMap((r) => (r.access?.kind === 'roles' ? [{ key: `${r.method} ${r.path}`, roles: r.access.roles }] : []));
    return this.byRole.filter((r) => r.roles.some((role) => principal.roles.includes(role))).map((r) => r.key);
  }

  private byRole?: { key: string; roles: readonly Role[] }[];

  routes(): RouteAccess[] {
    return this.handlers().map(({ method, path, access }) => ({ method, path, access }));
  }

  handlers(): RouteHandler[] {
    const routes: RouteHandler[] = [];
    for (const wrapper of this.discovery.getControllers()) {
      // Nest types the controller instance as any: read it as unknown; its prototype holds the handlers.
      const instance: unknown = wrapper.instance;
      const { metatype } = wrapper;
      if (!instance || !metatype) continue;
      const base = normalize(this.reflector.get<string | string[]>(PATH_METADATA, metatype));
      const prototype = Object.getPrototypeOf(instance) as Record<string, unknown>;
      for (const name of this.scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name];
        if (typeof handler !== 'function') continue; // getAllMethodNames lists methods only
        const method = this.reflector.get<RequestMethod | undefined>(METHOD_METADATA, handler);
        const path = this.reflector.get<string | string[] | undefined>(PATH_METADATA, handler);
        if (method === undefined || path === undefined) continue; // not an HTTP route (e.g. an @EventPattern)
        const access = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS, [handler, metatype]) ?? null;
        // A handler may answer at several paths (the console's page at each view's address): each is a route.
        for (const one of Array.isArray(path) ? path : [path])
          routes.push({ method: RequestMethod[method], path: join(base, normalize(one)), access, controller: metatype, methodName: name });
      }
    }
    return routes.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
  }
}

/** The path as clients write it: no edge slashes, and a literal colon unescaped (`messages\:batch` is `messages:batch`). */
function normalize(path: string | string[] | undefined): string {
  const p = Array.isArray(path) ? path[0] : (path ?? '');
  return p.replace(/^\/+|\/+$/g, '').replace(/\\:/g, ':');
}

function join(base: string, path: string): string {
  return '/' + [base, path].filter(Boolean).join('/');
}
