import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { CHANNELS, Importance, IMPORTANCES, MESSAGE_STATUSES, MessageStatus, OPEN_STATUSES } from '@cur/domain';

export const SEARCH_MAX_LENGTH = 200;

export class ListMessagesQuery {
  /**
   * Search: words of the text or address (any case form: «ямы» finds «яма»), a portal or ПОС number
   * exactly, and — for those who see the applicant's personal data — a phone or the applicant's name.
   * Blank is no search. Combines with every filter below.
   */
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => {
    if (typeof value !== 'string') return value;
    // Control characters (a NUL PostgreSQL refuses, the highlight markers) are no search terms.
    // eslint-disable-next-line no-control-regex
    const q = value.replace(/[\u0000-\u001f\u007f]/g, ' ').trim();
    return q === '' ? undefined : q;
  })
  @IsString({ message: 'q must be one text' })
  @MaxLength(SEARCH_MAX_LENGTH, { message: `q must be at most ${SEARCH_MAX_LENGTH} characters` })
  q?: string;

  /** One status or several, comma-separated; `open` stands for every status of a message not yet answered or closed. */
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? [...new Set(value.split(',').flatMap((s): string[] => (s === 'open' ? [...OPEN_STATUSES] : s ? [s] : [])))] : value,
  )
  @IsIn(MESSAGE_STATUSES, { each: true, message: `status must be open or one of: ${MESSAGE_STATUSES.join(', ')}` })
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

  /**
   * received: newest first (the default without q); due: least time left first, no due date last;
   * relevance (the default with q, only with q): best match first.
   */
  @IsOptional()
  @IsIn(['received', 'due', 'relevance'], { message: 'sort must be one of: received, due, relevance' })
  sort?: 'received' | 'due' | 'relevance';

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
