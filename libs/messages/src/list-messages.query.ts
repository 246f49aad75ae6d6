import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { CHANNELS, Importance, IMPORTANCES, MESSAGE_STATUSES, MessageStatus } from '@cur/domain';

export class ListMessagesQuery {
  /** One status or several, comma-separated. */
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',').filter(Boolean) : value))
  @IsIn(MESSAGE_STATUSES, { each: true, message: `status must be one of: ${MESSAGE_STATUSES.join(', ')}` })
  status?: MessageStatus[];

  @IsOptional()
  @IsString()
  @MaxLength(64)
  organizationId?: string;

  @IsOptional()
  @IsIn(CHANNELS)
  channel?: string;

  @IsOptional()
  @IsString()
  @MaxLength(64)
  categoryCode?: string;

  @IsOptional()
  @IsString()
  @MaxLength(64)
  territoryId?: string;

  @IsOptional()
  @IsIn(IMPORTANCES)
  importance?: Importance;

  /** An executor's login, or `me`. */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  assignee?: string;

  /** received: newest first (default); due: least time left first, no due date last. */
  @IsOptional()
  @IsIn(['received', 'due'])
  sort: 'received' | 'due' = 'received';

  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'overdue must be true or false' })
  overdue?: boolean;

  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (/^\d+$/.test(String(value)) ? Number(value) : value))
  @IsInt({ message: 'limit must be an integer 1..200' })
  @Min(1)
  @Max(200)
  limit = 50;

  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{10,200}$/, { message: 'Курсор страницы: должен быть значением nextCursor предыдущей страницы' })
  cursor?: string;
}
