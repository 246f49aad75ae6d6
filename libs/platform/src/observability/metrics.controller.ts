import { createHash, timingSafeEqual } from 'node:crypto';
import { CanActivate, Controller, ExecutionContext, Get, Header, Inject, Injectable, UseGuards } from '@nestjs/common';
import type { Request } from 'express';
import { Registry } from 'prom-client';
import { Public } from '../access';
import { DomainException, ErrorCode } from '../errors';

/** CUR_METRICS_TOKEN, or undefined: the token GET /metrics requires when set. */
export const METRICS_TOKEN = Symbol('METRICS_TOKEN');

/**
 * Whether an Authorization header carries `Bearer <token>`. Compared in constant time, and on
 * digests, so neither the position of a first wrong character nor the token's length shows in
 * the time the answer takes.
 */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const given = header?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (given === undefined) return false;
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(token));
}

/** Open unless CUR_METRICS_TOKEN is set; then only with `Authorization: Bearer <that token>` (401 otherwise). */
@Injectable()
export class MetricsTokenGuard implements CanActivate {
  constructor(@Inject(METRICS_TOKEN) private readonly token: string | undefined) {}

  canActivate(context: ExecutionContext): boolean {
    if (this.token === undefined) return true;
    if (bearerMatches(context.switchToHttp().getRequest<Request>().header('authorization'), this.token)) return true;
    throw new DomainException(ErrorCode.Unauthorized, 'Метрики отдаются по токену: заголовок Authorization: Bearer <CUR_METRICS_TOKEN>');
  }
}

@Controller()
export class MetricsController {
  constructor(private readonly registry: Registry) {}

  /**
   * This service's metrics in Prometheus's text format, for Prometheus to scrape. Public for the
   * access table (a scraper has no user); CUR_METRICS_TOKEN, when set, closes it to all but the
   * bearer of that token. Labels hold no personal data.
   */
  @Get('metrics')
  @Public()
  @UseGuards(MetricsTokenGuard)
  @Header('Content-Type', Registry.PROMETHEUS_CONTENT_TYPE)
  @Header('Cache-Control', 'no-store')
  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}
