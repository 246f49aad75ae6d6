/**
 * Local calendar dates as day numbers (days since 1970-01-01) and 'YYYY-MM-DD' strings. A day
 * number's UTC fields read the local date, so no time zone is involved in date arithmetic.
 */
export type LocalDate = string;

export const MS_PER_MINUTE = 60_000;
export const MS_PER_HOUR = 60 * MS_PER_MINUTE;
export const MS_PER_DAY = 24 * MS_PER_HOUR;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function dayNumber(date: LocalDate): number {
  const match = DATE.exec(date);
  if (!match) throw new RangeError(`not a date (YYYY-MM-DD): "${date}"`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const time = Date.UTC(year, month - 1, day);
  const check = new Date(time);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    throw new RangeError(`no such date: "${date}"`);
  }
  return time / MS_PER_DAY;
}

/**
 * Dates by day number, remembered: every deadline asks the calendar about the same few hundred
 * days, thousands of times a second at full intake (measured: 3% of a busy process formatting
 * dates before). Bounded, as a long-running process sees new days forever.
 */
const DATES = new Map<number, LocalDate>();
const REMEMBERED_DAYS = 20_000;

export function dateOf(day: number): LocalDate {
  let date = DATES.get(day);
  if (date === undefined) {
    if (DATES.size >= REMEMBERED_DAYS) DATES.clear();
    date = new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
    DATES.set(day, date);
  }
  return date;
}

export function yearOf(day: number): number {
  return Number(dateOf(day).slice(0, 4));
}

/** ISO weekday: 1 = Monday … 7 = Sunday (day 0, 1 January 1970, was a Thursday). */
export function weekdayOf(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

export const WEEKDAY_SHORT = ['', 'пн', 'вт', 'ср', 'чт', 'пт', 'сб', 'вс'] as const;

/** 'DD.MM.YYYY', the way dates are written in Russian documents. */
export function russianDate(day: number): string {
  const [y, m, d] = dateOf(day).split('-');
  return `${d}.${m}.${y}`;
}

/** Date plus N calendar months, clamped to the month's last day (31 January + 1 month = 28/29 February). */
export function addMonths(day: number, months: number): number {
  const date = new Date(day * MS_PER_DAY);
  const target = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(date.getUTCDate(), lastDay));
  return target.getTime() / MS_PER_DAY;
}

/** 'HH:MM' of minutes after midnight. */
export function hhmm(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = Math.round(minutes - h * 60);
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

export function parseHhmm(text: string): number {
  const match = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(text);
  if (!match || (match[1] === '24' && match[2] !== '00')) throw new RangeError(`not a time of day (HH:MM): "${text}"`);
  return Number(match[1]) * 60 + Number(match[2]);
}
