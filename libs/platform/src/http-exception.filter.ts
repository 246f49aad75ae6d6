import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { errorForLog } from './error-log';
import { DomainException, ErrorCode } from './errors';

/**
 * One error shape for every HTTP failure: `{ statusCode, code, message, errors? }`. Unknown errors
 * become 500 without internals, logged with the route (its pattern, not the URL the caller wrote)
 * and, for a database error, without its message; body-parser failures (malformed JSON, oversized
 * or too deeply nested body) stay 4xx.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const { status, body } = this.describe(exception);
    if (status >= 500) {
      const request = http.getRequest<Request>();
      const route = `${request.method} ${(request.route as { path?: string } | undefined)?.path ?? '(no route)'}`;
      this.logger.error(`${route}: ${errorForLog(exception)}`);
    }
    response.status(status).json({ statusCode: status, ...body });
  }

  private describe(exception: unknown): { status: number; body: Record<string, unknown> } {
    if (exception instanceof DomainException) {
      return { status: exception.status, body: { code: exception.code, message: exception.message, errors: exception.errors } };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const payload = exception.getResponse();
      const message: unknown = typeof payload === 'string' ? payload : ((payload as { message?: unknown }).message ?? exception.message);
      return { status, body: { code: codeFor(status), message: Array.isArray(message) ? message.join('; ') : String(message) } };
    }
    // Errors thrown by body-parser carry their status (400 malformed JSON or nested too deep, 413 too large).
    const status = (exception as { status?: unknown; type?: unknown })?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const type = (exception as { type?: string }).type;
      const message =
        type === 'entity.parse.failed'
          ? 'Тело запроса не является корректным JSON'
          : type === 'entity.too.large'
            ? 'Тело запроса слишком велико'
            : (exception as Error).message;
      return { status, body: { code: codeFor(status), message } };
    }
    return { status: HttpStatus.INTERNAL_SERVER_ERROR, body: { code: 'INTERNAL', message: 'Внутренняя ошибка' } };
  }
}

function codeFor(status: number): string {
  if (status === 400) return ErrorCode.ValidationFailed;
  if (status === 404) return ErrorCode.NotFound;
  if (status === 413) return ErrorCode.PayloadTooLarge;
  if (status === 401) return ErrorCode.Unauthorized;
  if (status === 403) return ErrorCode.Forbidden;
  if (status === 429) return ErrorCode.TooManyRequests;
  return HttpStatus[status] ?? 'ERROR';
}
