import { plainToInstance, Type } from 'class-transformer';
import { Equals, IsIn, IsISO8601, IsNumber, IsOptional, IsString, IsUUID, Max, Min, ValidateNested, validateSync } from 'class-validator';
import { CHANNELS, Channel, MESSAGE_STATUSES, MessageStatus, timeOrderedId } from '@cur/domain';

/** Fields every event carries. Payloads hold ids, never personal data or message texts. */
export abstract class MessageEventBase {
  @IsUUID()
  eventId!: string;

  @IsString()
  type!: string;

  @IsNumber()
  version!: number;

  @IsISO8601({ strict: true })
  occurredAt!: string;

  @IsString()
  region!: string;

  @IsUUID()
  messageId!: string;
}

export class MessageReceivedV1 extends MessageEventBase {
  @Equals('message.received')
  declare type: 'message.received';

  @Equals(1)
  declare version: 1;

  @IsIn(CHANNELS)
  channel!: Channel;
}

export class MessageRoutedV1 extends MessageEventBase {
  @Equals('message.routed')
  declare type: 'message.routed';

  @Equals(1)
  declare version: 1;

  @IsString()
  categoryCode!: string;

  @IsString()
  organizationId!: string;

  /** Absent while the due date cannot be computed (no production calendar for the year it falls in). */
  @IsOptional()
  @IsISO8601({ strict: true })
  dueAt?: string;

  @IsIn(['hint', 'keywords', 'model', 'operator', 'import'])
  method!: string;
}

export class SuggestionV1 {
  @IsString()
  code!: string;

  @IsNumber()
  @Min(0)
  @Max(1)
  probability!: number;
}

export class MessageNeedsTriageV1 extends MessageEventBase {
  @Equals('message.needs-triage')
  declare type: 'message.needs-triage';

  @Equals(1)
  declare version: 1;

  /** `no_content`: the text names nothing to act on (thanks, «когда починят?», noise), whatever a classifier scored. */
  @IsIn(['no_category', 'low_confidence', 'no_route', 'no_content'])
  reason!: 'no_category' | 'low_confidence' | 'no_route' | 'no_content';

  @ValidateNested({ each: true })
  @Type(() => SuggestionV1)
  suggestions!: SuggestionV1[];
}

/** Every state change of a message, as recorded in its history (topic cur.message.events). */
export class MessageStatusChangedV1 extends MessageEventBase {
  @Equals('message.status-changed')
  declare type: 'message.status-changed';

  @Equals(1)
  declare version: 1;

  @IsOptional()
  @IsIn(MESSAGE_STATUSES)
  fromStatus!: MessageStatus | null;

  @IsIn(MESSAGE_STATUSES)
  toStatus!: MessageStatus;

  @IsString()
  actor!: string;

  @IsOptional()
  @IsString()
  reason?: string;
}

export class MessageOverdueV1 extends MessageEventBase {
  @Equals('message.overdue')
  declare type: 'message.overdue';

  @Equals(1)
  declare version: 1;

  @IsISO8601({ strict: true })
  dueAt!: string;

  @IsOptional()
  @IsString()
  organizationId?: string | null;
}

export type MessageEvent = MessageReceivedV1 | MessageRoutedV1 | MessageNeedsTriageV1 | MessageStatusChangedV1 | MessageOverdueV1;

/** A payload that can never be handled: retrying it is pointless, it goes to the dead-letter topic. */
export class InvalidEventError extends Error {
  readonly retryable = false;
}

/** Validates an incoming payload as strictly as HTTP input is validated. */
export function parseEvent<T extends object>(cls: new () => T, payload: unknown): T {
  if (typeof payload !== 'object' || payload === null) {
    throw new InvalidEventError(`${cls.name}: payload is not an object`);
  }
  const event = plainToInstance(cls, payload);
  const errors = validateSync(event, { forbidUnknownValues: true });
  if (errors.length > 0) {
    const fields = errors.map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join(', ') || 'invalid'}`);
    throw new InvalidEventError(`${cls.name} invalid: ${fields.join('; ')}`);
  }
  return event;
}

/** The common fields of a new event. */
export function envelope<T extends string>(type: T, region: string, messageId: string, at: Date) {
  return { eventId: timeOrderedId(), type, version: 1 as const, occurredAt: at.toISOString(), region, messageId };
}
