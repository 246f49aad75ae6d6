import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { Environment } from '@cur/config';
import { ApiKeySource, DomainException, ErrorCode } from '@cur/platform';

export const API_KEY_HEADER = 'x-api-key';

const WINDOW_MS = 60_000;

/**
 * The per-source API keys (`CUR_INTAKE_API_KEYS`): a key lists the sources it may submit for
 * (`*` = any). Called by the global AccessGuard for every route declaring `@ApiKeyAccess`.
 *
 * Wrong keys are limited as wrong passwords are: after `CUR_LOGIN_RATE_LIMIT` unknown keys from
 * one address within a minute, every keyed request from that address is 429 until the minute has
 * passed — a right key too, or the 429 itself would tell a guesser which keys are wrong. Right keys
 * never count, so a source sending with its own key is never slowed.
 */
@Injectable()
export class ApiKeys {
  private readonly keys: Map<string, Set<string>>;
  private readonly wrongKeys: RecentFailures;

  constructor(env: Environment) {
    this.keys = env.intakeKeys;
    this.wrongKeys = new RecentFailures(env.CUR_LOGIN_RATE_LIMIT, WINDOW_MS);
  }

  /** 401 without a key or with an unknown one; 429 after too many unknown ones; 403 naming the field when the key does not allow the source. */
  check(request: Request, from: ApiKeySource): void {
    const key = request.header(API_KEY_HEADER);
    if (!key) throw new DomainException(ErrorCode.ApiKeyMissing, 'Нужен заголовок X-Api-Key');
    const address = request.ip ?? 'unknown';
    const now = Date.now(); // a wall-clock window, as the sign-in throttler's (not the business clock)
    if (this.wrongKeys.exhausted(address, now)) {
      throw new DomainException(ErrorCode.TooManyRequests, 'Слишком много запросов с неверным ключом X-Api-Key с этого адреса; повторите через минуту');
    }
    const sources = this.keys.get(key);
    if (!sources) {
      this.wrongKeys.add(address, now);
      throw new DomainException(ErrorCode.ApiKeyInvalid, 'Неизвестный ключ X-Api-Key');
    }
    if (sources.has('*')) return; // any source: the body's own validation names a missing one
    if ('fixed' in from) return this.allow(sources, from.fixed, 'source');
    const body = request.body as Record<string, unknown> | undefined;
    if (!from.each) return this.allow(sources, body?.[from.field], from.field);
    const items = body?.[from.each];
    // Not an array: the body's validation names it; no item, no source to refuse.
    if (!Array.isArray(items)) return;
    items.forEach((item, i) =>
      this.allow(
        sources,
        typeof item === 'object' && item !== null ? (item as Record<string, unknown>)[from.field] : undefined,
        `${from.each}[${i}].${from.field}`,
      ),
    );
  }

  private allow(sources: Set<string>, source: unknown, field: string): void {
    if (typeof source !== 'string' || source === '') {
      // Guards run before validation: a key limited to some sources cannot be checked without one.
      throw new DomainException(ErrorCode.ValidationFailed, `Не указан источник: поле ${field}`, [
        { field, message: `Поле «${field}»: укажите источник, от имени которого отправляет этот API-ключ` },
      ]);
    }
    if (!sources.has(source)) {
      throw new DomainException(ErrorCode.SourceNotAllowed, `Ключ не разрешает источник «${source}»`, [
        { field, message: `Поле «${field}»: источник «${source}» не разрешён для этого API-ключа` },
      ]);
    }
  }
}

/** Failures per address within a sliding window, in memory (per process, as the sign-in throttler's). */
class RecentFailures {
  private readonly byAddress = new Map<string, number[]>();
  private lastSweep = 0;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  exhausted(address: string, now: number): boolean {
    return this.recent(address, now).length >= this.limit;
  }

  add(address: string, now: number): void {
    this.byAddress.set(address, [...this.recent(address, now), now]);
    // Many addresses (a spray): forget the ones whose failures have aged out, at most once a second.
    if (this.byAddress.size > 10_000 && now - this.lastSweep > 1000) {
      this.lastSweep = now;
      for (const other of [...this.byAddress.keys()]) this.recent(other, now);
    }
  }

  private recent(address: string, now: number): number[] {
    const times = (this.byAddress.get(address) ?? []).filter((t) => t > now - this.windowMs);
    if (times.length) this.byAddress.set(address, times);
    else this.byAddress.delete(address);
    return times;
  }
}
