import { CanActivate, ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ACCESS, AccessRule, AuthenticatedRequest, DomainException, ErrorCode, hasRole } from '@cur/platform';
import { ApiKeys } from './api-keys';
import { AuthService } from './auth.service';

/**
 * The one gate of every HTTP route: the route's declared rule decides. No declaration = refused
 * (the boot check makes that unreachable). Bearer token → principal on the request; wrong role → 403.
 * An API-key route: the key and the source it must allow, as the route's `@ApiKeyAccess` declares.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly logger = new Logger(AccessGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly apiKeys: ApiKeys,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true; // bus handlers: the broker is inside the perimeter
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS, [context.getHandler(), context.getClass()]);
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (!rule) {
      this.logger.error(`${request.method} ${request.path} declares no access rule: refused`);
      throw new DomainException(ErrorCode.Forbidden, 'Доступ к этому адресу не настроен');
    }
    if (rule.kind === 'public') return true;
    if (rule.kind === 'api-key') {
      this.apiKeys.check(request, rule.source);
      return true;
    }
    const header = request.header('authorization');
    const token = header?.match(/^Bearer\s+(\S+)$/i)?.[1];
    if (!token) throw new DomainException(ErrorCode.Unauthorized, 'Требуется вход в систему: заголовок Authorization: Bearer <accessToken>');
    const principal = await this.auth.authenticate(token);
    request.principal = principal;
    if (rule.kind === 'roles' && !hasRole(principal, ...rule.roles)) {
      throw new DomainException(ErrorCode.Forbidden, 'Недостаточно прав для этого действия');
    }
    return true;
  }
}
