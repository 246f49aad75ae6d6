import { FIGURE_KEYS } from '../figures';
import { csvField, csvNumber, monthlyCsvString, writeMonthlyCsv } from '../csv';
import { collect } from './collect';
import { AWKWARD_NAME, bigReport, sampleReport } from './fixture';

/** An RFC 4180 reader (`;`, CRLF): what Excel or any CSV library would make of the file. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ';') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field !== '' || row.length > 0) throw new Error('the last line has no CRLF');
  return rows;
}

const HEADER = [
  'Раздел',
  'Группа',
  'Организация/Категория',
  'Тип строки',
  'Поступило',
  'Дан ответ',
  'В срок',
  'С нарушением срока',
  'Не отвечено, срок истёк',
  'Не отвечено, срок не истёк',
  'Не отвечено, срок не определён',
  'Медиана времени ответа',
  'Среднее время ответа',
  'Единица времени ответа',
  'Продления',
  'Перенаправления',
  'Отклонено модерацией',
  'Повторные рассмотрения',
  'Оценок',
  'Средняя оценка',
  'Доля оценок 4–5',
];

/** A figure's column in a parsed line (the unit column sits after the mean time). */
function column(key: (typeof FIGURE_KEYS)[number]): number {
  const i = FIGURE_KEYS.indexOf(key);
  return 4 + i + (i > FIGURE_KEYS.indexOf('timeToAnswerMean') ? 1 : 0);
}

describe('writeMonthlyCsv', () => {
  const report = sampleReport();
  let bytes: Buffer;
  let rows: string[][];

  beforeAll(async () => {
    bytes = await collect((out) => writeMonthlyCsv(report, out, { regionName: 'Ростовская область' }));
    rows = parseCsv(bytes.toString('utf8').slice(1));
  });

  it('is UTF-8 with a BOM, CRLF line ends and `;` between fields', () => {
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(text.split('\r\n')[0]).toBe('\uFEFF' + HEADER.join(';'));
  });

  it('has a line per organization, per category and a totals line per section, all as wide as the header', () => {
    const expected = report.sections.reduce((n, section) => n + section.byOrganization.length + section.byCategory.length + 1, 0);
    expect(rows).toHaveLength(1 + expected);
    for (const row of rows) expect(row).toHaveLength(HEADER.length);
    const pos = rows.filter((row) => row[0] === 'Сообщения платформы обратной связи (ПОС)');
    expect(pos.map((row) => row[3])).toEqual([...Array(9).fill('Организация'), ...Array(6).fill('Категория'), 'Итого']);
    expect(pos[0].slice(1, 3)).toEqual(['Органы исполнительной власти', 'Министерство здравоохранения Ростовской области']);
    expect(pos[8].slice(1, 3)).toEqual(['ЦУР', 'ЦУР Ростовской области']);
    expect(pos[9].slice(1, 3)).toEqual(['', '0001.0001 Дороги и тротуары: ямочный ремонт']);
  });

  it('keeps a name holding `;` and quotes whole through a round trip', () => {
    expect(bytes.toString('utf8')).toContain('"МУП «Водоканал» г. Азова; участок ""Северный"""');
    expect(rows.filter((row) => row[2] === AWKWARD_NAME)).toHaveLength(3);
  });

  it('writes the totals line with the section totals, a decimal comma, the unit, and nothing for a figure without a value', () => {
    report.sections.forEach((section) => {
      const totals = rows.find((row) => row[0] === section.title && row[3] === 'Итого')!;
      for (const key of FIGURE_KEYS) {
        const value = section.totals[key];
        expect(totals[column(key)]).toBe(value === null ? '' : String(value).replace('.', ','));
      }
    });
    const social = rows.find((row) => row[0] === 'Публичные сообщения (социальные сети)' && row[2] === 'Администрация города Таганрога')!;
    // 5.65 working hours: a fraction with a decimal comma.
    expect(social[column('timeToAnswerMean')]).toBe('5,65');
    expect(social[13]).toBe('раб. ч');
    const cur = rows.find((row) => row[2] === 'ЦУР Ростовской области')!;
    expect(cur[column('timeToAnswerMedian')]).toBe('');
    expect(cur[column('ratingHighShare')]).toBe('');
    expect(cur[13]).toBe('раб. дн.');
  });

  it('writes the same as the string helper', () => {
    expect(bytes.toString('utf8')).toBe(monthlyCsvString(report));
  });

  it('streams a region-sized report (5,000 category rows) in full', async () => {
    const big = bigReport(5000);
    const text = (await collect((out) => writeMonthlyCsv(big, out))).toString('utf8');
    const lines = parseCsv(text.slice(1));
    expect(lines.filter((row) => row[3] === 'Категория')).toHaveLength(5000 + 2 * 6);
    expect(lines).toHaveLength(1 + 3 * 9 + 5000 + 2 * 6 + 3);
  });
});

describe('csvField and csvNumber', () => {
  it('quote only what needs quoting', () => {
    expect(csvField('Итого')).toBe('Итого');
    expect(csvField('a;b')).toBe('"a;b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\r\nlines')).toBe('"two\r\nlines"');
  });

  it('write fractions with a comma and no float noise', () => {
    expect(csvNumber(12)).toBe('12');
    expect(csvNumber(3.5)).toBe('3,5');
    expect(csvNumber(0.1 + 0.2)).toBe('0,3');
    expect(csvNumber(2 / 3)).toBe('0,6667');
    expect(csvNumber(null)).toBe('');
  });
});
