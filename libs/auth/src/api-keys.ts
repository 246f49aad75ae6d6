import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { Environment } from '@cur/config';
import { ApiKeySource, DomainException, ErrorCode } from '@cur/platform';

export const API_KEY_HEADER = 'x-api-key';

/**
 * The per-source API keys (`CUR_INTAKE_API_KEYS`): a key lists the sources it may submit for
 * (`*` = any). Called by the global AccessGuard for every route declaring `@ApiKeyAccess`.
 */
@Injectable()
export class ApiKeys {
  private readonly keys: Map<string, Set<string>>;

  constructor(env: Environment) {
    this.keys = env.intakeKeys;
  }

  /** 401 without a key or with an unknown one; 403 naming the field when the key does not allow the source. */
  check(request: Request, from: ApiKeySource): void {
    const key = request.header(API_KEY_HEADER);
    if (!key) throw new DomainException(ErrorCode.ApiKeyMissing, 'Нужен заголовок X-Api-Key');
    const sources = this.keys.get(key);
    if (!sources) throw new DomainException(ErrorCode.ApiKeyInvalid, 'Неизвестный ключ X-Api-Key');
    if (sources.has('*')) return; // any source: the body's own validation names a missing one
    const field = 'field' in from ? from.field : 'source';
    const source = 'fixed' in from ? from.fixed : (request.body as Record<string, unknown> | undefined)?.[from.field];
    if (typeof source !== 'string' || source === '') {
      // Guards run before validation: a key limited to some sources cannot be checked without one.
      throw new DomainException(ErrorCode.ValidationFailed, `Не указан источник: поле ${field}`, [{ field, message: `${field} must name the source this API key submits for` }]);
    }
    if (!sources.has(source)) {
      throw new DomainException(ErrorCode.SourceNotAllowed, `Ключ не разрешает источник «${source}»`, [{ field, message: `source "${source}" is not allowed for this API key` }]);
    }
  }
}
