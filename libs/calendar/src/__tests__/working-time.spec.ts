import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MissingCalendarYearError, ProductionCalendar, WorkingTime } from '..';
import { msk, prng, projectCalendarYears } from './helpers';

/**
 * Deadline math against the real project config: Rostov region, Europe/Moscow (UTC+3, no DST),
 * office 09:00–18:00, a pre-holiday (shortened) day closes at 17:00, production calendar 2023–2027.
 * Every expected instant below was counted by hand from config/calendar/ru-<year>.json.
 */
const CONFIG_DIR = join(__dirname, '../../../../config');
const years = projectCalendarYears();
// The defaults: Monday–Friday 09:00–18:00 in Europe/Moscow, ГК ст. 191–194 semantics.
const calendar = new WorkingTime(new ProductionCalendar(years));

describe('WorkingTime (Moscow office hours, real production calendar)', () => {
  it('is built on the project calendar with the defaults: Moscow offset, 09:00–18:00, years 2023–2027', () => {
    expect(calendar.zone.offsetMinutes).toBe(180);
    expect(calendar.schedule.weekly[1]).toEqual({ opensAt: 9 * 60, closesAt: 18 * 60 });
    expect(calendar.schedule.weekly[6]).toBeUndefined();
    expect(calendar.calendar.years).toEqual([2023, 2024, 2025, 2026, 2027]);
  });

  describe('working hours (public messages: 9 h ordinary, 4 h high importance)', () => {
    it('a post at 16:00 on 7 March 2025 (shortened, closes 17:00) + 2 h is due Monday 10 March 10:00 — 8 March is a Saturday holiday', () => {
      expect(calendar.addWorkingHours(msk('2025-03-07T16:00'), 2)).toEqual(msk('2025-03-10T10:00'));
    });

    it('4 h from 17:00 on 22 February 2024 (shortened day already closed) skip 23 Feb and the weekend: Monday 26 February 13:00', () => {
      expect(calendar.addWorkingHours(msk('2024-02-22T17:00'), 4)).toEqual(msk('2024-02-26T13:00'));
    });

    it('a post at 07:00 before opening + 1 h is due 10:00 the same day', () => {
      expect(calendar.addWorkingHours(msk('2024-03-12T07:00'), 1)).toEqual(msk('2024-03-12T10:00'));
    });

    it('a post at 01:00 Moscow (still the previous day in UTC) counts from the Moscow opening: 10:00', () => {
      // 2024-03-11T22:00Z is already Tuesday 12 March in Moscow.
      expect(calendar.addWorkingHours(new Date('2024-03-11T22:00:00Z'), 1)).toEqual(msk('2024-03-12T10:00'));
    });

    it('a post on Sunday + 9 h uses the whole of Monday: due Monday 18:00', () => {
      expect(calendar.addWorkingHours(msk('2024-03-17T12:00'), 9)).toEqual(msk('2024-03-18T18:00'));
    });

    it('a post after closing (18:30 Monday) + 1 h is due 10:00 Tuesday', () => {
      expect(calendar.addWorkingHours(msk('2024-03-18T18:30'), 1)).toEqual(msk('2024-03-19T10:00'));
    });

    it('a post inside office hours consumes the rest of the day first: Monday 15:00 + 4 h → Tuesday 10:00', () => {
      expect(calendar.addWorkingHours(msk('2024-03-18T15:00'), 4)).toEqual(msk('2024-03-19T10:00'));
    });

    it('a working Saturday is office time: Friday 26 April 2024 17:00 + 2 h → Saturday 27 April 10:00', () => {
      expect(calendar.addWorkingHours(msk('2024-04-26T17:00'), 2)).toEqual(msk('2024-04-27T10:00'));
    });

    // Breach evidence must be exact (КоАП 5.59); receipt times carry seconds.
    it('keeps the seconds of the start: 10:00:30 + 1 h → 11:00:30', () => {
      expect(calendar.addWorkingHours(msk('2024-03-12T10:00:30'), 1)).toEqual(msk('2024-03-12T11:00:30'));
    });
  });

  describe('working days (ПОС messages; ГК ст. 191: counting starts the next day, due at office close, ст. 194)', () => {
    it('7 May 2024 + 3 working days: 8 May (shortened) = 1, 9–12 May off, 13 May = 2, 14 May = 3 → 14 May 18:00', () => {
      expect(calendar.addWorkingDays(msk('2024-05-07T12:00'), 3)).toEqual(msk('2024-05-14T18:00'));
    });

    it('Friday 26 April 2024 + 1 working day is the working Saturday 27 April, full day, 18:00', () => {
      expect(calendar.addWorkingDays(msk('2024-04-26T12:00'), 1)).toEqual(msk('2024-04-27T18:00'));
    });

    it('ПОС message filed Friday 17:30 before New Year 2025 (27.12.2024) + 10 working days → Tuesday 21 January 2025 18:00', () => {
      // ru-2024.json: 28.12 is a working Saturday (1); 29.12 Sunday; 30.12 and 31.12 transferred days off.
      // ru-2025.json: 1–8 January holidays; 9 Jan (2), 10 Jan (3), 13–17 Jan (4–8), 20 Jan (9), 21 Jan (10).
      // 17:30 is still office time, and the count starts the next day whatever the hour.
      expect(calendar.addWorkingDays(msk('2024-12-27T17:30'), 10)).toEqual(msk('2025-01-21T18:00'));
    });

    it('crosses the year boundary: 30 December 2025 + 5 working days → Friday 16 January 2026 18:00', () => {
      // ru-2025.json: 31.12 transferred day off. ru-2026.json: 1–8 January holidays, 9 January
      // transferred day off, 10–11 weekend; 12, 13, 14, 15, 16 January are days 1–5.
      expect(calendar.addWorkingDays(msk('2025-12-30T12:00'), 5)).toEqual(msk('2026-01-16T18:00'));
    });

    it('a due date falling on a shortened day is at its 17:00 close: 21 February 2024 + 1 → 22 February 17:00', () => {
      expect(calendar.addWorkingDays(msk('2024-02-21T12:00'), 1)).toEqual(msk('2024-02-22T17:00'));
    });

    it('the time of day does not matter, a message at 23:50 on Monday + 1 is due Tuesday 18:00', () => {
      expect(calendar.addWorkingDays(msk('2024-03-18T23:50'), 1)).toEqual(msk('2024-03-19T18:00'));
    });

    it('0 working days from a Saturday is due at the close of the next working day (ГК ст. 193): Monday 18:00', () => {
      expect(calendar.addWorkingDays(msk('2024-03-16T12:00'), 0)).toEqual(msk('2024-03-18T18:00'));
    });

    it('0 working days from a working day is due at that day’s close', () => {
      expect(calendar.addWorkingDays(msk('2024-03-13T10:00'), 0)).toEqual(msk('2024-03-13T18:00'));
    });
  });

  describe('calendar days (59-ФЗ appeals: 30 days, moved off a day off by ГК ст. 193)', () => {
    it('30 January 2026 + 30 days lands on Sunday 1 March and moves to Monday 2 March 18:00', () => {
      expect(calendar.addCalendarDays(msk('2026-01-30T09:00'), 30)).toEqual(msk('2026-03-02T18:00'));
    });

    it('a landing day on a working day stays: 4 March 2024 + 30 → Wednesday 3 April 18:00', () => {
      expect(calendar.addCalendarDays(msk('2024-03-04T10:00'), 30)).toEqual(msk('2024-04-03T18:00'));
    });

    it('a landing day in the May holidays moves past them: 1 April 2025 + 30 = 1 May (holiday) → 5 May 2025 18:00', () => {
      // 1 May holiday, 2 May transferred day off, 3–4 May weekend.
      expect(calendar.addCalendarDays(msk('2025-04-01T10:00'), 30)).toEqual(msk('2025-05-05T18:00'));
    });
  });

  describe('add() dispatches on the unit', () => {
    it.each([
      [{ amount: 2, unit: 'working_hours' as const }, msk('2025-03-10T10:00')],
      [{ amount: 2, unit: 'working_days' as const }, msk('2025-03-11T18:00')],
      [{ amount: 5, unit: 'calendar_days' as const }, msk('2025-03-12T18:00')],
    ])('%o from 7 March 2025 16:00', (spec, expected) => {
      expect(calendar.add(msk('2025-03-07T16:00'), spec)).toEqual(expected);
    });
  });

  describe('2027 (Постановление Правительства РФ от 17.09.2026 № 1187)', () => {
    it('ПОС message filed Wednesday 30 December 2026 at 17:30 + 1 working day: 31 Dec off, 1–8 Jan holidays, 9–10 Jan weekend → Monday 11 January 18:00', () => {
      expect(calendar.addWorkingDays(msk('2026-12-30T17:30'), 1)).toEqual(msk('2027-01-11T18:00'));
    });

    it('a post at 17:00 on 30 December 2026 + 4 working hours: one hour that evening, three after the New Year holidays → 11 January 12:00', () => {
      expect(calendar.addWorkingHours(msk('2026-12-30T17:00'), 4)).toEqual(msk('2027-01-11T12:00'));
    });

    it('the New Year holidays run 1–8 January with Christmas on the 7th; 2 and 3 January are holidays on a weekend, moved by the decree', () => {
      expect(calendar.calendar.factsOf('2027-01-07')).toMatchObject({ kind: 'holiday', name: 'Рождество Христово' });
      expect(calendar.calendar.factsOf('2027-01-08')).toMatchObject({ kind: 'holiday', weekday: 5 });
      expect(calendar.calendar.factsOf('2027-01-09')).toMatchObject({ kind: 'weekend' });
      expect(calendar.calendar.factsOf('2027-01-11')).toMatchObject({ kind: 'weekday' });
    });

    it('Saturday 20 February is a working day, shortened before the holidays: Friday 19 February + 1 working day → Saturday 20 February 17:00', () => {
      expect(calendar.addWorkingDays(msk('2027-02-19T12:00'), 1)).toEqual(msk('2027-02-20T17:00'));
      expect(calendar.isWorkingInstant(msk('2027-02-20T10:00'))).toBe(true);
      expect(calendar.isWorkingInstant(msk('2027-02-20T17:30'))).toBe(false);
    });

    it('a post at 17:00 on Friday 19 February + 2 working hours is due on the working Saturday at 10:00', () => {
      expect(calendar.addWorkingHours(msk('2027-02-19T17:00'), 2)).toEqual(msk('2027-02-20T10:00'));
    });

    it('22 February (the day off moved from 20 February) and 23 February are off: Saturday 20 February + 1 working day → Wednesday 24 February 18:00', () => {
      expect(calendar.addWorkingDays(msk('2027-02-20T12:00'), 1)).toEqual(msk('2027-02-24T18:00'));
      expect(calendar.calendar.factsOf('2027-02-22')).toMatchObject({ kind: 'day_off', name: 'Перенесённый выходной (с 20.02)' });
    });

    it('8 March is a Monday holiday: Friday 5 March (not shortened: no holiday the next day) + 1 working day → Tuesday 9 March 18:00', () => {
      expect(calendar.calendar.factsOf('2027-03-05')).toMatchObject({ kind: 'weekday' });
      expect(calendar.addWorkingDays(msk('2027-03-05T12:00'), 1)).toEqual(msk('2027-03-09T18:00'));
    });

    it('the May holidays: 30 April (shortened) + 3 working days skip 1–2 May and Monday 3 May (moved from 1 May) → Thursday 6 May 18:00', () => {
      expect(calendar.addWorkingDays(msk('2027-04-30T12:00'), 3)).toEqual(msk('2027-05-06T18:00'));
    });

    it('a post at 16:00 on the shortened 30 April + 2 working hours: 16:00–17:00, then Tuesday 4 May 09:00–10:00', () => {
      expect(calendar.addWorkingHours(msk('2027-04-30T16:00'), 2)).toEqual(msk('2027-05-04T10:00'));
    });

    it('Victory Day on a Sunday: Friday 7 May + 1 working day skips Monday 10 May (moved from 9 May) → Tuesday 11 May 18:00', () => {
      expect(calendar.addWorkingDays(msk('2027-05-07T12:00'), 1)).toEqual(msk('2027-05-11T18:00'));
    });

    it('Russia Day on a Saturday: 16:30 on the shortened Friday 11 June + 1 working hour → Tuesday 15 June 09:30 (14 June off)', () => {
      expect(calendar.addWorkingHours(msk('2027-06-11T16:30'), 1)).toEqual(msk('2027-06-15T09:30'));
    });

    it('4–5 November: the shortened Wednesday 3 November + 1 working day skips the holiday and Friday 5 November (moved from 2 January) → Monday 8 November 18:00', () => {
      expect(calendar.addWorkingDays(msk('2027-11-03T12:00'), 1)).toEqual(msk('2027-11-08T18:00'));
      expect(calendar.addWorkingDays(msk('2027-11-02T12:00'), 1)).toEqual(msk('2027-11-03T17:00'));
    });

    it('31 December is a day off (moved from 3 January): a 59-ФЗ appeal of 1 December + 30 days lands on it and rolls into 2028, which is refused', () => {
      expect(calendar.calendar.factsOf('2027-12-31')).toMatchObject({ kind: 'day_off', name: 'Перенесённый выходной (с 03.01)' });
      expect(() => calendar.addCalendarDays(msk('2027-12-01T10:00'), 30)).toThrow(MissingCalendarYearError);
      expect(calendar.addCalendarDays(msk('2027-11-30T10:00'), 30)).toEqual(msk('2027-12-30T18:00'));
    });
  });

  describe('a year without a decree', () => {
    it('refuses to count in 2028 instead of guessing', () => {
      expect(() => calendar.addWorkingDays(msk('2028-03-01T10:00'), 1)).toThrow(MissingCalendarYearError);
      expect(() => calendar.addWorkingHours(msk('2028-03-01T10:00'), 1)).toThrow(MissingCalendarYearError);
      expect(() => calendar.addCalendarDays(msk('2028-03-01T10:00'), 1)).toThrow(MissingCalendarYearError);
    });

    it('refuses a count that runs from 2027 into 2028 and names the year', () => {
      let error: unknown;
      try {
        calendar.addWorkingDays(msk('2027-12-29T10:00'), 3);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(MissingCalendarYearError);
      expect((error as MissingCalendarYearError).year).toBe(2028);
      expect((error as Error).message).toContain('2028');
    });

    it('refuses 2022 as well (the data starts in 2023)', () => {
      expect(() => calendar.addWorkingDays(msk('2022-06-01T10:00'), 1)).toThrow(MissingCalendarYearError);
    });
  });

  describe('yearly totals of the decrees', () => {
    const totals = (year: number) =>
      (JSON.parse(readFileSync(join(CONFIG_DIR, 'calendar', `ru-${year}.json`), 'utf8')) as { totals: { workingDays: number } }).totals;

    it('the decree totals are the known ones: 2023 → 247, 2024 → 248, 2025 → 247, 2026 → 247, 2027 → 247', () => {
      expect([2023, 2024, 2025, 2026, 2027].map((y) => totals(y).workingDays)).toEqual([247, 248, 247, 247, 247]);
    });

    it.each([2023, 2024, 2025, 2026])('the calendar counts exactly totals.workingDays working days in %i', (year) => {
      const n = totals(year).workingDays;
      const fromNewYearsEve = msk(`${year - 1}-12-31T12:00`);
      // The N-th working day after 31 December is still in the year, the (N+1)-th is in the next one.
      expect(calendar.addWorkingDays(fromNewYearsEve, n).getUTCFullYear()).toBe(year);
      expect(calendar.addWorkingDays(fromNewYearsEve, n + 1).getUTCFullYear()).toBe(year + 1);
    });

    it('the calendar counts exactly totals.workingDays working days in 2027, and the next one needs 2028', () => {
      const n = totals(2027).workingDays;
      const fromNewYearsEve = msk('2026-12-31T12:00');
      expect(calendar.addWorkingDays(fromNewYearsEve, n)).toEqual(msk('2027-12-30T18:00'));
      expect(() => calendar.addWorkingDays(fromNewYearsEve, n + 1)).toThrow(MissingCalendarYearError);
    });

    it('2027 counts 247 office days of 9 h, less one hour on each of its 4 shortened days', () => {
      // The office day is 09:00–18:00; the decree's 1972 h of a 40-hour week are the same days at 8 h: 247 × 8 − 4.
      expect(calendar.workingTimeBetween(msk('2027-01-01T00:00'), msk('2027-12-31T23:59'))).toBe((247 * 9 - 4) * 3_600_000);
    });

    it('the last working day of each year is the one in the decree', () => {
      // 2023: Fri 29.12 (30–31 weekend); 2024: Sat 28.12 (30–31 days off); 2025: Tue 30.12 (31.12 day off);
      // 2026: Wed 30.12 (31.12 day off); 2027: Thu 30.12 (31.12 day off, transferred from 3 January).
      expect(calendar.addWorkingDays(msk('2022-12-31T12:00'), 247)).toEqual(msk('2023-12-29T18:00'));
      expect(calendar.addWorkingDays(msk('2023-12-31T12:00'), 248)).toEqual(msk('2024-12-28T18:00'));
      expect(calendar.addWorkingDays(msk('2024-12-31T12:00'), 247)).toEqual(msk('2025-12-30T18:00'));
      expect(calendar.addWorkingDays(msk('2025-12-31T12:00'), 247)).toEqual(msk('2026-12-30T18:00'));
    });
  });

  describe('properties over pseudo-random starts 2023–2027 (fixed seed)', () => {
    const DAY = 86_400_000;
    const special = new Map(years.flatMap((y) => y.days).map((d) => [d.date, d.kind]));
    /** An independent reading of the production calendar, for the checks. */
    const oracle = {
      isWorking(date: string): boolean {
        const kind = special.get(date);
        if (kind) return kind === 'shortened' || kind === 'working_weekend';
        const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
        return weekday !== 0 && weekday !== 6;
      },
      closes(date: string): number {
        return special.get(date) === 'shortened' ? 17 * 60 : 18 * 60;
      },
      /** Moscow date and minute of an instant. */
      local(instant: Date): { date: string; minute: number } {
        const shifted = new Date(instant.getTime() + 3 * 3_600_000);
        return { date: shifted.toISOString().slice(0, 10), minute: shifted.getUTCHours() * 60 + shifted.getUTCMinutes() };
      },
      nextDate(date: string): string {
        return new Date(Date.parse(`${date}T00:00:00Z`) + DAY).toISOString().slice(0, 10);
      },
      /** Office minutes between two instants (whole minutes). */
      officeMinutesBetween(from: Date, to: Date): number {
        const a = this.local(from);
        const b = this.local(to);
        let total = 0;
        for (let date = a.date; date <= b.date; date = this.nextDate(date)) {
          if (!this.isWorking(date)) continue;
          const start = Math.max(9 * 60, date === a.date ? a.minute : 0);
          const end = Math.min(this.closes(date), date === b.date ? b.minute : 24 * 60);
          total += Math.max(0, end - start);
        }
        return total;
      },
      workingDaysAfter(fromDate: string, toDate: string): number {
        let count = 0;
        for (let date = this.nextDate(fromDate); date <= toDate; date = this.nextDate(date)) if (this.isWorking(date)) count++;
        return count;
      },
    };

    const random = prng(20240507);
    const FROM = Date.parse('2023-01-01T00:00:00+03:00');
    const TO = Date.parse('2027-10-31T00:00:00+03:00'); // leaves room for the terms before 2028
    const cases = Array.from({ length: 400 }, () => ({
      start: new Date(FROM + Math.floor(random() * ((TO - FROM) / 60_000)) * 60_000),
      hours: 1 + Math.floor(random() * 40),
      days: Math.floor(random() * 25),
    }));

    it('generates varied starts (weekends, holidays, nights included)', () => {
      const dates = cases.map((c) => oracle.local(c.start).date);
      expect(dates.some((d) => !oracle.isWorking(d))).toBe(true);
      expect(cases.some((c) => oracle.local(c.start).minute < 9 * 60)).toBe(true);
      expect(new Set(dates.map((d) => d.slice(0, 4)))).toEqual(new Set(['2023', '2024', '2025', '2026', '2027']));
    });

    it('addWorkingHours ends inside the office time of a working day, after exactly N office hours', () => {
      for (const { start, hours } of cases) {
        const due = calendar.addWorkingHours(start, hours);
        const { date, minute } = oracle.local(due);
        const context = `${start.toISOString()} + ${hours} h = ${due.toISOString()}`;
        expect({ context, working: oracle.isWorking(date) }).toEqual({ context, working: true });
        expect({ context, inOffice: minute > 9 * 60 && minute <= oracle.closes(date) }).toEqual({ context, inOffice: true });
        expect({ context, minutes: oracle.officeMinutesBetween(start, due) }).toEqual({ context, minutes: hours * 60 });
      }
    });

    it('addWorkingDays ends at the close of the N-th working day after the start date', () => {
      for (const { start, days } of cases) {
        const due = calendar.addWorkingDays(start, days);
        const startDate = oracle.local(start).date;
        const { date, minute } = oracle.local(due);
        const context = `${start.toISOString()} + ${days} d = ${due.toISOString()}`;
        expect({ context, working: oracle.isWorking(date) }).toEqual({ context, working: true });
        expect({ context, minute }).toEqual({ context, minute: oracle.closes(date) });
        if (days > 0) {
          expect({ context, counted: oracle.workingDaysAfter(startDate, date) }).toEqual({ context, counted: days });
        } else {
          // 0 days: the start date itself if it is a working day, otherwise the next working day.
          expect({ context, counted: oracle.workingDaysAfter(startDate, date) }).toEqual({
            context,
            counted: oracle.isWorking(startDate) ? 0 : 1,
          });
        }
      }
    });

    it('addWorkingDays is strictly increasing in N for N >= 1', () => {
      for (const { start, days } of cases) {
        const n = Math.max(days, 1);
        const due = calendar.addWorkingDays(start, n).getTime();
        const next = calendar.addWorkingDays(start, n + 1).getTime();
        expect({ start: start.toISOString(), n, increasing: next > due }).toEqual({ start: start.toISOString(), n, increasing: true });
      }
    });

    it('0 and 1 working days coincide exactly when the start date is not a working day (both: the first working day after it)', () => {
      let coinciding = 0;
      for (const { start } of cases) {
        const zero = calendar.addWorkingDays(start, 0).getTime();
        const one = calendar.addWorkingDays(start, 1).getTime();
        const startIsWorking = oracle.isWorking(oracle.local(start).date);
        if (!startIsWorking) coinciding++;
        expect({ start: start.toISOString(), same: zero === one }).toEqual({ start: start.toISOString(), same: !startIsWorking });
      }
      expect(coinciding).toBeGreaterThan(0);
    });

    it('addWorkingHours is strictly increasing in N', () => {
      for (const { start, hours } of cases) {
        const n = calendar.addWorkingHours(start, hours).getTime();
        const next = calendar.addWorkingHours(start, hours + 1).getTime();
        expect({ start: start.toISOString(), hours, increasing: next > n }).toEqual({ start: start.toISOString(), hours, increasing: true });
      }
    });
  });
});
