import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsEmail,
  IsIn,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  MaxLength,
  Validate,
  ValidateNested,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';
import { parseInstant } from '@cur/calendar';
import { CHANNELS, Channel, IMPORTANCES, Importance } from '@cur/domain';

export const MAX_TEXT_LENGTH = 20_000;

/** An applicant's phone number as the portals send it. */
const PHONE = /^\+?[0-9][0-9 ()-]{4,24}$/;

/** An ISO-8601 instant with an explicit zone, and a real calendar date (no 31 February). */
@ValidatorConstraint({ name: 'isInstant' })
export class IsInstantConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && parseInstant(value) !== undefined;
  }
  defaultMessage(): string {
    return '$property must be an ISO-8601 date-time with a time zone, e.g. 2025-03-05T10:30:00+03:00';
  }
}

export class ApplicantDto {
  @IsOptional()
  @IsString()
  @MaxLength(300)
  name?: string;

  @IsOptional()
  @IsString()
  @Matches(PHONE, { message: 'Телефон: должен быть номером телефона, например +79001234567' })
  phone?: string;

  @IsOptional()
  @IsString()
  @MaxLength(320)
  @IsEmail({}, { message: 'email must be an e-mail address' })
  email?: string;

  @IsOptional()
  @IsString()
  @MaxLength(64)
  epguId?: string;
}

export class CreateMessageDto {
  @IsIn(CHANNELS, { message: `channel must be one of: ${CHANNELS.join(', ')}` })
  channel!: Channel;

  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  source!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  externalId!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TEXT_LENGTH, { message: `text must be at most ${MAX_TEXT_LENGTH} characters` })
  text!: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  territory?: string;

  @Validate(IsInstantConstraint)
  createdAt!: string;

  @IsOptional()
  @IsIn(IMPORTANCES, { message: `importance must be one of: ${IMPORTANCES.join(', ')}` })
  importance?: Importance;

  @IsOptional()
  @IsObject({ message: 'applicant must be an object' })
  @ValidateNested()
  @Type(() => ApplicantDto)
  applicant?: ApplicantDto;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  categoryHint?: string;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  @IsUrl({ require_protocol: true, protocols: ['http', 'https'] }, { message: 'url must be an http(s) URL' })
  url?: string;
}

export interface CreateMessageResult {
  id: string;
  status: string;
}

/** The most messages one batch request may carry. */
export const MAX_BATCH_MESSAGES = 1000;

/** POST /api/v1/messages:batch: each item is a CreateMessageDto, checked on its own (an invalid one does not stop the others). */
export class CreateMessagesBatchDto {
  @IsArray({ message: 'messages must be an array of messages' })
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BATCH_MESSAGES)
  @IsObject({ each: true, message: 'messages must hold objects' })
  messages!: object[];
}

export interface MessageBatchItemResult {
  /** The item's place in `messages`, from 0. */
  index: number;
  /** 201 stored now, 200 stored before (the same source and externalId), 400 invalid: nothing of it written. */
  status: 201 | 200 | 400;
  id?: string;
  /** The message's status (`new`, or what triage decided when intake triages). */
  messageStatus?: string;
  /** For 400: each wrong field, named by its path (`messages[3].text`). */
  errors?: { field: string; message: string }[];
}

export interface CreateMessagesBatchResult {
  created: number;
  existing: number;
  invalid: number;
  results: MessageBatchItemResult[];
}

const MESSAGE_FIELDS = new Set(['channel', 'source', 'externalId', 'text', 'territory', 'createdAt', 'importance', 'applicant', 'categoryHint', 'url']);
const APPLICANT_FIELDS = new Set(['name', 'phone', 'epguId']);

/**
 * The message of a batch item when it is plainly valid, checked by hand; undefined when it is not,
 * or when the check cannot tell (an e-mail, a URL, a null where a field may be left out): the item
 * then goes through `CreateMessageDto`'s decorators, which decide and name the fields wrong. So
 * this check only ever accepts what the decorators accept, with the same value, and every refusal
 * reads the same. Checking a message with class-transformer and class-validator cost about 50 µs,
 * a tenth of intake's work per message under the pipeline bench.
 */
export function plainlyValidMessage(item: unknown): CreateMessageDto | undefined {
  if (typeof item !== 'object' || item === null || Array.isArray(item) || Object.getPrototypeOf(item) !== Object.prototype) return undefined;
  const m = item as Record<string, unknown>;
  for (const key in m) if (!MESSAGE_FIELDS.has(key) || m[key] === null) return undefined;
  if (!(CHANNELS as readonly unknown[]).includes(m.channel)) return undefined;
  if (!text(m.source, 100) || !text(m.externalId, 200) || !text(m.text, MAX_TEXT_LENGTH)) return undefined;
  if (typeof m.createdAt !== 'string' || parseInstant(m.createdAt) === undefined) return undefined;
  if (m.territory !== undefined && !text(m.territory, 200, true)) return undefined;
  if (m.categoryHint !== undefined && !text(m.categoryHint, 200, true)) return undefined;
  if (m.importance !== undefined && !(IMPORTANCES as readonly unknown[]).includes(m.importance)) return undefined;
  if (m.url !== undefined) return undefined;
  if (m.applicant !== undefined) {
    const a = m.applicant;
    if (typeof a !== 'object' || a === null || Array.isArray(a) || Object.getPrototypeOf(a) !== Object.prototype) return undefined;
    const fields = a as Record<string, unknown>;
    for (const key in fields) if (!APPLICANT_FIELDS.has(key) || fields[key] === null) return undefined;
    if (fields.name !== undefined && !text(fields.name, 300, true)) return undefined;
    if (fields.phone !== undefined && !(typeof fields.phone === 'string' && PHONE.test(fields.phone))) return undefined;
    if (fields.epguId !== undefined && !text(fields.epguId, 64, true)) return undefined;
  }
  return m as unknown as CreateMessageDto;
}

/** A string of at most `max` UTF-16 units (the decorators count a surrogate pair as one: never fewer allowed), non-empty unless `empty`. */
function text(value: unknown, max: number, empty = false): boolean {
  return typeof value === 'string' && value.length <= max && (empty || value !== '');
}
