import { hhmm, parseHhmm } from './local-date';

/** Office hours of one day, minutes after local midnight. */
export interface DayHours {
  opensAt: number;
  closesAt: number;
}

/**
 * An organization's working week. A weekday without hours is not a working day for it; a
 * Saturday or Sunday made a working day by the decree gets `workingWeekend` hours (the
 * organization's ordinary day); a shortened pre-holiday day closes `shortenedByMinutes` earlier.
 */
export interface OfficeSchedule {
  /** ISO weekday (1 = Monday … 7 = Sunday) → hours; missing or null = not a working day. */
  weekly: Partial<Record<number, DayHours | null>>;
  workingWeekend: DayHours;
  shortenedByMinutes: number;
}

export const STANDARD_DAY: DayHours = { opensAt: 9 * 60, closesAt: 18 * 60 };

/** Monday–Friday 09:00–18:00, one hour shorter before a holiday (ТК ст. 95). */
export const DEFAULT_OFFICE_SCHEDULE: OfficeSchedule = {
  weekly: { 1: STANDARD_DAY, 2: STANDARD_DAY, 3: STANDARD_DAY, 4: STANDARD_DAY, 5: STANDARD_DAY },
  workingWeekend: STANDARD_DAY,
  shortenedByMinutes: 60,
};

/** Office hours as written in config files. */
export interface OfficeHoursSpec {
  opensAt: string;
  closesAt: string;
  /** ISO weekdays the office works; default Monday–Friday. */
  weekdays?: number[];
  /** Other hours on some weekdays, e.g. a shorter Friday: { "5": { "opensAt": "09:00", "closesAt": "16:45" } }. */
  byWeekday?: Record<string, { opensAt: string; closesAt: string }>;
  shortenedByMinutes?: number;
}

export function officeSchedule(spec: OfficeHoursSpec): OfficeSchedule {
  const standard = dayHours(spec.opensAt, spec.closesAt);
  const weekly: Partial<Record<number, DayHours | null>> = {};
  for (const weekday of spec.weekdays ?? [1, 2, 3, 4, 5]) {
    if (!Number.isInteger(weekday) || weekday < 1 || weekday > 7) throw new RangeError(`weekday must be 1–7, got ${weekday}`);
    weekly[weekday] = standard;
  }
  for (const [key, hours] of Object.entries(spec.byWeekday ?? {})) {
    const weekday = Number(key);
    if (!(weekday in weekly)) throw new RangeError(`byWeekday.${key}: not one of the office's weekdays`);
    weekly[weekday] = dayHours(hours.opensAt, hours.closesAt);
  }
  const shortenedByMinutes = spec.shortenedByMinutes ?? 60;
  for (const hours of [standard, ...Object.values(weekly)]) {
    if (hours && hours.closesAt - shortenedByMinutes <= hours.opensAt) {
      throw new RangeError(`office day ${hhmm(hours.opensAt)}–${hhmm(hours.closesAt)} is too short to be shortened by ${shortenedByMinutes} min`);
    }
  }
  if (Object.keys(weekly).length === 0) throw new RangeError('an office needs at least one working weekday');
  return { weekly, workingWeekend: standard, shortenedByMinutes };
}

function dayHours(opensAt: string, closesAt: string): DayHours {
  const hours = { opensAt: parseHhmm(opensAt), closesAt: parseHhmm(closesAt) };
  if (hours.closesAt <= hours.opensAt) throw new RangeError(`office closes (${closesAt}) before it opens (${opensAt})`);
  return hours;
}
