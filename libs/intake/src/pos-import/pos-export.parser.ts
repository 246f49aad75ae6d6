/**
 * Parser for the ПОС backoffice XLSX export (one row per message, 25 columns; DOMAIN.md §4).
 *
 * Reads only the given file or buffer, streaming (xlsx-sheet.reader.ts), within limits. Headers are
 * matched by normalized name, column order is free.
 * Bad rows are reported (one error per bad field) and left out of `rows`; good rows are returned.
 * All dates in the export are Moscow local time (UTC+03:00, no DST) and are returned as UTC ISO instants.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { columnName, SheetLimits, SheetValue, XlsxFormatError, XlsxLimitError, XlsxSheetReader } from './xlsx-sheet.reader';

export interface PosExportRow {
  rowNumber: number;
  number: string;
  epguNumber: string | null;
  source: string | null;
  topLevelLko: string | null;
  category: string | null;
  subcategory: string | null;
  fact: string | null;
  receivedByOrganization: string | null;
  currentOrganization: string | null;
  receivedAt: string;
  plannedCompletionAt: string | null;
  actualCompletionAt: string | null;
  stage: string | null;
  status: string | null;
  overdue: boolean | null;
  fastTrack: boolean | null;
  lawType: string | null;
  applicantChose59Fz: boolean | null;
  resolutionType: string | null;
  emailedToFoiv: boolean | null;
  rating: number | null;
  reconsideration: boolean | null;
  coordinatorName: string | null;
  executorName: string | null;
  headName: string | null;
}

export interface PosImportError {
  row: number;
  field: string;
  message: string;
}

export interface PosExportParseResult {
  rows: PosExportRow[];
  errors: PosImportError[];
  totalRows: number;
}

export class PosExportFormatError extends Error {
  constructor(
    message: string,
    readonly missingColumns: string[],
  ) {
    super(message);
    this.name = 'PosExportFormatError';
  }
}

type ColumnKind = 'text' | 'number' | 'date' | 'yesNo' | 'rating' | 'counterFlag';
type ColumnKey = Exclude<keyof PosExportRow, 'rowNumber'>;

interface ColumnSpec {
  key: ColumnKey;
  header: string;
  required: boolean;
  kind: ColumnKind;
}

const COLUMN_SPECS: readonly ColumnSpec[] = [
  { key: 'number', header: 'Номер', required: true, kind: 'number' },
  { key: 'epguNumber', header: 'Номер ЕПГУ', required: false, kind: 'number' },
  { key: 'source', header: 'Источник', required: false, kind: 'text' },
  { key: 'topLevelLko', header: 'Верхнеуровневый ЛКО', required: false, kind: 'text' },
  { key: 'category', header: 'Категория', required: false, kind: 'text' },
  { key: 'subcategory', header: 'Подкатегория', required: false, kind: 'text' },
  { key: 'fact', header: 'Факт', required: false, kind: 'text' },
  {
    key: 'receivedByOrganization',
    header: 'Организация, в которую поступило сообщение',
    required: false,
    kind: 'text',
  },
  {
    key: 'currentOrganization',
    header: 'Организация, в которой находится сообщение',
    required: false,
    kind: 'text',
  },
  { key: 'receivedAt', header: 'Дата поступления', required: true, kind: 'date' },
  {
    key: 'plannedCompletionAt',
    header: 'Дата планируемого завершения работ',
    required: false,
    kind: 'date',
  },
  {
    key: 'actualCompletionAt',
    header: 'Дата фактического завершения работ',
    required: false,
    kind: 'date',
  },
  { key: 'stage', header: 'Стадия', required: false, kind: 'text' },
  { key: 'status', header: 'Статус', required: false, kind: 'text' },
  { key: 'overdue', header: 'Просрочено', required: false, kind: 'yesNo' },
  { key: 'fastTrack', header: 'Фаст-трек', required: false, kind: 'yesNo' },
  { key: 'lawType', header: 'ФЗ', required: false, kind: 'text' },
  {
    key: 'applicantChose59Fz',
    header: 'Заявитель выбрал подачу по 59-ФЗ',
    required: false,
    kind: 'yesNo',
  },
  { key: 'resolutionType', header: 'Тип решения', required: false, kind: 'text' },
  {
    key: 'emailedToFoiv',
    header: 'Направлено по email в ФОИВ, не подключенный к ПОС',
    required: false,
    kind: 'yesNo',
  },
  { key: 'rating', header: 'Оценка ответа заявителем', required: false, kind: 'rating' },
  { key: 'reconsideration', header: 'Повторное рассмотрение', required: false, kind: 'counterFlag' },
  { key: 'coordinatorName', header: 'ФИО координатора', required: false, kind: 'text' },
  { key: 'executorName', header: 'ФИО исполнителя', required: false, kind: 'text' },
  { key: 'headName', header: 'ФИО руководителя', required: false, kind: 'text' },
];

/** The 25 columns of the export, in the order of the ПОС backoffice export. */
export const POS_EXPORT_COLUMNS: readonly { key: keyof PosExportRow; header: string; required: boolean }[] = COLUMN_SPECS.map(({ key, header, required }) => ({
  key,
  header,
  required,
}));

const NOT_XLSX_MESSAGE = 'Файл не является XLSX-выгрузкой ПОС';
/** Moscow time is UTC+03:00 all year round (no DST since 2014). */
const MOSCOW_OFFSET_MS = 3 * 60 * 60 * 1000;
const MS_PER_DAY = 24 * 60 * 60 * 1000;
/** Days between the Excel 1900 epoch (1899-12-30) and the Unix epoch. */
const EXCEL_EPOCH_OFFSET_DAYS = 25569;
/** Plausible Excel serial range for dates (1954..2119) when a date comes as a plain number. */
const MIN_EXCEL_SERIAL = 20000;
const MAX_EXCEL_SERIAL = 80000;

/** Normalizes a header for matching: trim, collapse spaces, lower case, ё→е, drop trailing "(...)". */
export function normalizePosHeader(header: string): string {
  let h = header
    .replace(/[\u00a0\u2007\u202f]/g, ' ')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .toLowerCase()
    .replace(/ё/g, 'е')
    .trim();
  // Drop trailing parentheticals such as "(Да/Нет)" or "(1–5 или -)", possibly several.
  let previous: string;
  do {
    previous = h;
    h = h.replace(/\s*\([^()]*\)\s*$/, '').trim();
  } while (h !== previous);
  return h
    .replace(/[:.*]+$/, '')
    .replace(/\s*,\s*/g, ', ')
    .replace(/\s*-\s*/g, '-')
    .replace(/\s+/g, ' ')
    .trim();
}

const SPEC_BY_NORMALIZED_HEADER = new Map<string, ColumnSpec>(COLUMN_SPECS.map((spec) => [normalizePosHeader(spec.header), spec]));

type Primitive = SheetValue;

function isBlank(value: Primitive): boolean {
  return value === null || (typeof value === 'string' && value.trim() === '');
}

const DASHES = new Set(['-', '–', '—', '−']);

function isEmptyMarker(value: Primitive): boolean {
  return isBlank(value) || (typeof value === 'string' && DASHES.has(value.trim()));
}

function numberToText(n: number): string {
  // Integers (Excel stores numbers as doubles) must not get a ".0" or exponent form.
  if (Number.isInteger(n) && Math.abs(n) < Number.MAX_SAFE_INTEGER) return n.toFixed(0);
  return String(n);
}

function toText(value: Primitive): string | null {
  if (isEmptyMarker(value)) return null;
  if (typeof value === 'string') return value.trim().replace(/\s+/g, ' ');
  if (typeof value === 'number') return numberToText(value);
  if (typeof value === 'boolean') return value ? 'Да' : 'Нет';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  return null;
}

function toNumberText(value: Primitive): string | null {
  const text = toText(value);
  if (text === null) return null;
  // "12345678.0" typed as text, or "12 345 678" with spaces.
  if (/^\d[\d ]*(\.0+)?$/.test(text)) return text.replace(/\.0+$/, '').replace(/ /g, '');
  return text;
}

class FieldError extends Error {}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function moscowWallClockToIso(year: number, month: number, day: number, hour: number, minute: number, second: number): string {
  if (year < 1900 || year > 2199) throw new FieldError(`недопустимый год ${year}`);
  if (month < 1 || month > 12) throw new FieldError(`недопустимый месяц ${pad2(month)}`);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > daysInMonth) {
    throw new FieldError(`в месяце ${pad2(month)}.${year} нет дня ${pad2(day)}`);
  }
  if (hour > 23 || minute > 59 || second > 59) {
    throw new FieldError(`недопустимое время ${pad2(hour)}:${pad2(minute)}:${pad2(second)}`);
  }
  const utcMs = Date.UTC(year, month - 1, day, hour, minute, second) - MOSCOW_OFFSET_MS;
  return new Date(utcMs).toISOString();
}

/** exceljs returns date cells as Date objects whose UTC fields are the wall-clock time typed in Excel. */
function excelDateToIso(date: Date): string {
  const ms = date.getTime();
  if (Number.isNaN(ms)) throw new FieldError('некорректная дата');
  // Excel serials are doubles: round away float noise such as 10:29:59.999.
  const rounded = new Date(Math.round(ms / 1000) * 1000);
  return moscowWallClockToIso(
    rounded.getUTCFullYear(),
    rounded.getUTCMonth() + 1,
    rounded.getUTCDate(),
    rounded.getUTCHours(),
    rounded.getUTCMinutes(),
    rounded.getUTCSeconds(),
  );
}

const RU_DATE = /^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
const ISO_LOCAL_DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
const DATE_FORMAT_HINT = 'ожидается дата в формате дд.мм.гггг или дд.мм.гггг чч:мм';

function parseDate(value: Primitive): string {
  if (value instanceof Date) return excelDateToIso(value);
  if (typeof value === 'number') {
    if (value < MIN_EXCEL_SERIAL || value > MAX_EXCEL_SERIAL) {
      throw new FieldError(`некорректная дата «${numberToText(value)}», ${DATE_FORMAT_HINT}`);
    }
    return excelDateToIso(new Date((value - EXCEL_EPOCH_OFFSET_DAYS) * MS_PER_DAY));
  }
  if (typeof value === 'string') {
    const text = value.trim().replace(/\s+/g, ' ');
    let m = RU_DATE.exec(text);
    if (m) {
      return moscowWallClockToIso(+m[3], +m[2], +m[1], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
    }
    m = ISO_LOCAL_DATE.exec(text);
    if (m) {
      return moscowWallClockToIso(+m[1], +m[2], +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
    }
    throw new FieldError(`некорректная дата «${text}», ${DATE_FORMAT_HINT}`);
  }
  throw new FieldError(`некорректная дата, ${DATE_FORMAT_HINT}`);
}

function parseYesNo(value: Primitive, acceptCounts: boolean): boolean | null {
  if (isEmptyMarker(value)) return null;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (acceptCounts && Number.isFinite(value) && value >= 0) return value > 0;
    throw new FieldError(`ожидается «Да» или «Нет», получено «${numberToText(value)}»`);
  }
  if (typeof value === 'string') {
    const text = value.trim().toLowerCase();
    if (text === 'да') return true;
    if (text === 'нет') return false;
    if (acceptCounts && /^\d+$/.test(text)) return Number(text) > 0;
    throw new FieldError(`ожидается «Да» или «Нет», получено «${value.trim()}»`);
  }
  throw new FieldError('ожидается «Да» или «Нет»');
}

function parseRating(value: Primitive): number | null {
  if (isEmptyMarker(value)) return null;
  let n: number | null = null;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && /^\d+$/.test(value.trim())) n = Number(value.trim());
  if (n !== null && Number.isInteger(n) && n >= 1 && n <= 5) return n;
  const shown = typeof value === 'number' ? numberToText(value) : String(toText(value) ?? '');
  throw new FieldError(`оценка должна быть целым числом от 1 до 5 или «-», получено «${shown}»`);
}

/** What a file may hold; see the README's configuration table (CUR_POS_IMPORT_*). */
export interface PosExportLimits extends SheetLimits {
  /** Row errors listed in the result; the rest are counted. */
  maxReportedErrors: number;
}

/** Defaults a regional monthly export fits in many times over (a large region sends tens of thousands of rows). */
export const DEFAULT_POS_EXPORT_LIMITS: PosExportLimits = {
  maxRows: 200_000,
  maxColumns: 100,
  maxCellChars: 2_000,
  maxUnzippedBytes: 1024 * 1024 * 1024,
  maxReportedErrors: 1_000,
};

/** The file exceeds a limit: refused whole, naming where (row and column header or letter, when known). */
export class PosExportLimitError extends Error {
  constructor(
    message: string,
    readonly row: number | null,
    readonly field: string | null,
  ) {
    super(message);
    this.name = 'PosExportLimitError';
  }
}

export interface PosExportSummary {
  /** The first `maxReportedErrors` row errors, in file order. */
  errors: PosImportError[];
  /** Errors beyond those listed. */
  errorsOmitted: number;
  /** Rows left out because of errors. */
  rejectedRows: number;
  /** Non-empty rows below the header. */
  totalRows: number;
  /** Rows given to `onRows`. */
  goodRows: number;
}

function requiredHeaders(): string[] {
  return COLUMN_SPECS.filter((s) => s.required).map((s) => s.header);
}

function missingColumnsError(missing: string[]): PosExportFormatError {
  const list = missing.map((h) => `«${h}»`).join(', ');
  const message = missing.length === 1 ? `В выгрузке ПОС нет обязательного столбца ${list}` : `В выгрузке ПОС нет обязательных столбцов ${list}`;
  return new PosExportFormatError(message, missing);
}

function isXlsxSignature(source: string | Buffer): boolean {
  // XLSX is a ZIP container: it must start with the local file header signature "PK\3\4".
  const head = typeof source === 'string' ? readHead(source) : source;
  return Buffer.isBuffer(head) && head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
}

function readHead(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(4);
    return head.subarray(0, readSync(fd, head, 0, 4, 0));
  } finally {
    closeSync(fd);
  }
}

/**
 * Streams an export (a file path or a buffer) and hands the good rows to `onRows` batch by batch,
 * keeping only the errors (up to `maxReportedErrors`) and the Номер → row map that finds repeats.
 * Throws PosExportFormatError for what is not a ПОС export and PosExportLimitError for what exceeds
 * the limits — possibly after some batches were handed over, so a caller that must write nothing
 * for a refused file reads it whole first.
 */
export async function readPosExport(
  source: string | Buffer,
  onRows: (rows: PosExportRow[]) => void | Promise<void>,
  limits: PosExportLimits = DEFAULT_POS_EXPORT_LIMITS,
): Promise<PosExportSummary> {
  if (!isXlsxSignature(source)) throw new PosExportFormatError(NOT_XLSX_MESSAGE, []);

  let columnIndex: Map<ColumnKey, number> | null = null;
  const headerByColumn = new Map<number, string>();
  const firstRowByNumber = new Map<string, number>();
  const summary: PosExportSummary = { errors: [], errorsOmitted: 0, rejectedRows: 0, totalRows: 0, goodRows: 0 };

  try {
    for await (const batch of XlsxSheetReader.rows(source, limits)) {
      const good: PosExportRow[] = [];
      for (const { rowNumber: r, values } of batch) {
        if (values.every(isBlank)) continue;
        if (columnIndex === null) {
          // The header row is the first non-empty row; each known column maps to its (first) position.
          columnIndex = new Map();
          for (let i = 0; i < values.length; i++) {
            const text = toText(values[i] ?? null);
            if (text === null) continue;
            headerByColumn.set(i + 1, text);
            const spec = SPEC_BY_NORMALIZED_HEADER.get(normalizePosHeader(text));
            if (spec && !columnIndex.has(spec.key)) columnIndex.set(spec.key, i);
          }
          const missing = COLUMN_SPECS.filter((s) => s.required && !columnIndex!.has(s.key)).map((s) => s.header);
          if (missing.length > 0) throw missingColumnsError(missing);
          continue;
        }
        summary.totalRows++;
        const rowErrors = parseRow(r, values, columnIndex, firstRowByNumber, good);
        if (rowErrors.length > 0) {
          summary.rejectedRows++;
          const room = Math.max(0, limits.maxReportedErrors - summary.errors.length);
          summary.errors.push(...rowErrors.slice(0, room));
          summary.errorsOmitted += Math.max(0, rowErrors.length - room);
        }
      }
      if (good.length > 0) {
        summary.goodRows += good.length;
        await onRows(good);
      }
    }
  } catch (error) {
    if (error instanceof XlsxFormatError) throw new PosExportFormatError(NOT_XLSX_MESSAGE, []);
    if (error instanceof XlsxLimitError) {
      const field = error.column === null ? null : (headerByColumn.get(error.column) ?? columnName(error.column));
      throw new PosExportLimitError(error.message, error.row, field);
    }
    throw error;
  }

  if (columnIndex === null) {
    const missing = requiredHeaders();
    throw new PosExportFormatError(`В выгрузке ПОС не найдена строка заголовков; обязательные столбцы: ${missing.map((h) => `«${h}»`).join(', ')}`, missing);
  }
  return summary;
}

/** Parses one row into `good`, or returns its errors (one per bad field). */
function parseRow(
  r: number,
  values: SheetValue[],
  columnIndex: Map<ColumnKey, number>,
  firstRowByNumber: Map<string, number>,
  good: PosExportRow[],
): PosImportError[] {
  const rowErrors: PosImportError[] = [];
  const parsed: Record<string, unknown> = { rowNumber: r };

  for (const spec of COLUMN_SPECS) {
    const index = columnIndex.get(spec.key);
    const value = index === undefined ? null : (values[index] ?? null);
    try {
      parsed[spec.key] = parseField(spec, value);
    } catch (e) {
      if (!(e instanceof FieldError)) throw e;
      rowErrors.push({ row: r, field: spec.header, message: capitalize(e.message) });
      parsed[spec.key] = null;
    }
  }

  const number = parsed.number as string | null;
  if (number !== null) {
    const firstRow = firstRowByNumber.get(number);
    if (firstRow !== undefined) {
      rowErrors.unshift({
        row: r,
        field: headerOf('number'),
        message: `Номер повторяется в файле (строка ${firstRow})`,
      });
    } else {
      firstRowByNumber.set(number, r);
    }
  }

  if (rowErrors.length === 0) good.push(parsed as unknown as PosExportRow);
  return rowErrors;
}

/** The whole export in memory: for small files and tests. The import streams with readPosExport. */
export async function parsePosExport(source: string | Buffer, limits: PosExportLimits = DEFAULT_POS_EXPORT_LIMITS): Promise<PosExportParseResult> {
  const rows: PosExportRow[] = [];
  const summary = await readPosExport(source, (batch) => void rows.push(...batch), limits);
  return { rows, errors: summary.errors, totalRows: summary.totalRows };
}

function headerOf(key: ColumnKey): string {
  const spec = COLUMN_SPECS.find((s) => s.key === key);
  return spec ? spec.header : key;
}

function capitalize(s: string): string {
  return s.length === 0 ? s : s[0].toUpperCase() + s.slice(1);
}

function parseField(spec: ColumnSpec, value: Primitive): unknown {
  switch (spec.kind) {
    case 'text':
      return toText(value);
    case 'number': {
      const text = toNumberText(value);
      if (text === null && spec.required) throw new FieldError('не заполнен обязательный столбец');
      return text;
    }
    case 'date': {
      if (isEmptyMarker(value)) {
        if (spec.required) throw new FieldError('не заполнен обязательный столбец');
        return null;
      }
      return parseDate(value);
    }
    case 'yesNo':
      return parseYesNo(value, false);
    case 'counterFlag':
      return parseYesNo(value, true);
    case 'rating':
      return parseRating(value);
  }
}
