/**
 * Streams the first worksheet of an XLSX package row by row, within limits, without loading the
 * workbook: the ZIP's central directory gives random access to its parts (so a sheet stored before
 * its shared strings needs no temporary copy), and each part goes through a SAX parser as it is
 * inflated. What is kept in memory: the shared strings (each at most `maxCellChars`), the styles'
 * date flags and one batch of rows.
 *
 * exceljs's streaming WorkbookReader was the first choice; it does not read the sheet's declared
 * `<dimension>`, gathers a cell's text without bound before anyone can look at it, and copies a
 * sheet that precedes its shared strings to a temporary file, so the limits could not be held there.
 *
 * Limits (each refusal names the row and the column where it can):
 * - the declared dimension and every non-empty cell within `maxRows + 1` rows (the header included)
 *   and `maxColumns` columns;
 * - every cell's text within `maxCellChars` characters (checked while its text arrives);
 * - the parts read within `maxUnzippedBytes` once inflated (a ZIP bomb stops there), and no run of
 *   XML between two tags longer than a cell could need.
 */
import { StringDecoder } from 'node:string_decoder';
import { SaxesParser } from 'saxes';
import { ZipArchive, ZipEntry, ZipFormatError } from './zip-archive';

export type SheetValue = string | number | boolean | Date | null;

export interface SheetRow {
  rowNumber: number;
  /** By column, 0 = A; holes are empty cells. */
  values: SheetValue[];
}

export interface SheetLimits {
  /** Rows below the header row (the sheet may go down to row maxRows + 1). */
  maxRows: number;
  maxColumns: number;
  maxCellChars: number;
  maxUnzippedBytes: number;
}

/** The package cannot be read as a spreadsheet. */
export class XlsxFormatError extends Error {}

/** The package exceeds a limit; row and column (1-based) where the excess was found. */
export class XlsxLimitError extends Error {
  constructor(
    message: string,
    readonly row: number | null,
    readonly column: number | null,
  ) {
    super(message);
  }
}

/** Column letters of a 1-based column number (1 → A, 16384 → XFD). */
export function columnName(column: number): string {
  let letters = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

const CELL_REF = /^\$?([A-Za-z]{1,7})\$?(\d{1,10})$/;

function parseCellRef(ref: string | undefined): { column: number; row: number } | null {
  const m = ref ? CELL_REF.exec(ref.trim()) : null;
  if (!m) return null;
  let column = 0;
  for (const ch of m[1].toUpperCase()) column = column * 26 + (ch.charCodeAt(0) - 64);
  return { column, row: Number(m[2]) };
}

const formatNumber = (n: number) => n.toLocaleString('ru-RU');

/** Marks a shared string longer than the cell limit; refused only if a cell uses it. */
class OversizedString {
  constructor(readonly length: number) {}
}

/** Built-in number formats that are dates or times (ECMA-376 §18.8.30 and the East Asian ones). */
const BUILTIN_DATE_FORMATS = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58,
]);

/** The test exceljs applies to a format code: a date/time token outside brackets and quotes. */
function isDateFormatCode(code: string): boolean {
  return /[ymdhMsb]+/.test(code.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));
}

/** exceljs's conversion: the result's UTC fields are the wall-clock time typed in Excel. */
function excelSerialToDate(serial: number, date1904: boolean): Date {
  return new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 24 * 3600 * 1000));
}

const localName = (name: string) => name.slice(name.indexOf(':') + 1);

interface XmlHandlers {
  open?(name: string, attributes: Record<string, string>): void;
  text?(text: string): void;
  close?(name: string): void;
}

/** Counts inflated bytes across every part read from the package. */
class ByteBudget {
  private used = 0;
  constructor(private readonly max: number) {}
  take(bytes: number): void {
    this.used += bytes;
    if (this.used > this.max) {
      throw new XlsxLimitError(`Распакованное содержимое файла больше ${formatNumber(Math.floor(this.max / 1048576))} МБ`, null, null);
    }
  }
}

export class XlsxSheetReader {
  private readonly budget: ByteBudget;
  /** Longest run of XML between two '<' that a legal cell could need (entities take up to 10 characters). */
  private readonly maxRun: number;

  private constructor(
    private readonly zip: ZipArchive,
    private readonly limits: SheetLimits,
  ) {
    this.budget = new ByteBudget(limits.maxUnzippedBytes);
    this.maxRun = limits.maxCellChars * 10 + 65_536;
  }

  /** Rows of the first worksheet with at least one value, in batches, in sheet order. */
  static async *rows(input: string | Buffer, limits: SheetLimits): AsyncGenerator<SheetRow[]> {
    let zip: ZipArchive;
    try {
      zip = await ZipArchive.open(input);
    } catch (error) {
      if (error instanceof ZipFormatError) throw new XlsxFormatError(error.message);
      throw error;
    }
    try {
      yield* new XlsxSheetReader(zip, limits).read();
    } finally {
      await zip.close();
    }
  }

  private async *read(): AsyncGenerator<SheetRow[]> {
    const workbookPath = (await this.officeDocumentPath()) ?? 'xl/workbook.xml';
    const workbook = await this.readWorkbook(workbookPath);
    const rels = await this.readRelationships(workbookPath);
    const sheetTarget = workbook.firstSheetRelId ? rels.get(workbook.firstSheetRelId)?.target : undefined;
    const sheet = sheetTarget ? this.zip.entries.get(sheetTarget) : undefined;
    if (!sheet) throw new XlsxFormatError('no worksheet');
    const byType = (suffix: string) => [...rels.values()].find((r) => r.type.endsWith(suffix))?.target;
    // Declared sizes can lie (the budget counts what is really inflated), but an honest one refuses early.
    const declared = [sheetTarget, byType('/sharedStrings'), byType('/styles')].reduce(
      (n, path) => n + ((path && this.zip.entries.get(path)?.uncompressedSize) || 0),
      0,
    );
    if (declared > this.limits.maxUnzippedBytes) this.budget.take(declared);
    const dateStyles = await this.readDateStyles(byType('/styles'));
    const strings = await this.readSharedStrings(byType('/sharedStrings'));
    yield* this.readSheet(sheet, strings, dateStyles, workbook.date1904);
  }

  /** Feeds a part through a SAX parser; handlers run synchronously, batches are yielded per chunk. */
  private async *parse<T>(
    entry: ZipEntry,
    handlers: XmlHandlers,
    drain: () => T[],
    where: () => { row: number | null; column: number | null },
  ): AsyncGenerator<T[]> {
    const parser = new SaxesParser({ position: false });
    let failure: Error | undefined;
    parser.on('error', (error) => {
      failure ??= error;
    });
    if (handlers.open) parser.on('opentag', (tag) => handlers.open!(localName(tag.name), tag.attributes as Record<string, string>));
    if (handlers.text) parser.on('text', (text) => handlers.text!(text));
    if (handlers.close) parser.on('closetag', (tag) => handlers.close!(localName(tag.name)));
    let stream;
    try {
      stream = await this.zip.stream(entry);
    } catch (error) {
      throw error instanceof ZipFormatError ? new XlsxFormatError(error.message) : error;
    }
    const decoder = new StringDecoder('utf8');
    let run = 0;
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        this.budget.take(chunk.length);
        const text = decoder.write(chunk);
        // Guard the parser's own buffers: it gathers a text node or a tag whole before telling us.
        for (let pos = 0; ;) {
          const lt = text.indexOf('<', pos);
          const segmentEnd = lt === -1 ? text.length : lt;
          if (run + segmentEnd - pos > this.maxRun) {
            parser.write(text.slice(0, pos + (this.maxRun - run)));
            const { row, column } = where();
            if (row && column) {
              throw new XlsxLimitError(`Ячейка ${columnName(column)}${row}: больше ${formatNumber(this.limits.maxCellChars)} символов (предел)`, row, column);
            }
            throw new XlsxLimitError(`${entry.name}: больше ${formatNumber(this.maxRun)} символов XML без разметки`, row, null);
          }
          if (lt === -1) {
            run += text.length - pos;
            break;
          }
          run = 0;
          pos = lt + 1;
        }
        parser.write(text);
        if (failure) throw new XlsxFormatError(`${entry.name}: ${failure.message}`);
        const ready = drain();
        if (ready.length) yield ready;
      }
      parser.write(decoder.end());
      parser.close();
      if (failure) throw new XlsxFormatError(`${entry.name}: ${failure.message}`);
      const ready = drain();
      if (ready.length) yield ready;
    } catch (error) {
      if (error instanceof XlsxLimitError) {
        // The rows before the excess first: the caller names the column by its header.
        const ready = drain();
        if (ready.length) yield ready;
        throw error;
      }
      if (error instanceof XlsxFormatError) throw error;
      // A broken deflate stream or XML the parser threw on.
      throw new XlsxFormatError(`${entry.name}: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      stream.destroy();
    }
  }

  /** Reads a small part whole through the handlers. */
  private async consume(entry: ZipEntry, handlers: XmlHandlers): Promise<void> {
    const rows = this.parse(
      entry,
      handlers,
      () => [],
      () => ({ row: null, column: null }),
    );
    // Nothing is yielded: the handlers take what they need as the parser passes.
    while (!(await rows.next()).done);
  }

  private async officeDocumentPath(): Promise<string | undefined> {
    const entry = this.zip.entries.get('_rels/.rels');
    if (!entry) return undefined;
    let target: string | undefined;
    await this.consume(entry, {
      open: (name, a) => {
        if (name === 'Relationship' && a.Type?.endsWith('/officeDocument') && target === undefined) target = resolvePath('', a.Target);
      },
    });
    return target;
  }

  private async readWorkbook(path: string): Promise<{ firstSheetRelId?: string; date1904: boolean }> {
    const entry = this.zip.entries.get(path);
    if (!entry) throw new XlsxFormatError('no workbook part');
    const result: { firstSheetRelId?: string; date1904: boolean } = { date1904: false };
    await this.consume(entry, {
      open: (name, a) => {
        if (name === 'workbookPr') result.date1904 = a.date1904 === '1' || a.date1904 === 'true';
        if (name === 'sheet' && result.firstSheetRelId === undefined) {
          const key = Object.keys(a).find((k) => k === 'id' || k.endsWith(':id'));
          result.firstSheetRelId = key ? a[key] : undefined;
        }
      },
    });
    return result;
  }

  private async readRelationships(partPath: string): Promise<Map<string, { type: string; target: string }>> {
    const slash = partPath.lastIndexOf('/');
    const dir = partPath.slice(0, slash + 1);
    const entry = this.zip.entries.get(`${dir}_rels/${partPath.slice(slash + 1)}.rels`);
    const rels = new Map<string, { type: string; target: string }>();
    if (!entry) return rels;
    await this.consume(entry, {
      open: (name, a) => {
        if (name === 'Relationship' && a.Id && a.Target && a.TargetMode !== 'External')
          rels.set(a.Id, { type: a.Type ?? '', target: resolvePath(dir, a.Target) });
      },
    });
    return rels;
  }

  /** Which cell style indexes (`s`) format numbers as dates. */
  private async readDateStyles(path: string | undefined): Promise<boolean[]> {
    const entry = path ? this.zip.entries.get(path) : undefined;
    if (!entry) return [];
    const customDate = new Map<number, boolean>();
    const styles: boolean[] = [];
    let inCellXfs = false;
    await this.consume(entry, {
      open: (name, a) => {
        if (name === 'numFmt') customDate.set(Number(a.numFmtId), isDateFormatCode(a.formatCode ?? ''));
        else if (name === 'cellXfs') inCellXfs = true;
        else if (name === 'xf' && inCellXfs) {
          const id = Number(a.numFmtId ?? 0);
          styles.push(customDate.get(id) ?? BUILTIN_DATE_FORMATS.has(id));
        }
      },
      close: (name) => {
        if (name === 'cellXfs') inCellXfs = false;
      },
    });
    return styles;
  }

  private async readSharedStrings(path: string | undefined): Promise<Array<string | OversizedString>> {
    const entry = path ? this.zip.entries.get(path) : undefined;
    const strings: Array<string | OversizedString> = [];
    if (!entry) return strings;
    const max = this.limits.maxCellChars;
    let text: string | null = null;
    let length = 0;
    let inT = false;
    let phonetic = 0;
    await this.consume(entry, {
      open: (name) => {
        if (name === 'si') {
          text = '';
          length = 0;
        } else if (name === 't') inT = true;
        else if (name === 'rPh') phonetic++;
      },
      text: (value) => {
        if (text === null || !inT || phonetic > 0) return;
        length += value.length;
        if (length <= max) text += value;
      },
      close: (name) => {
        if (name === 't') inT = false;
        else if (name === 'rPh') phonetic--;
        else if (name === 'si') {
          strings.push(length > max ? new OversizedString(length) : (text ?? ''));
          text = null;
        }
      },
    });
    return strings;
  }

  private readSheet(entry: ZipEntry, strings: Array<string | OversizedString>, dateStyles: boolean[], date1904: boolean): AsyncGenerator<SheetRow[]> {
    const { maxRows, maxColumns, maxCellChars } = this.limits;
    const lastRow = maxRows + 1;
    let ready: SheetRow[] = [];
    let inSheetData = false;
    let rowNumber = 0;
    let values: SheetValue[] | null = null;
    let hasValue = false;
    // The cell being read.
    let column = 0;
    let type = 'n';
    let style = 0;
    let content: 'v' | 't' | null = null;
    let inInline = false;
    let phonetic = 0;
    let text = '';
    let hasText = false;

    const tooLong = (length: number): never => {
      throw new XlsxLimitError(
        `Ячейка ${columnName(column)}${rowNumber}: ${formatNumber(length)} символов, больше предела в ${formatNumber(maxCellChars)}`,
        rowNumber,
        column,
      );
    };
    const cellValue = (): SheetValue => {
      if (!hasText) return null;
      switch (type) {
        case 's': {
          const s = strings[Number(text)];
          if (s instanceof OversizedString) return tooLong(s.length);
          return s ?? null;
        }
        case 'inlineStr':
        case 'str':
          return text;
        case 'b':
          return text.trim() === '1' || text.trim() === 'true';
        case 'e':
          return text;
        case 'd': {
          const date = new Date(text);
          return Number.isNaN(date.getTime()) ? text : date;
        }
        default: {
          const n = Number(text);
          if (text.trim() === '' || !Number.isFinite(n)) return text;
          return dateStyles[style] ? excelSerialToDate(n, date1904) : n;
        }
      }
    };

    return this.parse<SheetRow>(
      entry,
      {
        open: (name, a) => {
          switch (name) {
            case 'dimension': {
              const ref = a.ref ?? '';
              const end = parseCellRef(ref.slice(ref.indexOf(':') + 1));
              if (end && (end.row > lastRow || end.column > maxColumns)) {
                throw new XlsxLimitError(
                  `Лист объявляет размер ${ref}: больше ${formatNumber(lastRow)} строк или ${formatNumber(maxColumns)} столбцов (до ${columnName(maxColumns)})`,
                  end.row,
                  end.column,
                );
              }
              break;
            }
            case 'sheetData':
              inSheetData = true;
              break;
            case 'row':
              if (!inSheetData) break;
              rowNumber = a.r ? Number(a.r) : rowNumber + 1;
              if (!Number.isSafeInteger(rowNumber) || rowNumber < 1) throw new XlsxFormatError(`bad row number ${a.r}`);
              values = [];
              hasValue = false;
              column = 0;
              break;
            case 'c': {
              if (!values) break;
              const ref = parseCellRef(a.r);
              column = ref ? ref.column : column + 1;
              type = a.t ?? 'n';
              style = a.s ? Number(a.s) : 0;
              text = '';
              hasText = false;
              content = null;
              inInline = false;
              phonetic = 0;
              break;
            }
            case 'v':
              if (values) content = 'v';
              break;
            case 'is':
              if (values) inInline = true;
              break;
            case 't':
              if (values && inInline) content = 't';
              break;
            case 'rPh':
              phonetic++;
              break;
          }
        },
        text: (value) => {
          if (content === null || phonetic > 0) return;
          hasText = true;
          if (text.length + value.length > maxCellChars) tooLong(text.length + value.length);
          text += value;
        },
        close: (name) => {
          switch (name) {
            case 'v':
            case 't':
              content = null;
              break;
            case 'is':
              inInline = false;
              break;
            case 'rPh':
              phonetic--;
              break;
            case 'c': {
              if (!values) break;
              const value = cellValue();
              if (value === null || (typeof value === 'string' && value.trim() === '')) break;
              if (column > maxColumns) {
                throw new XlsxLimitError(
                  `Ячейка ${columnName(column)}${rowNumber}: данные правее столбца ${columnName(maxColumns)} (предел ${formatNumber(maxColumns)} столбцов)`,
                  rowNumber,
                  column,
                );
              }
              values[column - 1] = value;
              hasValue = true;
              break;
            }
            case 'row':
              if (values && hasValue) {
                if (rowNumber > lastRow) {
                  throw new XlsxLimitError(`Строка ${formatNumber(rowNumber)}: в выгрузке больше ${formatNumber(maxRows)} строк (предел)`, rowNumber, null);
                }
                ready.push({ rowNumber, values });
              }
              values = null;
              break;
            case 'sheetData':
              inSheetData = false;
              break;
          }
        },
      },
      () => {
        const batch = ready;
        ready = [];
        return batch;
      },
      () => ({ row: values ? rowNumber : null, column: values ? column : null }),
    );
  }
}

/** A relationship target resolved against the folder of its source part. */
function resolvePath(dir: string, target: string): string {
  const parts = (target.startsWith('/') ? target.slice(1) : dir + target).split('/');
  const out: string[] = [];
  for (const part of parts) {
    if (part === '..') out.pop();
    else if (part !== '.' && part !== '') out.push(part);
  }
  return out.join('/');
}
