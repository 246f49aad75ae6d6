import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

/**
 * The correlation id of one message's path: given by intake to the request that brought the
 * message in, carried in the Kafka headers of every event that follows from it, and printed in
 * every log line written while that work runs. A random id: never anything a person typed.
 */
export const CORRELATION_HEADER = 'x-correlation-id';

const storage = new AsyncLocalStorage<string>();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The correlation id of the work in progress, if any. */
export function correlationId(): string | undefined {
  return storage.getStore();
}

/** Runs `work` (and everything it awaits) under a correlation id; without one, as it is. */
export function withCorrelation<T>(id: string | undefined, work: () => T): T {
  return id ? storage.run(id, work) : work();
}

/** The Kafka headers that carry a correlation id (the current one by default). */
export function correlationHeaders(id: string | undefined = correlationId()): Record<string, string> | undefined {
  return id ? { [CORRELATION_HEADER]: id } : undefined;
}

/** The correlation id among a record's headers, when it is one (a UUID: anything else could be personal data). */
export function correlationIn(headers: Readonly<Record<string, string>>): string | null {
  const id = headers[CORRELATION_HEADER];
  return id !== undefined && UUID.test(id) ? id : null;
}

/** A caller's own id is kept only when it is a UUID (anything else could be personal data); otherwise a new one. */
export function acceptCorrelationId(given: unknown): string {
  return typeof given === 'string' && UUID.test(given) ? given.toLowerCase() : randomUUID();
}

/** Every HTTP request runs under a correlation id, returned in the `X-Correlation-Id` response header. */
export function correlationMiddleware() {
  return (request: Request, response: Response, next: NextFunction): void => {
    const id = acceptCorrelationId(request.headers[CORRELATION_HEADER]);
    response.setHeader('X-Correlation-Id', id);
    storage.run(id, next);
  };
}
