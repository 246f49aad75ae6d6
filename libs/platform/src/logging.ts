import { ConsoleLogger, LoggerService, LogLevel } from '@nestjs/common';

/** One JSON object per line in production; Nest's colored lines in development. */
export function createLogger(format: 'json' | 'pretty', service: string): LoggerService {
  const levels: LogLevel[] = ['log', 'error', 'warn', 'fatal'];
  return format === 'json'
    ? new ConsoleLogger(service, { json: true, logLevels: levels })
    : new ConsoleLogger(service, { logLevels: levels, prefix: `cur-${service}` });
}
