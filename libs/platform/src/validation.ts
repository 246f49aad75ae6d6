import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { registerDecorator, ValidationOptions } from 'class-validator';
import { parseInstant } from '@cur/calendar';
import { DomainException, ErrorCode, FieldError } from './errors';
import { unsafeTextErrors } from './input-safety';
import { russianErrors } from './validation-messages';

/**
 * Flattens nested class-validator errors into `{ field: 'applicant.email', message }`: the field is
 * the input's path (the client puts the message next to it), the message Russian and naming it.
 */
export function fieldErrors(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = /^\d+$/.test(e.property) ? `${prefix}[${e.property}]` : prefix ? `${prefix}.${e.property}` : e.property;
    return [...russianErrors(e, field), ...fieldErrors(e.children ?? [], field)];
  });
}

/**
 * The global pipe: before the DTO rules, every body, query and path parameter is refused if it
 * holds text the database cannot store (NUL, an unpaired surrogate), naming the field; so no route
 * needs its own rule for it and a new route cannot forget it.
 */
class RequestValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' || metadata.type === 'query' || metadata.type === 'param') {
      const errors = unsafeTextErrors(value, metadata.data ?? '');
      if (errors.length) throw new DomainException(ErrorCode.ValidationFailed, 'Некорректные данные запроса', errors);
    }
    return super.transform(value, metadata);
  }
}

export function createValidationPipe(): ValidationPipe {
  return new RequestValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    // The object an error was found in: its rules' arguments (@Max(200)) go into the Russian message.
    validationError: { target: true },
    exceptionFactory: (errors) => new DomainException(ErrorCode.ValidationFailed, 'Некорректные данные запроса', fieldErrors(errors)),
  });
}

/**
 * Items of a batch checked one by one with the global pipe's rules (unknown fields refused),
 * each error named by its path (`messages[3].text`): the valid ones as instances, in order (or as
 * given, when `plainlyValid` vouches for them).
 */
export function validateEach<T extends object>(
  cls: new () => T,
  items: readonly unknown[],
  path: string,
  /** A quicker check that returns the item when it is plainly valid, undefined to leave it to the decorators. */
  plainlyValid?: (item: unknown) => T | undefined,
): { index: number; value?: T; errors?: FieldError[] }[] {
  return items.map((item, index) => {
    const plain = plainlyValid?.(item);
    if (plain) return { index, value: plain };
    const value = plainToInstance(cls, item);
    const errors = validateSync(value, { whitelist: true, forbidNonWhitelisted: true, validationError: { target: true } });
    return errors.length ? { index, errors: fieldErrors(errors, `${path}[${index}]`) } : { index, value };
  });
}

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar date YYYY-MM-DD that exists (no 30 February). */
export function IsLocalDate(options?: ValidationOptions): PropertyDecorator {
  return (target, property) =>
    registerDecorator({
      name: 'isLocalDate',
      target: target.constructor,
      propertyName: String(property),
      options: options ?? {},
      validator: {
        validate(value: unknown) {
          const match = typeof value === 'string' ? LOCAL_DATE.exec(value) : null;
          if (!match) return false;
          const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
          return date.toISOString().slice(0, 10) === value;
        },
      },
    });
}

/** An ISO-8601 instant with its offset: 2025-07-03T10:00:00+03:00 or …Z. */
export function IsInstant(options?: ValidationOptions): PropertyDecorator {
  return (target, property) =>
    registerDecorator({
      name: 'isInstant',
      target: target.constructor,
      propertyName: String(property),
      options: options ?? {},
      validator: {
        validate(value: unknown) {
          return typeof value === 'string' && parseInstant(value) !== undefined;
        },
      },
    });
}
