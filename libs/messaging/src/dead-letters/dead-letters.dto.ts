import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

export const DEAD_LETTER_STATES = ['pending', 'replayed', 'all'] as const;

export class DeadLetterListQuery {
  /** The original topic (`cur.message.received`), not its `.dlq`. */
  @IsOptional()
  @IsString()
  @MaxLength(200, { message: 'topic: не длиннее 200 символов' })
  topic?: string;

  /** pending: not replayed yet (default); replayed; all. */
  @IsOptional()
  @IsIn(DEAD_LETTER_STATES, { message: `state: одно из ${DEAD_LETTER_STATES.join(', ')}` })
  state: (typeof DEAD_LETTER_STATES)[number] = 'pending';

  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (/^\d+$/.test(String(value)) ? Number(value) : value))
  @IsInt({ message: 'limit: целое число от 1 до 200' })
  @Min(1, { message: 'limit: целое число от 1 до 200' })
  @Max(200, { message: 'limit: целое число от 1 до 200' })
  limit = 50;

  @IsOptional()
  @Matches(/^\d{1,18}$/, { message: 'cursor: значение nextCursor предыдущей страницы' })
  cursor?: string;
}

export class DeadLetterReplayBody {
  /** Why it is sent again (the cause fixed, …): recorded with who and when. */
  @IsString({ message: 'reason: укажите причину повторной отправки' })
  @IsNotEmpty({ message: 'reason: укажите причину повторной отправки' })
  @MaxLength(2000, { message: 'reason: не длиннее 2000 символов' })
  reason!: string;
}

export class DeadLetterReplayAllBody extends DeadLetterReplayBody {
  /** Only this original topic's dead letters; all topics when absent. */
  @IsOptional()
  @IsString()
  @MaxLength(200, { message: 'topic: не длиннее 200 символов' })
  topic?: string;
}
