import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { Environment } from '@cur/config';
import { DomainException, ErrorCode } from '@cur/platform';

export const API_KEY_HEADER = 'x-api-key';

/**
 * Per-source API keys for intake: a key lists the sources it may submit for (`*` = any).
 * The source is checked against the body's `source`, or `pos-export` for imports.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly keys: Map<string, Set<string>>;

  constructor(env: Environment) {
    this.keys = env.intakeKeys;
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request & { intakeSources?: Set<string> }>();
    const key = request.header(API_KEY_HEADER);
    if (!key) throw new DomainException(ErrorCode.ApiKeyMissing, 'Нужен заголовок X-Api-Key');
    const sources = this.keys.get(key);
    if (!sources) throw new DomainException(ErrorCode.ApiKeyInvalid, 'Неизвестный ключ X-Api-Key');
    request.intakeSources = sources;
    return true;
  }
}

export function assertSourceAllowed(sources: Set<string> | undefined, source: string): void {
  if (!sources || (!sources.has('*') && !sources.has(source))) {
    throw new DomainException(ErrorCode.SourceNotAllowed, `Ключ не разрешает источник «${source}»`, [
      { field: 'source', message: `source "${source}" is not allowed for this API key` },
    ]);
  }
}
