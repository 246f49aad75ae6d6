import { createParamDecorator, ExecutionContext, ParseUUIDPipe } from '@nestjs/common';
import type { Request } from 'express';
import { DomainException, ErrorCode } from './errors';

const ACTOR = /^[\p{L}\p{N}._:@-]{1,100}$/u;

/**
 * Who performs a state change, from the `X-Actor` header (e.g. `operator:ivanova`). Required:
 * every change is recorded with who made it. Sign-in and roles (a later issue) will supply it
 * from the session instead.
 */
export const Actor = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const value = context.switchToHttp().getRequest<Request>().header('x-actor')?.trim();
  if (!value) {
    throw new DomainException(ErrorCode.ValidationFailed, 'Не указано, кто выполняет действие', [
      { field: 'X-Actor', message: 'заголовок X-Actor обязателен (например, operator:ivanova)' },
    ]);
  }
  if (!ACTOR.test(value)) {
    throw new DomainException(ErrorCode.ValidationFailed, 'Некорректный X-Actor', [
      { field: 'X-Actor', message: 'до 100 символов: буквы, цифры и . _ : @ -' },
    ]);
  }
  return value;
});

/** `:id` path parameters: a UUID, or a 400 naming the field. */
export const UUID_PARAM = new ParseUUIDPipe({
  exceptionFactory: () => new DomainException(ErrorCode.ValidationFailed, 'Некорректный id', [{ field: 'id', message: 'id must be a UUID' }]),
});
