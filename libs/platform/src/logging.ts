import { ConsoleLogger, LoggerService, LogLevel } from '@nestjs/common';
import { correlationId } from './correlation';

/**
 * One JSON object per line in production; Nest's colored lines in development. A line written
 * while a message's work runs carries its correlation id (`correlationId` in JSON).
 */
export function createLogger(format: 'json' | 'pretty', service: string): LoggerService {
  const levels: LogLevel[] = ['log', 'error', 'warn', 'fatal'];
  return format === 'json'
    ? new CorrelatedLogger(service, { json: true, logLevels: levels })
    : new CorrelatedLogger(service, { logLevels: levels, prefix: `cur-${service}` });
}

class CorrelatedLogger extends ConsoleLogger {
  protected override getJsonLogObject(
    message: unknown,
    options: { context: string; logLevel: LogLevel; writeStreamType?: 'stdout' | 'stderr'; errorStack?: unknown },
  ) {
    const object = super.getJsonLogObject(message, options);
    const id = correlationId();
    return id ? { ...object, correlationId: id } : object;
  }

  protected override formatContext(context: string): string {
    const id = correlationId();
    return super.formatContext(id ? `${context} ${id}` : context);
  }
}
