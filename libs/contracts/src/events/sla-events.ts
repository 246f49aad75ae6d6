import { Equals, IsIn, IsInt, IsISO8601, IsNumber, IsOptional, IsString, IsUUID, Max, Min } from 'class-validator';
import { CLOCK_KINDS, ClockKind } from '@cur/domain';
import { MessageEventBase } from './message-events';

abstract class SlaEventBase extends MessageEventBase {
  @IsUUID()
  clockId!: string;

  @IsIn(CLOCK_KINDS)
  kind!: ClockKind;

  @IsString()
  policyId!: string;

  @IsOptional()
  @IsString()
  organizationId!: string | null;

  @IsISO8601({ strict: true })
  dueAt!: string;
}

/** A share of a clock's time has passed (cur.sla.warning): the supervisors' at-risk signal. */
export class SlaWarningV1 extends SlaEventBase {
  @Equals('sla.warning')
  declare type: 'sla.warning';

  @Equals(1)
  declare version: 1;

  @IsNumber()
  @Min(0)
  @Max(1)
  fraction!: number;

  /** The instant the fraction was reached. */
  @IsISO8601({ strict: true })
  reachedAt!: string;

  /** Office time left until the due date, ms. */
  @IsInt()
  workingMsLeft!: number;
}

/** A clock's due date passed without the act it waits for (cur.sla.breached). Recorded once per clock. */
export class SlaBreachedV1 extends SlaEventBase {
  @Equals('sla.breached')
  declare type: 'sla.breached';

  @Equals(1)
  declare version: 1;

  @IsUUID()
  breachId!: string;

  /** Set when the breach is recorded at a late stop (a late answer): how late, in office time. */
  @IsOptional()
  @IsISO8601({ strict: true })
  stoppedAt?: string;

  @IsOptional()
  @IsInt()
  latenessWorkingMs?: number;
}
