import type { ValidationError } from 'class-validator';
import { getMetadataStorage } from 'class-validator';

/**
 * Russian names of request fields people fill in, by the field's last name in the path
 * (`applicant.phone` → phone). A field not listed is named by its path in quotes: the message still
 * says which field, and `field` of the error stays the English path the client places it by.
 */
export const FIELD_LABELS: Record<string, string> = {
  login: 'Логин',
  password: 'Пароль',
  displayName: 'Имя',
  roles: 'Роли',
  organizationId: 'Организация',
  reason: 'Причина',
  text: 'Текст',
  comment: 'Комментарий',
  categoryCode: 'Категория',
  territoryId: 'Территория',
  importance: 'Важность',
  status: 'Статус',
  channel: 'Канал',
  name: 'Название',
  title: 'Заголовок',
  body: 'Текст',
  query: 'Фильтры',
  phone: 'Телефон',
  email: 'Электронная почта',
  amount: 'Срок',
  unit: 'Единица срока',
  limit: 'Число строк',
  offset: 'Смещение',
  cursor: 'Курсор страницы',
  year: 'Год',
  month: 'Месяц',
  quarter: 'Квартал',
  active: 'Действует',
};

/** «Причина» for a labelled field, «Поле «limit»» for another; array items name their list. */
export function fieldLabel(field: string): string {
  const last =
    field
      .replace(/\[\d+\]$/, '')
      .split('.')
      .pop() ?? field;
  return Object.hasOwn(FIELD_LABELS, last) ? FIELD_LABELS[last] : `Поле «${field}»`;
}

/** «1 символа», «5 символов»: the genitive after «не длиннее N», «не больше N». */
function genitive(n: number, one: string, many: string): string {
  return n % 10 === 1 && n % 100 !== 11 ? one : many;
}

function list(value: unknown): string {
  return Array.isArray(value) ? value.map(String).join(', ') : String(value);
}

/**
 * What each class-validator rule (the key of `ValidationError.constraints`) asks, in Russian,
 * from the rule's arguments (`@Max(200)` → 200). Kept next to the rule names class-validator uses.
 */
const RULES: Record<string, (args: readonly unknown[]) => string> = {
  isDefined: () => 'обязательное поле',
  isNotEmpty: () => 'не может быть пустым',
  isString: () => 'должно быть строкой',
  isInt: () => 'должно быть целым числом',
  isNumber: () => 'должно быть числом',
  isPositive: () => 'должно быть больше нуля',
  isBoolean: () => 'должно быть true или false',
  isIn: ([values]) => `допустимые значения: ${list(values)}`,
  isNotIn: ([values]) => `не может быть одним из: ${list(values)}`,
  isEnum: ([, keys]) => `допустимые значения: ${list(keys)}`,
  equals: ([value]) => `должно быть равно ${String(value)}`,
  min: ([n]) => `должно быть не меньше ${String(n)}`,
  max: ([n]) => `должно быть не больше ${String(n)}`,
  minLength: ([n]) => `должно быть не короче ${String(n)} ${genitive(Number(n), 'символа', 'символов')}`,
  maxLength: ([n]) => `должно быть не длиннее ${String(n)} ${genitive(Number(n), 'символа', 'символов')}`,
  isLength: ([min, max]) => `длина — от ${String(min)} до ${String(max)} символов`,
  isUuid: () => 'должно быть идентификатором (UUID)',
  isEmail: () => 'должно быть адресом электронной почты',
  isUrl: () => 'должно быть адресом http(s)',
  matches: () => 'неверный формат',
  isArray: () => 'должно быть списком',
  arrayNotEmpty: () => 'список не может быть пустым',
  arrayMinSize: ([n]) => `в списке должно быть не меньше ${String(n)} ${genitive(Number(n), 'элемента', 'элементов')}`,
  arrayMaxSize: ([n]) => `в списке должно быть не больше ${String(n)} ${genitive(Number(n), 'элемента', 'элементов')}`,
  arrayUnique: () => 'значения в списке не должны повторяться',
  isObject: () => 'должно быть объектом',
  nestedValidation: () => 'должно быть объектом или списком объектов',
  whitelistValidation: () => 'такого поля в этом запросе нет',
  isIso8601: () => 'должно быть датой и временем в формате ISO 8601',
  isDateString: () => 'должно быть датой и временем в формате ISO 8601',
  isLocalDate: () => 'должно быть существующей датой в формате ГГГГ-ММ-ДД',
  isInstant: () => 'должно быть моментом времени ISO 8601 с часовым поясом, например 2025-07-03T10:00:00+03:00',
};

/** A Russian message of a rule on a field: the DTO's own message when it is Russian already. */
export function russianRuleMessage(field: string, rule: string, args: readonly unknown[], given: string): string {
  if (/[А-Яа-яЁё]/.test(given)) return given;
  const text = Object.hasOwn(RULES, rule) ? RULES[rule](args) : 'недопустимое значение';
  return `${fieldLabel(field)}: ${text}`;
}

/**
 * The arguments a rule was declared with on a property (`@Max(200)` → [200]), from class-validator's
 * metadata of the object the error was found in (the pipe keeps it on the error as `target`).
 */
export function ruleArguments(target: object | undefined, property: string, rule: string): unknown[] {
  if (!target || typeof target !== 'object') return [];
  const storage = getMetadataStorage();
  for (const meta of storage.getTargetValidationMetadatas(target.constructor, '', true, false)) {
    if (meta.propertyName !== property) continue;
    const name = meta.constraintCls ? storage.getTargetValidatorConstraints(meta.constraintCls)[0]?.name : undefined;
    if ((name ?? meta.type) === rule) return (meta.constraints as unknown[] | undefined) ?? [];
  }
  return [];
}

/** One error per broken rule, Russian, naming the field; `field` is the path of the input. */
export function russianErrors(error: ValidationError, field: string): { field: string; message: string }[] {
  return Object.entries(error.constraints ?? {}).map(([rule, given]) => ({
    field,
    message: russianRuleMessage(field, rule, ruleArguments(error.target, error.property, rule), given),
  }));
}
