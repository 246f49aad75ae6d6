import 'reflect-metadata';
import { plainToInstance, Type } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateNested, validate } from 'class-validator';
import { fieldErrors, IsLocalDate } from '../validation';
import { fieldLabel, russianRuleMessage } from '../validation-messages';

class Applicant {
  @IsOptional()
  @IsString()
  @MaxLength(21)
  phone?: string;
}

class Query {
  @IsInt({ message: 'limit must be an integer 1..200' })
  @Min(1)
  @Max(200)
  limit!: number;

  @IsNotEmpty({ message: 'reason must not be empty' })
  reason!: string;

  @IsIn(['normal', 'high'])
  importance!: string;

  @IsOptional()
  @MaxLength(64)
  name?: string;

  @IsOptional()
  @Matches(/^x$/, { message: 'Курсор страницы: должен быть значением nextCursor' })
  cursor?: string;

  @IsOptional()
  @IsUUID('all', { each: true })
  ids?: string[];

  @IsOptional()
  @IsLocalDate()
  from?: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => Applicant)
  applicant?: Applicant;
}

/** As the global pipe validates: the DTO's class, whitelisted, with the target kept on the errors. */
async function errorsOf(plain: Record<string, unknown>) {
  const errors = await validate(plainToInstance(Query, plain), { whitelist: true, forbidNonWhitelisted: true, validationError: { target: true } });
  return fieldErrors(errors);
}

const valid = { limit: 10, reason: 'есть', importance: 'normal' };

describe('Russian validation messages', () => {
  it('turns each broken rule into Russian with the rule’s own arguments, naming the field; `field` stays the input’s path', async () => {
    expect(await errorsOf({ ...valid, limit: 500 })).toEqual([{ field: 'limit', message: 'Число строк: должно быть не больше 200' }]);
    expect(await errorsOf({ ...valid, limit: 0 })).toEqual([{ field: 'limit', message: 'Число строк: должно быть не меньше 1' }]);
    expect(await errorsOf({ ...valid, importance: 'urgent' })).toEqual([{ field: 'importance', message: 'Важность: допустимые значения: normal, high' }]);
    expect(await errorsOf({ ...valid, name: 'я'.repeat(65) })).toEqual([{ field: 'name', message: 'Название: должно быть не длиннее 64 символов' }]);
  });

  it('replaces an English message a DTO gives (the rule decides the text), keeps a Russian one', async () => {
    expect(await errorsOf({ ...valid, reason: '' })).toEqual([{ field: 'reason', message: 'Причина: не может быть пустым' }]);
    expect(await errorsOf({ ...valid, limit: 'ten' })).toContainEqual({ field: 'limit', message: 'Число строк: должно быть целым числом' });
    expect(await errorsOf({ ...valid, cursor: 'y' })).toEqual([{ field: 'cursor', message: 'Курсор страницы: должен быть значением nextCursor' }]);
  });

  it('names nested fields and unknown fields by their path, and the project’s own rules in Russian', async () => {
    expect(await errorsOf({ ...valid, applicant: { phone: '1'.repeat(22) } })).toEqual([
      { field: 'applicant.phone', message: 'Телефон: должно быть не длиннее 21 символа' },
    ]);
    expect(await errorsOf({ ...valid, colour: 'red' })).toEqual([{ field: 'colour', message: 'Поле «colour»: такого поля в этом запросе нет' }]);
    expect(await errorsOf({ ...valid, ids: ['nope'] })).toEqual([{ field: 'ids', message: 'Поле «ids»: должно быть идентификатором (UUID)' }]);
    expect(await errorsOf({ ...valid, from: '2025-02-30' })).toEqual([
      { field: 'from', message: 'Поле «from»: должно быть существующей датой в формате ГГГГ-ММ-ДД' },
    ]);
  });

  it('never lets an English message through: an unknown rule reads as an invalid value of the named field', () => {
    expect(russianRuleMessage('colour', 'isHexColor', [], 'colour must be a hexadecimal color')).toBe('Поле «colour»: недопустимое значение');
    expect(fieldLabel('roles[2]')).toBe('Роли');
  });
});
