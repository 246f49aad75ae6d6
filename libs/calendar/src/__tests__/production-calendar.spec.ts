import { labourCodeYear, MissingCalendarYearError, ProductionCalendar, WorkingTime } from '..';
import { msk, projectCalendarYears } from './helpers';

describe('ProductionCalendar', () => {
  const calendar = new ProductionCalendar(projectCalendarYears());

  it('tells the kind of a day and its name', () => {
    expect(calendar.factsOf('2025-03-08')).toEqual({ date: '2025-03-08', weekday: 6, kind: 'holiday', name: 'Международный женский день', derived: false });
    expect(calendar.factsOf('2024-04-27')).toMatchObject({ kind: 'working_weekend' });
    expect(calendar.factsOf('2024-04-29')).toMatchObject({ kind: 'day_off', name: 'Перенесённый выходной (с 27.04)' });
    expect(calendar.factsOf('2025-03-07')).toMatchObject({ kind: 'shortened' });
    expect(calendar.factsOf('2025-03-11')).toEqual({ date: '2025-03-11', weekday: 2, kind: 'weekday', derived: false });
    expect(calendar.factsOf('2025-03-16')).toMatchObject({ kind: 'weekend', weekday: 7 });
  });

  it('refuses a year without a decree by default, naming it', () => {
    expect(() => calendar.factsOf('2028-01-10')).toThrow(MissingCalendarYearError);
    expect(() => calendar.factsOf('2028-01-10')).toThrow('2028');
  });

  it('refuses the same year twice and a day outside its year', () => {
    expect(
      () =>
        new ProductionCalendar([
          { year: 2025, days: [] },
          { year: 2025, days: [] },
        ]),
    ).toThrow('twice');
    expect(() => new ProductionCalendar([{ year: 2025, days: [{ date: '2024-12-31', kind: 'holiday' }] }])).toThrow('outside');
    expect(() => new ProductionCalendar([{ year: 2025, days: [{ date: '2025-02-30', kind: 'holiday' }] }])).toThrow('no such date');
  });
});

describe('the Labour Code fallback for a year without a decree', () => {
  it('derives 2027 from ТК ст. 112 and ст. 95: holidays, weekend holidays moved, pre-holiday days shortened', () => {
    const days = new Map(labourCodeYear(2027).map((d) => [d.date, d]));
    for (const date of ['2027-01-01', '2027-01-07', '2027-01-08', '2027-02-23', '2027-03-08', '2027-05-01', '2027-05-09', '2027-06-12', '2027-11-04']) {
      expect(days.get(date)?.kind).toBe('holiday');
    }
    // 1 May 2027 is a Saturday, 9 May a Sunday, 12 June a Saturday: the next working days are off.
    expect(days.get('2027-05-03')?.kind).toBe('day_off');
    expect(days.get('2027-05-10')?.kind).toBe('day_off');
    expect(days.get('2027-06-14')?.kind).toBe('day_off');
    // 23 February 2027 is a Tuesday: Monday 22 February is shortened; 8 March is a Monday after a weekend: none.
    expect(days.get('2027-02-22')?.kind).toBe('shortened');
    expect(days.get('2027-03-05')).toBeUndefined();
    expect(days.get('2027-11-03')?.kind).toBe('shortened');
    // January holidays on a weekend are moved only by the decree, which the fallback cannot know.
    expect([...days.values()].filter((d) => d.kind === 'day_off').every((d) => !d.date.startsWith('2027-01'))).toBe(true);
  });

  it('the 2027 decree (№ 1187) differs from the Labour Code alone exactly by the government’s transfers', () => {
    const decree = new Map(
      projectCalendarYears()
        .find((y) => y.year === 2027)!
        .days.map((d) => [d.date, d.kind]),
    );
    const derived = new Map(labourCodeYear(2027).map((d) => [d.date, d.kind]));
    const differing = [...new Set([...decree.keys(), ...derived.keys()])].sort().filter((date) => decree.get(date) !== derived.get(date));
    // 20 Feb (Sat) → 22 Feb: the Saturday works a shortened day, Monday is off instead of shortened;
    // 2 Jan → 5 Nov and 3 Jan → 31 Dec: the two January weekend holidays only the decree moves.
    expect(differing.map((date) => [date, decree.get(date) ?? null, derived.get(date) ?? null])).toEqual([
      ['2027-02-20', 'shortened', null],
      ['2027-02-22', 'day_off', 'shortened'],
      ['2027-11-05', 'day_off', null],
      ['2027-12-31', 'day_off', null],
    ]);
  });

  it('counts into a year without a decree only when configured to, and then warns once, loudly', () => {
    const warnings: string[] = [];
    const calendar = new ProductionCalendar(projectCalendarYears(), { missingYear: 'labour-code', warn: (m) => warnings.push(m) });
    const time = new WorkingTime(calendar);
    const e = time.explain(msk('2027-12-30T12:00'), { amount: 3, unit: 'working_days' });
    // 31 December 2027 is a transferred day off (ru-2027.json); 1–8 January 2028 holidays by ст. 112,
    // 9 January a Sunday; 10 (1), 11 (2), 12 (3).
    expect(e.due).toBe('2028-01-12T18:00:00+03:00');
    expect(e.derivedYears).toEqual([2028]);
    expect(e.lines.join('\n')).toContain('ВНИМАНИЕ');
    time.add(msk('2028-03-01T10:00'), { amount: 1, unit: 'working_days' });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('2028');
    // 4 November 2028 is a Saturday: Monday 6 November is off by ст. 112 itself.
    expect(calendar.factsOf('2028-11-06')).toMatchObject({ kind: 'day_off', derived: true });
  });
});
