import { ValidationError, ValidationPipe } from '@nestjs/common';
import { DomainException, ErrorCode, FieldError } from './errors';

/** Flattens nested class-validator errors into `{ field: 'applicant.email', message }`. */
export function fieldErrors(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = /^\d+$/.test(e.property) ? `${prefix}[${e.property}]` : prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message: message.replace(/^property \S+ should not exist$/, `${field} is not allowed`) }));
    return [...own, ...fieldErrors(e.children ?? [], field)];
  });
}

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => new DomainException(ErrorCode.ValidationFailed, 'Некорректные данные запроса', fieldErrors(errors)),
  });
}
