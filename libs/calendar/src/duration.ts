export const DURATION_UNITS = ['working_days', 'working_hours', 'calendar_days'] as const;
export type DurationUnit = (typeof DURATION_UNITS)[number];

export interface DurationSpec {
  amount: number;
  unit: DurationUnit;
}

/**
 * How terms are counted (the defaults follow ГК РФ ст. 191–194; each is configurable per region):
 * - working_hours N: N hours of office time from the start, or from the next opening when the
 *   start is outside office time; due the instant the N-th hour ends.
 * - working_days N: the N-th working day after the calendar date of the start (the start's own
 *   date does not count, ст. 191); due at that day's end (`dayTermEndsAt`).
 * - calendar_days N: start date + N days; a non-working end day moves to the next working day
 *   (ст. 193); due at that day's end.
 */
export interface DeadlineSemantics {
  /** 'office_close': when the office closes (ст. 194 п. 1, an act to be done in an organization); 'end_of_day': 23:59:59 local. */
  dayTermEndsAt: 'office_close' | 'end_of_day';
  /** Count the start's own date as the first working day when it is one (not the ГК rule; some regulations use it). */
  workingDaysCountStartDay: boolean;
  /** Move a calendar-day term ending on a non-working day to the next working day (ст. 193). */
  calendarDaysRollForward: boolean;
}

export const DEFAULT_SEMANTICS: DeadlineSemantics = {
  dayTermEndsAt: 'office_close',
  workingDaysCountStartDay: false,
  calendarDaysRollForward: true,
};

const FORMS: Record<DurationUnit, [string, string, string]> = {
  working_days: ['рабочий день', 'рабочих дня', 'рабочих дней'],
  working_hours: ['рабочий час', 'рабочих часа', 'рабочих часов'],
  calendar_days: ['календарный день', 'календарных дня', 'календарных дней'],
};

/** "3 рабочих дня", "1 рабочий час", "30 календарных дней". */
export function durationText(spec: DurationSpec): string {
  return `${spec.amount} ${plural(spec.amount, FORMS[spec.unit])}`;
}

export function plural(n: number, [one, few, many]: readonly [string, string, string]): string {
  if (!Number.isInteger(n)) return few;
  const tens = Math.abs(n) % 100;
  const units = tens % 10;
  if (tens >= 11 && tens <= 14) return many;
  if (units === 1) return one;
  if (units >= 2 && units <= 4) return few;
  return many;
}

/** "2 ч 15 мин" of a number of milliseconds, rounded down to the minute. */
export function workingDurationText(ms: number): string {
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  const text = h && m ? `${h} ч ${m} мин` : h ? `${h} ч` : `${m} мин`;
  return ms < 0 ? `−${text}` : text;
}
