import { ParseUUIDPipe } from '@nestjs/common';
import { DomainException, ErrorCode } from './errors';

/** `:id` path parameters: a UUID, or a 400 naming the field. */
export const UUID_PARAM = new ParseUUIDPipe({
  exceptionFactory: () =>
    new DomainException(ErrorCode.ValidationFailed, 'Некорректный id', [{ field: 'id', message: 'Поле «id»: должно быть идентификатором (UUID)' }]),
});
