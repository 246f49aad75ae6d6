import { isoText } from '../json-rows';

describe('isoText (the dates of multi-row statements)', () => {
  it('writes a date as JSON.stringify does, the same instant again from memory', () => {
    const dates = [new Date('2026-12-05T01:13:00.000Z'), new Date(0), new Date(-1), new Date('1999-01-01T23:59:59.999+03:00'), new Date(8.64e15)];
    for (const date of [...dates, ...dates.map((d) => new Date(d.getTime()))]) expect(JSON.stringify(isoText(date))).toBe(JSON.stringify(date));
  });

  it('writes an invalid date as null, as JSON.stringify does (toISOString would throw)', () => {
    expect(isoText(new Date(Number.NaN))).toBeNull();
    expect(JSON.stringify(new Date(Number.NaN))).toBe('null');
  });

  it('stays right past the size of its memory', () => {
    const start = Date.UTC(2026, 0, 1);
    for (let i = 0; i < 10_000; i++) {
      const date = new Date(start + i * 37_000);
      expect(isoText(date)).toBe(date.toISOString());
    }
  });
});
