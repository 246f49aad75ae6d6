import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CalendarYear } from '..';

const CALENDAR_DIR = join(__dirname, '../../../../config/calendar');

/** The project's production calendar files, 2023–2026, as the loader reads them. */
export function projectCalendarYears(): CalendarYear[] {
  return readdirSync(CALENDAR_DIR)
    .filter((f) => /^ru-\d{4}\.json$/.test(f))
    .map((f) => JSON.parse(readFileSync(join(CALENDAR_DIR, f), 'utf8')) as CalendarYear);
}

/** A Moscow wall-clock time as an instant. */
export const msk = (local: string): Date => new Date(`${local}+03:00`);
