import { CalendarDay, OfficeHours } from '../region/region-data';
import { DurationSpec } from './duration';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/**
 * Working time of one organization in one fixed-offset zone (Europe/Moscow has had no DST
 * since 2014). Days come from the production calendar; a year without data is refused, because a
 * guessed due date can end in a fine (КоАП 5.59).
 */
export class WorkingCalendar {
  private readonly days = new Map<string, CalendarDay>();
  private readonly years: Set<number>;

  constructor(
    days: readonly CalendarDay[],
    years: readonly number[],
    private readonly officeHours: OfficeHours,
    private readonly offsetMinutes: number,
  ) {
    for (const day of days) this.days.set(day.date, day);
    this.years = new Set(years);
  }

  /** Office close of the N-th working day after the start's own date (ГК ст. 191). */
  addWorkingDays(start: Date, amount: number): Date {
    let day = this.localDay(start);
    for (let counted = 0; counted < amount; ) {
      day += DAY;
      if (this.isWorkingDay(day)) counted++;
    }
    if (amount === 0) while (!this.isWorkingDay(day)) day += DAY;
    return this.instant(day, this.closesAt(day));
  }

  /** Consumes N hours of office time from the start (or from the next opening). */
  addWorkingHours(start: Date, amount: number): Date {
    let left = amount * 60;
    let day = this.localDay(start);
    let minute = this.localMinute(start);
    for (;;) {
      if (this.isWorkingDay(day)) {
        const from = Math.max(minute, this.officeHours.opensAt);
        const until = this.closesAt(day);
        if (from < until) {
          const available = until - from;
          if (left <= available) return this.instant(day, from + left);
          left -= available;
        }
      }
      day += DAY;
      minute = 0;
    }
  }

  /** Start date + N days, moved to the next working day if needed (ГК ст. 193), due at office close. */
  addCalendarDays(start: Date, amount: number): Date {
    let day = this.localDay(start) + amount * DAY;
    while (!this.isWorkingDay(day)) day += DAY;
    return this.instant(day, this.closesAt(day));
  }

  add(start: Date, spec: DurationSpec): Date {
    switch (spec.unit) {
      case 'working_days':
        return this.addWorkingDays(start, spec.amount);
      case 'working_hours':
        return this.addWorkingHours(start, spec.amount);
      case 'calendar_days':
        return this.addCalendarDays(start, spec.amount);
    }
  }

  private isWorkingDay(localDayStart: number): boolean {
    const date = new Date(localDayStart);
    const year = date.getUTCFullYear();
    if (!this.years.has(year)) {
      throw new CalendarYearMissingError(year);
    }
    const special = this.days.get(date.toISOString().slice(0, 10));
    if (special) return special.kind === 'shortened' || special.kind === 'working_weekend';
    const weekday = date.getUTCDay();
    return weekday !== 0 && weekday !== 6;
  }

  private closesAt(localDayStart: number): number {
    const special = this.days.get(new Date(localDayStart).toISOString().slice(0, 10));
    return special?.kind === 'shortened' ? this.officeHours.closesAt - 60 : this.officeHours.closesAt;
  }

  /** Midnight of the local date, expressed as a UTC timestamp whose UTC fields read that date. */
  private localDay(instant: Date): number {
    const shifted = instant.getTime() + this.offsetMinutes * MINUTE;
    return shifted - (((shifted % DAY) + DAY) % DAY);
  }

  /** Minutes since local midnight, with the seconds kept as a fraction. */
  private localMinute(instant: Date): number {
    const shifted = instant.getTime() + this.offsetMinutes * MINUTE;
    return (((shifted % DAY) + DAY) % DAY) / MINUTE;
  }

  private instant(localDayStart: number, minute: number): Date {
    return new Date(localDayStart + minute * MINUTE - this.offsetMinutes * MINUTE);
  }
}

export class CalendarYearMissingError extends Error {
  constructor(readonly year: number) {
    super(`Производственный календарь на ${year} год не загружен`);
  }
}
