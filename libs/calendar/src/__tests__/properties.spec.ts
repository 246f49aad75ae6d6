import { MS_PER_HOUR, officeSchedule, ProductionCalendar, WorkingTime } from '..';
import { prng, projectCalendarYears } from './helpers';

const calendar = new ProductionCalendar(projectCalendarYears());
const schedules = {
  'Monday–Friday 09:00–18:00': new WorkingTime(calendar),
  'a short Friday and a Saturday': new WorkingTime(
    calendar,
    officeSchedule({
      opensAt: '08:30',
      closesAt: '17:30',
      weekdays: [1, 2, 3, 4, 5, 6],
      byWeekday: { '5': { opensAt: '08:30', closesAt: '16:15' }, '6': { opensAt: '10:00', closesAt: '14:00' } },
    }),
  ),
};

const random = prng(20251231);
const FROM = Date.parse('2023-01-01T00:00:00+03:00');
const TO = Date.parse('2026-10-31T00:00:00+03:00');
// Starts to the second, as receipt times are.
const cases = Array.from({ length: 300 }, () => ({
  start: new Date(FROM + Math.floor(random() * ((TO - FROM) / 1000)) * 1000),
  hours: 1 + Math.floor(random() * 60),
  days: 1 + Math.floor(random() * 30),
}));

describe.each(Object.entries(schedules))('working time properties (%s)', (_, time) => {
  it('adding N working hours and measuring the office time back gives exactly N hours', () => {
    for (const { start, hours } of cases) {
      const due = time.addWorkingHours(start, hours);
      expect({ start: start.toISOString(), hours, measured: time.workingTimeBetween(start, due) / MS_PER_HOUR }).toEqual({
        start: start.toISOString(),
        hours,
        measured: hours,
      });
    }
  });

  it('subtracting what was added gives back the start, or the opening it was counted from', () => {
    for (const { start, hours } of cases) {
      const due = time.addWorkingHours(start, hours);
      const back = time.subtractWorkingTime(due, hours * MS_PER_HOUR);
      expect({ start: start.toISOString(), back: back.toISOString() }).toEqual({ start: start.toISOString(), back: time.nextOpening(start).toISOString() });
    }
  });

  it('a due date never falls outside office time: an hour term ends inside an office interval, a day term at a close', () => {
    for (const { start, hours, days } of cases) {
      const hourDue = time.addWorkingHours(start, hours);
      // The instant just before the due is office time (the due is the end of the last counted minute).
      expect({ start: start.toISOString(), inside: time.isWorkingInstant(new Date(hourDue.getTime() - 1)) }).toEqual({
        start: start.toISOString(),
        inside: true,
      });
      const dayDue = time.addWorkingDays(start, days);
      const date = time.zone.format(dayDue).slice(0, 10);
      const hoursThatDay = time.officeHoursOn(date);
      expect({ start: start.toISOString(), days, close: hoursThatDay && time.zone.format(dayDue).slice(11, 16) }).toEqual({
        start: start.toISOString(),
        days,
        close: hoursThatDay && `${String(Math.floor(hoursThatDay.closesAt / 60)).padStart(2, '0')}:${String(hoursThatDay.closesAt % 60).padStart(2, '0')}`,
      });
      const calendarDue = time.addCalendarDays(start, days);
      expect(time.isWorkingDay(time.zone.format(calendarDue).slice(0, 10))).toBe(true);
    }
  });

  it('working time between is additive over any midpoint', () => {
    for (const { start, hours, days } of cases) {
      const mid = new Date(start.getTime() + days * 3_600_000 * 7);
      const end = new Date(start.getTime() + (days + hours) * 3_600_000 * 7);
      expect(time.workingTimeBetween(start, mid) + time.workingTimeBetween(mid, end)).toBe(time.workingTimeBetween(start, end));
    }
  });

  it('explaining a term gives the same instant as adding it', () => {
    for (const { start, hours, days } of cases.slice(0, 100)) {
      for (const term of [
        { amount: hours, unit: 'working_hours' as const },
        { amount: days, unit: 'working_days' as const },
        { amount: days, unit: 'calendar_days' as const },
      ]) {
        expect(time.explain(start, term).due).toBe(time.zone.format(time.add(start, term)));
      }
    }
  });
});
