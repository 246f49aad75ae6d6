import { DEFAULT_SEMANTICS, FixedOffsetZone, officeSchedule, ProductionCalendar, WorkingTime } from '..';
import { msk, projectCalendarYears } from './helpers';

const calendar = new ProductionCalendar(projectCalendarYears());
const time = new WorkingTime(calendar);

/** The four examples of the deadlines issue, each with the reasons a person would check by hand. */
describe('explained due dates: the examples a dispute would start from', () => {
  it('7 March 2025 16:00 + 2 working hours → 10 March 10:00: the shortened 7 March gives one hour, 8 March is a Saturday holiday', () => {
    const e = time.explain(msk('2025-03-07T16:00'), { amount: 2, unit: 'working_hours' });
    expect(e.due).toBe('2025-03-10T10:00:00+03:00');
    expect(e.start).toBe('2025-03-07T16:00:00+03:00');
    expect(e.counted).toEqual([
      { date: '2025-03-07', weekday: 5, from: '16:00', to: '17:00', minutes: 60, shortened: true, workingWeekend: false },
      { date: '2025-03-10', weekday: 1, from: '09:00', to: '10:00', minutes: 60, shortened: false, workingWeekend: false },
    ]);
    expect(e.skipped).toEqual([
      { date: '2025-03-08', weekday: 6, reason: 'holiday', name: 'Международный женский день' },
      { date: '2025-03-09', weekday: 7, reason: 'weekend' },
    ]);
    expect(e.shortened).toEqual([{ date: '2025-03-07', closesAt: '17:00' }]);
    expect(e.lines.join('\n')).toContain('08.03.2025 (сб) — нерабочий праздничный день «Международный женский день»');
    expect(e.lines.at(-1)).toBe('Срок истекает: 10.03.2025 10:00 (Europe/Moscow, UTC+03:00).');
  });

  it('7 May 2024 12:00 + 3 working days → 14 May 18:00: 8 May shortened counts, 9 May holiday and 10 May transferred day off do not', () => {
    const e = time.explain(msk('2024-05-07T12:00'), { amount: 3, unit: 'working_days' });
    expect(e.due).toBe('2024-05-14T18:00:00+03:00');
    expect(e.counted.map((c) => [c.ordinal, c.date, c.shortened])).toEqual([
      [1, '2024-05-08', true],
      [2, '2024-05-13', false],
      [3, '2024-05-14', false],
    ]);
    expect(e.skipped.map((s) => [s.date, s.reason, s.name ?? null])).toEqual([
      ['2024-05-09', 'holiday', 'День Победы'],
      ['2024-05-10', 'day_off', 'Перенесённый выходной (с 06.01)'],
      ['2024-05-11', 'weekend', null],
      ['2024-05-12', 'weekend', null],
    ]);
    expect(e.rule).toContain('ГК ст. 191');
  });

  it('26 April 2024 12:00 + 1 working day → Saturday 27 April 18:00, a working Saturday by transfer', () => {
    const e = time.explain(msk('2024-04-26T12:00'), { amount: 1, unit: 'working_days' });
    expect(e.due).toBe('2024-04-27T18:00:00+03:00');
    expect(e.counted).toEqual([{ date: '2024-04-27', weekday: 6, ordinal: 1, shortened: false, workingWeekend: true }]);
    expect(e.lines.join('\n')).toContain('рабочий выходной по переносу');
  });

  it('30 January 2026 09:00 + 30 calendar days → 2 March 18:00: 1 March is a Sunday, ст. 193 moves the end', () => {
    const e = time.explain(msk('2026-01-30T09:00'), { amount: 30, unit: 'calendar_days' });
    expect(e.due).toBe('2026-03-02T18:00:00+03:00');
    expect(e.nominalEnd).toBe('2026-03-01');
    expect(e.movedTo).toBe('2026-03-02');
    expect(e.skipped).toEqual([{ date: '2026-03-01', weekday: 7, reason: 'weekend' }]);
    expect(e.rule).toContain('ГК ст. 193');
  });

  it('4 working hours from 17:00 on the shortened 22 February 2024: that day is already closed, so 26 February 09:00–13:00', () => {
    const e = time.explain(msk('2024-02-22T17:00'), { amount: 4, unit: 'working_hours' });
    expect(e.due).toBe('2024-02-26T13:00:00+03:00');
    expect(e.skipped.map((s) => [s.date, s.reason])).toEqual([
      ['2024-02-22', 'office_closed'],
      ['2024-02-23', 'holiday'],
      ['2024-02-24', 'weekend'],
      ['2024-02-25', 'weekend'],
    ]);
    expect(e.shortened).toEqual([{ date: '2024-02-22', closesAt: '17:00' }]);
    expect(e.counted).toEqual([{ date: '2024-02-26', weekday: 1, from: '09:00', to: '13:00', minutes: 240, shortened: false, workingWeekend: false }]);
  });

  it('the explanation of a term is the same due date add() gives', () => {
    for (const [start, term] of [
      ['2024-12-27T17:30', { amount: 10, unit: 'working_days' as const }],
      ['2025-12-30T12:00', { amount: 5, unit: 'working_days' as const }],
      ['2023-02-22T16:30', { amount: 9, unit: 'working_hours' as const }],
      ['2025-04-01T10:00', { amount: 30, unit: 'calendar_days' as const }],
    ] as const) {
      expect(time.explain(msk(start), term).due).toBe(time.zone.format(time.add(msk(start), term)));
    }
  });
});

describe('scenarios across 2023–2026', () => {
  it('New Year 2023: a ПОС message of 30 December 2022 is refused — the project has no 2022 decree', () => {
    expect(() => time.add(msk('2022-12-30T10:00'), { amount: 10, unit: 'working_days' })).toThrow('2022');
  });

  it('New Year 2024: 29 December 2023 (Friday) + 1 working day → 9 January 2024 18:00 (1–8 January off)', () => {
    expect(time.add(msk('2023-12-29T15:00'), { amount: 1, unit: 'working_days' })).toEqual(msk('2024-01-09T18:00'));
  });

  it('New Year 2026: 9 January 2026 is a transferred day off, so 31 December 2025 + 1 working day → 12 January 2026', () => {
    const e = time.explain(msk('2025-12-31T10:00'), { amount: 1, unit: 'working_days' });
    expect(e.due).toBe('2026-01-12T18:00:00+03:00');
    expect(e.skipped.find((s) => s.date === '2026-01-09')).toMatchObject({ reason: 'day_off' });
  });

  it('May 2023: 28 April + 9 working hours → 2 May 17:00 (1 May holiday; 28 April Friday 16:00–18:00, 2 May 09:00–16:00)', () => {
    expect(time.add(msk('2023-04-28T16:00'), { amount: 9, unit: 'working_hours' })).toEqual(msk('2023-05-02T16:00'));
  });

  it('a working Saturday that is also shortened: 2 November 2024 closes 17:00, so 16:00 + 2 h → 5 November 10:00', () => {
    // ru-2024.json: 2 November (Saturday) is a shortened working day; 3 November Sunday, 4 November holiday.
    const e = time.explain(msk('2024-11-02T16:00'), { amount: 2, unit: 'working_hours' });
    expect(e.due).toBe('2024-11-05T10:00:00+03:00');
    expect(e.counted[0]).toMatchObject({ date: '2024-11-02', from: '16:00', to: '17:00', shortened: true, workingWeekend: true });
  });

  it('a 59-ФЗ appeal registered 29 December 2025: 30 days → 28 January 2026, a Wednesday, no move', () => {
    expect(time.add(msk('2025-12-29T11:00'), { amount: 30, unit: 'calendar_days' })).toEqual(msk('2026-01-28T18:00'));
  });

  it('a 30-day term ending in the New Year holidays moves to the first working day: 5 December 2024 + 30 → 9 January 2025', () => {
    const e = time.explain(msk('2024-12-05T11:00'), { amount: 30, unit: 'calendar_days' });
    expect(e.nominalEnd).toBe('2025-01-04');
    expect(e.due).toBe('2025-01-09T18:00:00+03:00');
    expect(e.skipped.map((s) => s.date)).toEqual(['2025-01-04', '2025-01-05', '2025-01-06', '2025-01-07', '2025-01-08']);
  });
});

describe('other semantics, as configured', () => {
  it('end of day: a day term ends at the last millisecond of the day instead of the office close', () => {
    const endOfDay = new WorkingTime(calendar, undefined, undefined, { ...DEFAULT_SEMANTICS, dayTermEndsAt: 'end_of_day' });
    expect(endOfDay.add(msk('2024-05-07T12:00'), { amount: 3, unit: 'working_days' })).toEqual(msk('2024-05-14T23:59:59.999'));
    expect(endOfDay.add(msk('2026-01-30T09:00'), { amount: 30, unit: 'calendar_days' })).toEqual(msk('2026-03-02T23:59:59.999'));
  });

  it('counting the start day: 7 May 2024 is the first of 3 working days → 13 May', () => {
    const startDay = new WorkingTime(calendar, undefined, undefined, { ...DEFAULT_SEMANTICS, workingDaysCountStartDay: true });
    expect(startDay.add(msk('2024-05-07T12:00'), { amount: 3, unit: 'working_days' })).toEqual(msk('2024-05-13T18:00'));
    expect(startDay.add(msk('2024-05-07T12:00'), { amount: 1, unit: 'working_days' })).toEqual(msk('2024-05-07T18:00'));
    // A start after the office closed does not count its own day: never due before it started.
    expect(startDay.add(msk('2024-05-06T20:00'), { amount: 1, unit: 'working_days' })).toEqual(msk('2024-05-07T18:00'));
  });

  it('no roll forward: 30 calendar days ending on Sunday 1 March 2026 end on that Sunday', () => {
    const strict = new WorkingTime(calendar, undefined, undefined, { ...DEFAULT_SEMANTICS, calendarDaysRollForward: false, dayTermEndsAt: 'end_of_day' });
    expect(strict.add(msk('2026-01-30T09:00'), { amount: 30, unit: 'calendar_days' })).toEqual(msk('2026-03-01T23:59:59.999'));
  });
});

describe('an organization’s own office hours', () => {
  const shortFriday = new WorkingTime(
    calendar,
    officeSchedule({ opensAt: '08:00', closesAt: '17:00', byWeekday: { '5': { opensAt: '08:00', closesAt: '15:45' } } }),
  );

  it('a Friday closing 15:45: Friday 15:00 + 1 working hour → Monday 08:15', () => {
    expect(shortFriday.add(msk('2024-03-15T15:00'), { amount: 1, unit: 'working_hours' })).toEqual(msk('2024-03-18T08:15'));
  });

  it('a working day ends at the organization’s close: Thursday + 1 working day → Friday 15:45', () => {
    expect(shortFriday.add(msk('2024-03-14T10:00'), { amount: 1, unit: 'working_days' })).toEqual(msk('2024-03-15T15:45'));
  });

  it('a shortened Friday closes an hour before its own close: 22 February 2024 is Thursday, 17:00 − 1 h = 16:00', () => {
    expect(shortFriday.officeHoursOn('2024-02-22')).toEqual({ opensAt: 8 * 60, closesAt: 16 * 60 });
  });

  it('a pre-holiday Friday is no working day for an office working Monday to Thursday: Thursday 6 March 2025 + 1 → Monday 10 March', () => {
    const fourDays = new WorkingTime(calendar, officeSchedule({ opensAt: '09:00', closesAt: '18:00', weekdays: [1, 2, 3, 4] }));
    expect(fourDays.officeHoursOn('2025-03-07')).toBeNull();
    expect(fourDays.add(msk('2025-03-06T10:00'), { amount: 1, unit: 'working_days' })).toEqual(msk('2025-03-10T18:00'));
  });

  it('an office working Saturdays counts ordinary Saturdays but not holidays falling on them', () => {
    const sixDays = new WorkingTime(calendar, officeSchedule({ opensAt: '09:00', closesAt: '15:00', weekdays: [1, 2, 3, 4, 5, 6] }));
    expect(sixDays.add(msk('2024-03-15T12:00'), { amount: 1, unit: 'working_days' })).toEqual(msk('2024-03-16T15:00'));
    // 8 March 2025 is a Saturday holiday.
    expect(sixDays.add(msk('2025-03-07T12:00'), { amount: 1, unit: 'working_days' })).toEqual(msk('2025-03-10T15:00'));
  });

  it('refuses schedules that cannot be counted on', () => {
    expect(() => officeSchedule({ opensAt: '18:00', closesAt: '09:00' })).toThrow('before it opens');
    expect(() => officeSchedule({ opensAt: '09:00', closesAt: '18:00', weekdays: [] })).toThrow('at least one working weekday');
    expect(() => officeSchedule({ opensAt: '09:00', closesAt: '09:30' })).toThrow('too short');
    expect(() => officeSchedule({ opensAt: '09:00', closesAt: '18:00', byWeekday: { '6': { opensAt: '10:00', closesAt: '14:00' } } })).toThrow('byWeekday.6');
  });
});

describe('time zones', () => {
  it('reads Europe/Moscow as UTC+03:00 for 2023–2026 from the time zone database', () => {
    expect(FixedOffsetZone.resolve('Europe/Moscow', [2023, 2024, 2025, 2026]).offsetMinutes).toBe(180);
    expect(FixedOffsetZone.resolve('Asia/Yekaterinburg', [2025]).offsetText).toBe('+05:00');
  });

  it('refuses a zone with daylight saving time: one offset per zone is what the counting relies on', () => {
    expect(() => FixedOffsetZone.resolve('Europe/Berlin', [2025])).toThrow('changes its UTC offset');
  });

  it('formats instants with the zone offset, to the second', () => {
    const zone = FixedOffsetZone.of('Europe/Moscow', 180);
    expect(zone.format(new Date('2024-05-14T15:00:00Z'))).toBe('2024-05-14T18:00:00+03:00');
    expect(zone.formatRussian(new Date('2024-05-14T15:00:30Z'))).toBe('14.05.2024 18:00:30');
  });
});
