import { PassThrough } from 'node:stream';
import { Workbook } from 'exceljs';
import type { QuestionDef } from '@cur/domain';
import { hourLabel, ResultFileInput, resultLines, writeResultsCsv, writeResultsXlsx } from '../engagement-results-file';

const questions: QuestionDef[] = [
  {
    id: 'q1',
    type: 'single',
    title: 'Довольны ли вы?',
    required: true,
    choices: [
      { id: 'yes', title: 'Да' },
      { id: 'no', title: 'Нет' },
    ],
  },
  { id: 'q2', type: 'scale', title: 'Оценка', required: false },
  { id: 'q3', type: 'text', title: 'Что улучшить?', required: false },
];

const input = (texts: string[]): ResultFileInput => ({
  title: 'Опрос',
  kindTitle: 'Опрос',
  dataAsOf: '2026-12-04T16:00:00+03:00',
  questions,
  results: {
    totalBallots: 3,
    options: [],
    questions: [
      { id: 'q1', title: 'Довольны ли вы?', type: 'single', answers: { no: 3 } },
      { id: 'q2', title: 'Оценка', type: 'scale', answers: { '2': 2 } },
      { id: 'q3', title: 'Что улучшить?', type: 'text', answers: { answered: texts.length } },
    ],
    byHour: [{ hour: '2026-12-04T23:00:00+03:00', ballots: 3 }],
  },
  texts: texts.map((text) => ({ questionId: 'q3', text })),
});

async function collect(write: (out: PassThrough) => Promise<void>): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await write(out);
  return Buffer.concat(chunks);
}

describe('engagement result files', () => {
  it('label the hour in the region’s time, across midnight too', () => {
    expect(hourLabel('2026-12-04T10:00:00+03:00')).toBe('04.12.2026 10:00–11:00');
    expect(hourLabel('2026-12-04T23:00:00+03:00')).toBe('04.12.2026 23:00–00:00');
  });

  it('list every choice and scale point, 0 where none answered, by title, never by id', () => {
    const answers = resultLines(input([])).filter((l) => l[0] === 'Ответы на вопросы');
    expect(answers).toEqual([
      ['Ответы на вопросы', 'Довольны ли вы?', 'Да', 0],
      ['Ответы на вопросы', 'Довольны ли вы?', 'Нет', 3],
      ...['1', '2', '3', '4', '5'].map((p) => ['Ответы на вопросы', 'Оценка', p, p === '2' ? 2 : 0]),
      ['Ответы на вопросы', 'Что улучшить?', 'Ответили (свободный ответ)', 0],
    ]);
  });

  it('sort the free texts by text, whatever order they came in', () => {
    const a = resultLines(input(['в', 'а', 'б'])).filter((l) => l[0] === 'Свободные ответы');
    const b = resultLines(input(['б', 'в', 'а'])).filter((l) => l[0] === 'Свободные ответы');
    expect(a.map((l) => l[2])).toEqual(['а', 'б', 'в']);
    expect(b).toEqual(a);
  });

  it('CSV: BOM, «;», CRLF, quoting, and an apostrophe before what Excel would run as a formula', async () => {
    const bytes = await collect((out) => writeResultsCsv(input(['=1+1', 'да; нет', 'сказал "нет"']), out));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).split('\r\n');
    expect(lines[0]).toBe('Раздел;Вопрос;Вариант или ответ;Количество');
    expect(lines.at(-1)).toBe('');
    expect(lines.filter((l) => l.startsWith('Свободные ответы'))).toEqual([
      "Свободные ответы;Что улучшить?;'=1+1;",
      'Свободные ответы;Что улучшить?;"да; нет";',
      'Свободные ответы;Что улучшить?;"сказал ""нет""";',
    ]);
  });

  it('XLSX: numbers as numbers, texts as text, on three sheets', async () => {
    const bytes = await collect((out) => writeResultsXlsx(input(['=1+1']), out));
    const workbook = new Workbook();
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Итоги', 'По часам', 'Свободные ответы']);
    expect(workbook.getWorksheet('По часам')!.getRow(2).values).toEqual([undefined, '04.12.2026 23:00–00:00', 3]);
    const text = workbook.getWorksheet('Свободные ответы')!.getCell('B2');
    expect([text.value, text.formula]).toEqual(['=1+1', undefined]);
  });
});
