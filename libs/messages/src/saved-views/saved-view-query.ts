import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { FieldError, fieldErrors } from '@cur/platform';
import { ListMessagesQuery } from '../list-messages.query';

/**
 * The filters a saved view may hold: those of GET /api/v1/messages (not its page cursor), and the
 * text search `q`. Each is checked by the list's own rules, so a saved view always opens.
 */
export const SAVED_VIEW_FILTERS = [
  'status',
  'organizationId',
  'channel',
  'categoryCode',
  'territoryId',
  'importance',
  'assignee',
  'overdue',
  'sort',
  'limit',
  'q',
] as const;

const MAX_SEARCH_LENGTH = 200;

/**
 * A saved view's query string checked and written the one way (`status=new,assigned&sort=due`):
 * known filters only, each once, with values the list accepts. Errors name `query.<filter>`.
 */
export function savedViewQuery(raw: string): { query: string; errors: FieldError[] } {
  const text = raw.startsWith('?') ? raw.slice(1) : raw;
  const params = new URLSearchParams(text);
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  const plain: Record<string, string> = {};
  for (const [key, value] of params) {
    if (!(SAVED_VIEW_FILTERS as readonly string[]).includes(key)) {
      errors.push({ field: 'query', message: `Фильтры: неизвестный фильтр «${key}»; допустимые: ${SAVED_VIEW_FILTERS.join(', ')}` });
    } else if (seen.has(key)) {
      errors.push({ field: `query.${key}`, message: `Фильтры: «${key}» указан дважды` });
    } else if (key === 'q' && value.length > MAX_SEARCH_LENGTH) {
      errors.push({ field: 'query.q', message: `Фильтры: текст поиска не длиннее ${MAX_SEARCH_LENGTH} символов` });
    } else if (key !== 'q') {
      plain[key] = value;
    }
    seen.add(key);
  }
  const listed = plainToInstance(ListMessagesQuery, plain);
  const invalid = validateSync(listed, { whitelist: true, forbidNonWhitelisted: true, validationError: { target: true } });
  errors.push(...fieldErrors(invalid, 'query'));
  const canonical = new URLSearchParams([...params].filter(([key]) => (SAVED_VIEW_FILTERS as readonly string[]).includes(key)));
  return { query: canonical.toString(), errors };
}
