import { Workbook } from 'exceljs';
import type { RatingSettings } from '@cur/domain';
import { formulaText, leagueTable, SectionFigures } from '../rating-formula';
import { ratingsCsv, ratingsXlsx } from '../ratings-files';
import type { RatingsTable } from '../ratings-report.service';

const SETTINGS: RatingSettings = {
  weights: { onTime: 0.3, overdue: 0.15, reconsiderations: 0.1, ratingMean: 0.1, highRatings: 0.15, timeToAnswer: 0.2 },
  targets: { answerWithinWorkingDays: 8, answerWithinWorkingHours: 9, highRatingShareAtLeast: 0.6 },
  minSample: 10,
  populationBands: [
    { id: 'large', title: 'от 100 тыс.', min: 100_000 },
    { id: 'medium', title: 'от 40 до 100 тыс.', min: 40_000, max: 100_000 },
  ],
};

const pos = (answered: number, onTime: number, median: number): SectionFigures[] => [
  {
    section: 'pos',
    figures: {
      received: answered,
      answered,
      answeredOnTime: onTime,
      answeredLate: answered - onTime,
      openOverdue: 0,
      openNotDue: 0,
      openNoDueDate: 0,
      timeToAnswerMedian: median,
      timeToAnswerMean: median,
      timeToAnswerUnit: 'working_days',
      extensions: 0,
      redirects: 0,
      rejectedByModeration: 0,
      reconsiderations: 0,
      ratings: 0,
      ratingMean: null,
      ratingHighShare: null,
    },
  },
];

function table(): RatingsTable {
  const period = { kind: 'month' as const, year: 2026, month: 11, from: '2026-11-01T00:00:00+03:00', to: '2026-12-01T00:00:00+03:00', title: 'ноябрь 2026' };
  return {
    period,
    previousPeriod: { ...period, month: 10, title: 'октябрь 2026' },
    section: 'pos',
    dataAsOf: '2026-12-01T00:00:00+03:00',
    formula: { ...SETTINGS, text: formulaText(SETTINGS) },
    groups: leagueTable({
      organizations: [
        { id: 'a', name: 'Администрация «А»; отдел "Б"', kind: 'municipality', population: 150_000 },
        { id: 'b', name: 'Администрация В', kind: 'municipality', population: 60_000 },
      ],
      // a: 9 of 10 on time, median 12 → 100 × (0.27 + 0.15 + 0.1 + 0.1) / 0.75 = 82.7; b: too few.
      current: new Map([
        ['a', pos(10, 9, 12)],
        ['b', pos(2, 2, 3)],
      ]),
      previous: new Map(),
      settings: SETTINGS,
    }),
  };
}

describe('the ratings files', () => {
  it('CSV: a BOM, «;» between fields, CRLF, RFC 4180 quotes, a decimal comma, empty cells for nothing', () => {
    const text = ratingsCsv(table()).toString('utf8');
    expect(text.startsWith('\uFEFFГруппа;Место;Организация;Индекс;')).toBe(true);
    const lines = text.slice(1).split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('');
    expect(lines[1].startsWith('от 100 тыс.;1;"Администрация «А»; отдел ""Б""";82,7;0,9;1;1;;;0,5;10;10;9;1;')).toBe(true);
    expect(lines[2]).toMatch(/^от 40 до 100 тыс\.;;Администрация В;100;/);
    expect(lines[2].endsWith(';мало данных: 2 из 10 необходимых')).toBe(true);
  });

  it('XLSX: the formula first, then a sheet per group with a frozen header and numbers as numbers', async () => {
    const workbook = new Workbook();
    await workbook.xlsx.load((await ratingsXlsx(table())) as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Формула', 'МО от 100 тыс.', 'МО 40–100 тыс.']);
    const sheet = workbook.getWorksheet('МО от 100 тыс.')!;
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect((sheet.getRow(2).values as unknown[]).slice(1, 5)).toEqual([1, 'Администрация «А»; отдел "Б"', 82.7, 0.9]);
    expect(sheet.getRow(2).getCell(3).numFmt).toBe('0.0');
  });
});
