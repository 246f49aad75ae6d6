import { FixedOffsetZone } from '@cur/calendar';
import { previousPeriod, ratingPeriod } from '../rating-period';

const MOSCOW = FixedOffsetZone.of('Europe/Moscow', 180);
const iso = (d: Date) => d.toISOString();

describe('rating periods in Moscow time', () => {
  it('a month: [the 1st 00:00, the next 1st 00:00)', () => {
    const p = ratingPeriod('month', 2026, 11, MOSCOW);
    expect([iso(p.from), iso(p.to), p.title]).toEqual(['2026-10-31T21:00:00.000Z', '2026-11-30T21:00:00.000Z', 'ноябрь 2026']);
  });

  it('a quarter: three months, titled in Roman numerals', () => {
    const p = ratingPeriod('quarter', 2026, 4, MOSCOW);
    expect([iso(p.from), iso(p.to), p.title]).toEqual(['2026-09-30T21:00:00.000Z', '2026-12-31T21:00:00.000Z', 'IV квартал 2026']);
  });

  it('the previous period crosses the year: January → December, the first quarter → the fourth', () => {
    expect(previousPeriod(ratingPeriod('month', 2027, 1, MOSCOW), MOSCOW)).toMatchObject({ kind: 'month', year: 2026, number: 12, title: 'декабрь 2026' });
    expect(previousPeriod(ratingPeriod('quarter', 2027, 1, MOSCOW), MOSCOW)).toMatchObject({ kind: 'quarter', year: 2026, number: 4 });
    expect(previousPeriod(ratingPeriod('quarter', 2026, 3, MOSCOW), MOSCOW)).toMatchObject({ year: 2026, number: 2, title: 'II квартал 2026' });
  });
});
