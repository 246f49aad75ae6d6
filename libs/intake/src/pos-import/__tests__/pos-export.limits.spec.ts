import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { POS_EXPORT_HEADERS, buildPosExportXlsx, samplePosRow } from '../../../../../test/fixtures/pos-export.fixture';
import { cellXml, minimalPosRows, minimalXlsx, rowXml, sparseLastCellXlsx, zip } from '../../../../../test/fixtures/xlsx-files';
import { DEFAULT_POS_EXPORT_LIMITS, PosExportFormatError, PosExportLimitError, PosExportLimits, parsePosExport, readPosExport } from '../pos-export.parser';

const LIMITS: PosExportLimits = {
  ...DEFAULT_POS_EXPORT_LIMITS,
  maxRows: 50,
  maxColumns: 30,
  maxCellChars: 200,
  maxUnzippedBytes: 2 * 1024 * 1024,
  maxReportedErrors: 5,
};

async function refusal(source: string | Buffer, limits = LIMITS): Promise<PosExportLimitError> {
  const error = await readPosExport(source, () => undefined, limits).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PosExportLimitError);
  return error as PosExportLimitError;
}

/** Header + one data row whose Категория (column E) holds `category`. */
function withCategory(category: string, sharedStrings: boolean): Buffer {
  const values: Array<string | number | null> = [1001, null, null, null, category, null, null, null, null, 45722.4375];
  if (!sharedStrings) return minimalXlsx({ rows: [rowXml(1, [...POS_EXPORT_HEADERS]), rowXml(2, values)] });
  return minimalXlsx({
    sharedStrings: [category],
    rows: [rowXml(1, [...POS_EXPORT_HEADERS]), `<row r="2"><c r="A2"><v>1001</v></c><c r="E2" t="s"><v>0</v></c><c r="J2"><v>45722.4375</v></c></row>`],
  });
}

describe('ПОС export limits (streaming reader)', () => {
  it('refuses the sparse file whose one value sits at XFD1048576, naming the declared dimension', async () => {
    const error = await refusal(sparseLastCellXlsx(), DEFAULT_POS_EXPORT_LIMITS);
    expect(error.row).toBe(1_048_576);
    expect(error.field).toBe('XFD');
    expect(error.message).toContain('A1:XFD1048576');
  });

  it('refuses a value beyond the column limit without a declared dimension, naming its cell', async () => {
    const file = minimalXlsx({
      rows: [rowXml(1, [...POS_EXPORT_HEADERS]), `<row r="2"><c r="A2"><v>1</v></c><c r="XFD2" t="inlineStr"><is><t>x</t></is></c></row>`],
    });
    const error = await refusal(file);
    expect([error.row, error.field]).toEqual([2, 'XFD']);
    expect(error.message).toContain('XFD2');
  });

  it('refuses a file with more rows than the limit, naming the first row past it', async () => {
    const error = await refusal(minimalXlsx({ rows: minimalPosRows(LIMITS.maxRows + 10, 5000) }));
    expect(error.row).toBe(LIMITS.maxRows + 2);
    expect(error.message).toContain('Строка 52');
  });

  it('takes exactly the row limit', async () => {
    const result = await parsePosExport(minimalXlsx({ rows: minimalPosRows(LIMITS.maxRows, 5000) }), LIMITS);
    expect(result.rows).toHaveLength(LIMITS.maxRows);
  });

  it.each([
    ['an inline string', false],
    ['a shared string', true],
  ])('refuses a cell longer than the limit in %s, naming its row and column header', async (_label, shared) => {
    const error = await refusal(withCategory('Я'.repeat(LIMITS.maxCellChars + 1), shared));
    expect([error.row, error.field]).toEqual([2, 'Категория']);
    expect(error.message).toContain('E2');
  });

  it('refuses a 10 MB cell before holding it, naming its row and column header', async () => {
    const error = await refusal(withCategory('Я'.repeat(10 * 1024 * 1024), false), { ...LIMITS, maxUnzippedBytes: 1024 * 1024 * 1024 });
    expect([error.row, error.field]).toEqual([2, 'Категория']);
  });

  it('takes a cell of exactly the limit, entities included', async () => {
    const category = '&'.repeat(LIMITS.maxCellChars);
    const result = await parsePosExport(withCategory(category, false), LIMITS);
    expect(result.rows[0].category).toBe(category);
  });

  it('stops inflating past the unzipped limit (a ZIP bomb)', async () => {
    const padding = function* () {
      yield rowXml(1, [...POS_EXPORT_HEADERS]);
      for (let i = 0; i < 40; i++) yield `<row r="${i + 2}">${' '.repeat(100_000)}</row>`;
    };
    const error = await refusal(minimalXlsx({ rows: padding() }), { ...LIMITS, maxUnzippedBytes: 1024 * 1024 });
    expect(error.message).toMatch(/Распакованное содержимое файла больше 1 МБ/);
  });

  it('keeps today’s behaviour inside the limits: bad rows reported, good rows taken, errors listed up to the limit', async () => {
    const rows = [
      samplePosRow({ Номер: '1' }),
      ...Array.from({ length: 4 }, (_, i) => samplePosRow({ Номер: String(10 + i), 'Дата поступления': 'вчера', 'Оценка ответа заявителем': 9 })),
    ];
    const taken: string[] = [];
    const summary = await readPosExport(await buildPosExportXlsx(rows), (batch) => void taken.push(...batch.map((r) => r.number)), LIMITS);
    expect(taken).toEqual(['1']);
    expect(summary).toMatchObject({ totalRows: 5, goodRows: 1, rejectedRows: 4, errorsOmitted: 3 });
    expect(summary.errors).toHaveLength(5);
  });

  it('reads a file on disk the same as a buffer, and a sheet stored before its shared strings', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cur-pos-limits-'));
    try {
      const path = join(dir, 'export.xlsx');
      writeFileSync(path, await buildPosExportXlsx([samplePosRow({ Номер: '42' })]));
      const result = await parsePosExport(path, LIMITS);
      expect(result.rows.map((r) => r.number)).toEqual(['42']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a ZIP that is not a workbook as not an export', async () => {
    const notWorkbook = zip([{ name: 'readme.txt', parts: ['просто текст'] }]);
    await expect(parsePosExport(notWorkbook, LIMITS)).rejects.toBeInstanceOf(PosExportFormatError);
    const brokenXml = minimalXlsx({ rows: [`<row r="1">${cellXml('A1', 'Номер')}</ro>`] });
    await expect(parsePosExport(brokenXml, LIMITS)).rejects.toBeInstanceOf(PosExportFormatError);
  });
});
