import { EventEmitter } from 'node:events';
import type { NextFunction, Request, Response } from 'express';
import { Registry } from 'prom-client';
import { HttpMetrics, methodLabel, routeLabel, UNMATCHED_ROUTE } from '../http-metrics';
import { createMetricsRegistry, Metrics } from '../metrics';

/** A request answered through the middleware: `route` as Express leaves it once a route matched. */
function answer(http: HttpMetrics, method: string, url: string, route: string | undefined, status: number): void {
  const request = { method, url, route: route === undefined ? undefined : { path: route } } as unknown as Request;
  const response = Object.assign(new EventEmitter(), { statusCode: status }) as unknown as Response;
  http.middleware(request, response, (() => undefined) as NextFunction);
  response.emit('finish');
}

describe('the metrics registry', () => {
  it('is one per application: two of them hold the same instruments without colliding, each labelled with its service', async () => {
    const intake = createMetricsRegistry('intake');
    const triage = createMetricsRegistry('triage');
    new Metrics(intake).intakeMessagesTotal.inc({ channel: 'pos', outcome: 'created' });
    new Metrics(triage).triageDecisionsTotal.inc({ outcome: 'routed' }, 2);

    const intakeText = await intake.metrics();
    expect(intakeText).toContain('cur_intake_messages_total{channel="pos",outcome="created",service="intake"} 1');
    expect(intakeText).not.toContain('cur_triage_decisions_total{');
    expect(await triage.metrics()).toContain('cur_triage_decisions_total{outcome="routed",service="triage"} 2');
    // The process's own figures, prefixed.
    expect(intakeText).toMatch(/^cur_process_cpu_user_seconds_total\{service="intake"\} /m);
    expect(intakeText).toMatch(/^cur_nodejs_eventloop_lag_seconds\{service="intake"\} /m);
  });

  it('buckets batch sizes from 1 to 1,000 and latencies from 1 ms to 30 s', async () => {
    const registry = new Registry();
    const metrics = new Metrics(registry);
    metrics.triageBatchSize.observe(500);
    metrics.triageLatencySeconds.observe(0.0008);
    const text = await registry.metrics();
    expect(text).toContain('cur_triage_batch_size_bucket{le="200"} 0');
    expect(text).toContain('cur_triage_batch_size_bucket{le="500"} 1');
    expect(text).toContain('cur_triage_batch_size_bucket{le="1000"} 1');
    expect(text).toContain('cur_triage_latency_seconds_bucket{le="0.001"} 1');
    expect(text).toContain('cur_triage_latency_seconds_bucket{le="30"} 1');
  });
});

describe('HTTP metrics', () => {
  it('labels a request with the route pattern it matched, never its address', async () => {
    const registry = new Registry();
    const http = new HttpMetrics(registry);
    answer(http, 'GET', '/api/v1/messages/6f1c2a3e-0000-4000-8000-000000000001?x=Иванов', '/api/v1/messages/:id', 200);
    answer(http, 'GET', '/api/v1/messages/6f1c2a3e-0000-4000-8000-000000000002', '/api/v1/messages/:id', 404);
    answer(http, 'GET', '/no/such/page', undefined, 404);
    const text = await registry.metrics();
    expect(text).toContain('cur_http_requests_total{method="GET",route="/api/v1/messages/:id",status="200"} 1');
    expect(text).toContain('cur_http_requests_total{method="GET",route="/api/v1/messages/:id",status="404"} 1');
    expect(text).toContain(`cur_http_requests_total{method="GET",route="${UNMATCHED_ROUTE}",status="404"} 1`);
    expect(text).toContain('cur_http_request_duration_seconds_count{method="GET",route="/api/v1/messages/:id"} 2');
    expect(text).not.toMatch(/6f1c2a3e|Иванов|no\/such/);
  });

  it('leaves GET /metrics itself out', async () => {
    const registry = new Registry();
    const http = new HttpMetrics(registry);
    answer(http, 'GET', '/metrics', '/metrics', 200);
    expect(await registry.metrics()).not.toContain('route="/metrics"');
  });

  it('keeps a method a client made up out of the labels', () => {
    expect(methodLabel('PATCH')).toBe('PATCH');
    expect(methodLabel('BREW')).toBe('OTHER');
    expect(routeLabel({ route: undefined })).toBe(UNMATCHED_ROUTE);
  });
});
