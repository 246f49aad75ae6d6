import { Injectable } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { Counter, Histogram, Registry } from 'prom-client';
import { LATENCY_BUCKETS } from './metrics';

/** The route label of a request no route answered (404s, body-parser refusals, mounted static middleware). */
export const UNMATCHED_ROUTE = 'unmatched';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * The route pattern a request matched (`/api/v1/messages/:id`), never its URL: ids and query
 * strings would make a series per message and could carry what a caller typed.
 */
export function routeLabel(request: Pick<Request, 'route'>): string {
  const path = (request.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? path : UNMATCHED_ROUTE;
}

/** The method as a label: the seven HTTP methods, anything else `OTHER` (a client chooses it). */
export function methodLabel(method: string): string {
  return METHODS.has(method) ? method : 'OTHER';
}

/** Requests and their durations by method, route pattern and status; GET /metrics itself is left out. */
@Injectable()
export class HttpMetrics {
  private readonly requests: Counter<'method' | 'route' | 'status'>;
  private readonly duration: Histogram<'method' | 'route'>;

  constructor(registry: Registry) {
    this.requests = new Counter({
      name: 'cur_http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status.',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'cur_http_request_duration_seconds',
      help: 'Seconds from a request reaching the service to its answer being sent, by method and route pattern.',
      labelNames: ['method', 'route'],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    });
  }

  /** Express middleware, mounted before the routes: the route is known once the answer is sent. */
  readonly middleware = (request: Request, response: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    response.once('finish', () => {
      const route = routeLabel(request);
      if (route === '/metrics') return;
      const method = methodLabel(request.method);
      this.requests.inc({ method, route, status: String(response.statusCode) });
      this.duration.observe({ method, route }, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };
}
