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

export function dateOf(day: number): LocalDate {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

export function yearOf(day: number): number {
  return new Date(day * MS_PER_DAY).getUTCFullYear();
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function weekdayOf(day: number): number {
  const utc = new Date(day * MS_PER_DAY).getUTCDay();
  return utc === 0 ? 7 : utc;
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
