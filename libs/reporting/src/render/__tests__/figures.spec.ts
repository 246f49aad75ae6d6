import * as render from '..';
import { formatDate, formatInstant, monthTitle } from '../figures';

describe('the shared wording', () => {
  it('names the month in Russian', () => {
    expect(monthTitle(2026, 11)).toBe('ноябрь 2026');
    expect(monthTitle(2027, 1)).toBe('январь 2027');
    expect(() => monthTitle(2026, 13)).toThrow(RangeError);
  });

  it('shows the data instant in the offset it was written with, whatever the server zone', () => {
    expect(formatInstant('2026-12-01T00:00:00+03:00')).toBe('01.12.2026 00:00 (UTC+03:00)');
    expect(formatInstant('2026-11-30T21:00:00.000Z')).toBe('30.11.2026 21:00 (UTC+00:00)');
    expect(formatInstant('2026-12-01T00:00:00+0300')).toBe('01.12.2026 00:00 (UTC+03:00)');
    expect(formatInstant('вчера')).toBe('вчера');
    expect(formatDate('2026-11-05')).toBe('05.11.2026');
    expect(formatDate(null)).toBe('');
  });

  it('is exported with the three writers from the render index', () => {
    expect(render.FIGURE_TITLES.openNoDueDate).toBe('Не отвечено, срок не определён');
    expect(Object.keys(render.FIGURE_TITLES)).toEqual([...render.FIGURE_KEYS]);
    expect(render.figureHeader('timeToAnswerMedian', 'working_hours')).toBe('Медиана времени ответа, раб. ч');
    expect(render.monthTitle(2026, 5)).toBe('май 2026');
    for (const writer of [render.writeMonthlyXlsx, render.writeMonthlyCsv, render.renderMonthlyPdf]) expect(typeof writer).toBe('function');
  });
});
