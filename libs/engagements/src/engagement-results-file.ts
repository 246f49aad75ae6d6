/**
 * An engagement's results as a file for its organizer (issue 14): XLSX with exceljs's streaming
 * writer, or CSV for Russian Excel (UTF-8 with a BOM, `;` between fields, CRLF, RFC 4180 quoting),
 * as the monthly summary's files are. The same rows in both: the number of ballots, votes per
 * option, answers per question and choice, ballots per hour, and the free-text answers themselves.
 *
 * Anonymous by construction: the rows are made from the counts and from the texts alone — no
 * citizen id, no hash, no ballot id, no time finer than the hour, and the texts sorted by text,
 * so their order says nothing of who wrote them or when.
 */
import { once } from 'node:events';
import type { Stream } from 'node:stream';
import { stream as excelStream, type Worksheet } from 'exceljs';
import type { EngagementResults } from '@cur/contracts';
import type { QuestionDef } from '@cur/domain';

export const RESULT_FILE_FORMATS = ['xlsx', 'csv'] as const;
export type ResultFileFormat = (typeof RESULT_FILE_FORMATS)[number];

export const RESULT_FILE_TYPES: Record<ResultFileFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** What the file is made of: the counts as `GET /results` gives them, the definition for the titles, the texts. */
export interface ResultFileInput {
  title: string;
  kindTitle: string;
  dataAsOf: string;
  results: EngagementResults;
  questions: QuestionDef[];
  texts: { questionId: string; text: string }[];
}

export const PART_TITLES = {
  total: 'Всего бюллетеней',
  options: 'Варианты',
  answers: 'Ответы на вопросы',
  hours: 'Бюллетени по часам',
  texts: 'Свободные ответы',
} as const;
export const CSV_HEADER = ['Раздел', 'Вопрос', 'Вариант или ответ', 'Количество'] as const;
const ANSWERED = 'Ответили (свободный ответ)';

/** One line of the file: part, question, option or answer, count (null: none, as for a text). */
export type ResultLine = [string, string, string, number | null];

/** The rows in order; choices and scale points with no answers are there with 0. */
export function resultLines(input: ResultFileInput): ResultLine[] {
  const { results } = input;
  const lines: ResultLine[] = [[PART_TITLES.total, '', '', results.totalBallots]];
  for (const o of results.options) lines.push([PART_TITLES.options, '', o.title, o.votes]);
  for (const q of results.questions) {
    const def = input.questions.find((d) => d.id === q.id);
    const labels = new Map<string, string>();
    if (q.type === 'text') labels.set('answered', ANSWERED);
    else if (q.type === 'scale') for (const point of ['1', '2', '3', '4', '5']) labels.set(point, point);
    else for (const c of def?.choices ?? []) labels.set(c.id, c.title);
    for (const key of Object.keys(q.answers)) if (!labels.has(key)) labels.set(key, key);
    for (const [key, label] of labels) lines.push([PART_TITLES.answers, q.title, label, q.answers[key] ?? 0]);
  }
  for (const h of results.byHour) lines.push([PART_TITLES.hours, '', hourLabel(h.hour), h.ballots]);
  for (const q of input.questions.filter((d) => d.type === 'text')) {
    const texts = input.texts
      .filter((t) => t.questionId === q.id)
      .map((t) => t.text)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const text of texts) lines.push([PART_TITLES.texts, q.title, text, null]);
  }
  return lines;
}

/** `2026-12-03T12:00:00+03:00` → `03.12.2026 12:00–13:00`: the hour, in the region's time. */
export function hourLabel(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):/.exec(iso);
  if (!m) return iso;
  const next = String((Number(m[4]) + 1) % 24).padStart(2, '0');
  return `${m[3]}.${m[2]}.${m[1]} ${m[4]}:00–${next}:00`;
}

/** A cell a spreadsheet would take for a formula gets an apostrophe: a citizen's text never runs in Excel. */
function inert(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function csvField(value: string | number | null): string {
  if (value === null) return '';
  const text = typeof value === 'number' ? String(value) : inert(value);
  return /[;"\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Writes the CSV to `out` line by line in chunks, waiting for it to drain, and ends it. */
export async function writeResultsCsv(input: ResultFileInput, out: NodeJS.WritableStream): Promise<void> {
  let chunk = '\uFEFF' + CSV_HEADER.join(';') + '\r\n';
  for (const line of resultLines(input)) {
    chunk += line.map(csvField).join(';') + '\r\n';
    if (chunk.length >= 64 * 1024) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}

/** Writes the XLSX to `out` (a sheet «Итоги», then «По часам» and «Свободные ответы»), row by row, and ends it. */
export async function writeResultsXlsx(input: ResultFileInput, out: NodeJS.WritableStream): Promise<void> {
  const workbook = new excelStream.xlsx.WorkbookWriter({ stream: out as unknown as Stream, useStyles: true, useSharedStrings: false });
  workbook.creator = 'ЦУР';
  const lines = resultLines(input);
  const part = (key: keyof typeof PART_TITLES) => lines.filter((l) => l[0] === PART_TITLES[key]);

  const summary = workbook.addWorksheet('Итоги');
  summary.columns = [{ width: 28 }, { width: 50 }, { width: 50 }, { width: 14 }];
  for (const [label, value] of [
    [input.kindTitle, input.title],
    ['Данные на', input.dataAsOf],
  ])
    summary.addRow([label, value]).commit();
  summary.addRow([]).commit();
  header(summary, CSV_HEADER);
  for (const line of [...part('total'), ...part('options'), ...part('answers')]) summary.addRow(line).commit();
  summary.commit();

  const hours = workbook.addWorksheet('По часам', { views: [{ state: 'frozen', ySplit: 1 }] });
  hours.columns = [{ width: 28 }, { width: 14 }];
  header(hours, ['Час', 'Бюллетеней']);
  for (const line of part('hours')) hours.addRow([line[2], line[3]]).commit();
  hours.commit();

  const texts = workbook.addWorksheet('Свободные ответы', { views: [{ state: 'frozen', ySplit: 1 }] });
  texts.columns = [{ width: 50 }, { width: 100 }];
  header(texts, ['Вопрос', 'Ответ']);
  for (const line of part('texts')) {
    const row = texts.addRow([line[1], line[2]]);
    row.alignment = { wrapText: true, vertical: 'top' };
    row.commit();
  }
  texts.commit();
  await workbook.commit();
}

function header(sheet: Worksheet, titles: readonly string[]): void {
  const row = sheet.addRow([...titles]);
  row.font = { bold: true };
  row.commit();
}
