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

/** mulberry32: small and deterministic, so a failing case can be replayed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
