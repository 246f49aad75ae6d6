import { Workbook } from 'exceljs';
import { POS_EXPORT_HEADERS, buildPosExportXlsx, samplePosRow } from '../../../../../test/fixtures/pos-export.fixture';
import { POS_EXPORT_COLUMNS, PosExportFormatError, parsePosExport } from '../pos-export.parser';

/** Moves the sample row's values under other header spellings (same order as the default headers). */
function rekey(row: Record<string, string | number | Date | null>, headers: string[]): Record<string, string | number | Date | null> {
  const out: Record<string, string | number | Date | null> = {};
  POS_EXPORT_HEADERS.forEach((h, i) => {
    if (h in row) out[headers[i]] = row[h];
  });
  return out;
}

async function expectFormatError(promise: Promise<unknown>): Promise<PosExportFormatError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PosExportFormatError);
  return err as PosExportFormatError;
}

describe('parsePosExport', () => {
  it('describes the 25 export columns, of which Номер and Дата поступления are required', () => {
    expect(POS_EXPORT_COLUMNS).toHaveLength(25);
    expect(POS_EXPORT_COLUMNS.map((c) => c.header)).toEqual(POS_EXPORT_HEADERS);
    expect(POS_EXPORT_COLUMNS.filter((c) => c.required).map((c) => c.header)).toEqual(['Номер', 'Дата поступления']);
  });

  it('parses all 25 columns into the right fields', async () => {
    const buffer = await buildPosExportXlsx([samplePosRow({ 'Повторное рассмотрение': 'Да', 'Заявитель выбрал подачу по 59-ФЗ': 'Да' })]);

    const result = await parsePosExport(buffer);

    expect(result.errors).toEqual([]);
    expect(result.totalRows).toBe(1);
    expect(result.rows).toEqual([
      {
        rowNumber: 2,
        number: '12345678',
        epguNumber: '987654321',
        source: 'ЕПГУ',
        topLevelLko: 'Администрация Ростовской области',
        category: 'Автомобильные дороги',
        subcategory: 'Ямы и выбоины на дорогах',
        fact: 'Яма на проезжей части',
        receivedByOrganization: 'Администрация города Таганрога',
        currentOrganization: 'Управление благоустройства города Таганрога',
        receivedAt: '2025-03-04T21:00:00.000Z',
        plannedCompletionAt: '2025-03-13T21:00:00.000Z',
        actualCompletionAt: '2025-03-11T21:00:00.000Z',
        stage: 'Завершено',
        status: 'Отправлен ответ заявителю',
        overdue: false,
        fastTrack: true,
        lawType: 'Обычное сообщение',
        applicantChose59Fz: true,
        resolutionType: 'Решено',
        emailedToFoiv: false,
        rating: 5,
        reconsideration: true,
        coordinatorName: 'Петрова А. В.',
        executorName: 'Сидоренко И. П.',
        headName: 'Кузнецов Д. Е.',
      },
    ]);
  });

  it('matches headers in any order and with ё, case, spacing and "(Да/Нет)" variants', async () => {
    const variants = POS_EXPORT_HEADERS.map((h) => {
      switch (h) {
        case 'Просрочено':
          return 'Просрочено (Да/Нет)';
        case 'Организация, в которую поступило сообщение':
          return '  организация,  в которую   поступило сообщение ';
        case 'Оценка ответа заявителем':
          return 'ОЦЕНКА ОТВЕТА ЗАЯВИТЕЛЕМ (1–5 или -)';
        case 'Номер ЕПГУ':
          return 'Номер\u00a0ЕПГУ';
        case 'Фаст-трек':
          return 'Фаст-трек (Да/Нет)';
        default:
          return h;
      }
    });
    variants[variants.indexOf('ФИО руководителя')] = 'фио руководителя';
    // A header with ё where the canonical one has е.
    variants[variants.indexOf('Верхнеуровневый ЛКО')] = 'Верхнеуровнёвый ЛКО';

    const row = rekey(samplePosRow({ Просрочено: 'да' }), variants);
    const shuffled = [...variants].reverse();
    shuffled.splice(3, 0, 'Служебный столбец');
    const buffer = await buildPosExportXlsx([{ ...row, 'Служебный столбец': 'лишнее' }], {
      headers: shuffled,
    });

    const result = await parsePosExport(buffer);

    expect(result.errors).toEqual([]);
    expect(result.rows).toHaveLength(1);
    const [parsed] = result.rows;
    expect(parsed.number).toBe('12345678');
    expect(parsed.epguNumber).toBe('987654321');
    expect(parsed.topLevelLko).toBe('Администрация Ростовской области');
    expect(parsed.receivedByOrganization).toBe('Администрация города Таганрога');
    expect(parsed.overdue).toBe(true);
    expect(parsed.fastTrack).toBe(true);
    expect(parsed.rating).toBe(5);
    expect(parsed.headName).toBe('Кузнецов Д. Е.');
    expect(parsed.receivedAt).toBe('2025-03-04T21:00:00.000Z');
  });

  it('reads string dates with and without time as Moscow time', async () => {
    const buffer = await buildPosExportXlsx([
      samplePosRow({
        'Дата поступления': '05.03.2025 10:30',
        'Дата планируемого завершения работ': '14.03.2025 18:00:59',
        'Дата фактического завершения работ': '01.01.2025',
      }),
    ]);

    const [row] = (await parsePosExport(buffer)).rows;

    expect(row.receivedAt).toBe('2025-03-05T07:30:00.000Z');
    expect(row.plannedCompletionAt).toBe('2025-03-14T15:00:59.000Z');
    expect(row.actualCompletionAt).toBe('2024-12-31T21:00:00.000Z');
  });

  it('reads real Excel date cells as Moscow wall-clock time', async () => {
    const buffer = await buildPosExportXlsx([
      {
        ...samplePosRow(),
        'Дата поступления': new Date(Date.UTC(2025, 2, 5, 10, 30)),
        'Дата планируемого завершения работ': new Date(Date.UTC(2025, 2, 14)),
        'Дата фактического завершения работ': null,
      },
    ]);

    const result = await parsePosExport(buffer);

    expect(result.errors).toEqual([]);
    expect(result.rows[0].receivedAt).toBe('2025-03-05T07:30:00.000Z');
    expect(result.rows[0].plannedCompletionAt).toBe('2025-03-13T21:00:00.000Z');
    expect(result.rows[0].actualCompletionAt).toBeNull();
  });

  it('reports bad rows with row numbers and column names and still returns the good rows', async () => {
    const buffer = await buildPosExportXlsx([
      samplePosRow({ Номер: '10000001' }), // row 2: good
      samplePosRow({ Номер: null }), // row 3: no number
      samplePosRow({ Номер: '10000003', 'Дата поступления': '31.02.2025' }), // row 4
      samplePosRow({ Номер: '10000004', 'Оценка ответа заявителем': 6 }), // row 5
      samplePosRow({ Номер: '10000005', 'Оценка ответа заявителем': 'хорошо' }), // row 6
      samplePosRow({ Номер: '10000006', Просрочено: 'Может быть' }), // row 7
      samplePosRow({ Номер: '10000001' }), // row 8: duplicate of row 2
      samplePosRow({ Номер: '10000008', 'Оценка ответа заявителем': '-' }), // row 9: good
    ]);

    const result = await parsePosExport(buffer);

    expect(result.totalRows).toBe(8);
    expect(result.rows.map((r) => [r.rowNumber, r.number])).toEqual([
      [2, '10000001'],
      [9, '10000008'],
    ]);
    expect(result.rows[1].rating).toBeNull();
    expect(result.errors.map((e) => [e.row, e.field])).toEqual([
      [3, 'Номер'],
      [4, 'Дата поступления'],
      [5, 'Оценка ответа заявителем'],
      [6, 'Оценка ответа заявителем'],
      [7, 'Просрочено'],
      [8, 'Номер'],
    ]);
    expect(result.errors.find((e) => e.row === 8)?.message).toBe('Номер повторяется в файле (строка 2)');
    for (const error of result.errors) expect(error.message).toMatch(/[А-Яа-яЁё]/);
  });

  it('reports one error per bad field of the same row', async () => {
    const buffer = await buildPosExportXlsx([
      samplePosRow({
        Номер: null,
        'Дата поступления': 'вчера',
        'Дата фактического завершения работ': '2025-13-01',
        'Оценка ответа заявителем': 3.5,
        'Фаст-трек': 'возможно',
      }),
    ]);

    const result = await parsePosExport(buffer);

    expect(result.rows).toEqual([]);
    expect(result.errors.map((e) => e.field).sort()).toEqual(
      ['Номер', 'Дата поступления', 'Дата фактического завершения работ', 'Оценка ответа заявителем', 'Фаст-трек'].sort(),
    );
    expect(result.errors.every((e) => e.row === 2)).toBe(true);
  });

  it.each([
    ['0', 0],
    ['6', 6],
    ['3.5', 3.5],
    ['«хорошо»', 'хорошо'],
  ])('rejects rating %s', async (_label, rating) => {
    const buffer = await buildPosExportXlsx([samplePosRow({ 'Оценка ответа заявителем': rating })]);
    const result = await parsePosExport(buffer);
    expect(result.rows).toEqual([]);
    expect(result.errors).toEqual([expect.objectContaining({ row: 2, field: 'Оценка ответа заявителем' })]);
  });

  it('accepts ratings 1..5 as numbers or text and treats "-" or empty as no rating', async () => {
    const buffer = await buildPosExportXlsx([
      samplePosRow({ Номер: '1', 'Оценка ответа заявителем': 1 }),
      samplePosRow({ Номер: '2', 'Оценка ответа заявителем': '4' }),
      samplePosRow({ Номер: '3', 'Оценка ответа заявителем': '-' }),
      samplePosRow({ Номер: '4', 'Оценка ответа заявителем': null }),
    ]);
    const result = await parsePosExport(buffer);
    expect(result.errors).toEqual([]);
    expect(result.rows.map((r) => r.rating)).toEqual([1, 4, null, null]);
  });

  it('accepts a count in Повторное рассмотрение (more than zero means yes)', async () => {
    const buffer = await buildPosExportXlsx([
      samplePosRow({ Номер: '1', 'Повторное рассмотрение': 2 }),
      samplePosRow({ Номер: '2', 'Повторное рассмотрение': 0 }),
      samplePosRow({ Номер: '3', 'Повторное рассмотрение': 'нет' }),
      samplePosRow({ Номер: '4', 'Повторное рассмотрение': null }),
    ]);
    const result = await parsePosExport(buffer);
    expect(result.errors).toEqual([]);
    expect(result.rows.map((r) => r.reconsideration)).toEqual([true, false, false, null]);
  });

  it('turns empty and "-" text cells into null and trims text', async () => {
    const buffer = await buildPosExportXlsx([samplePosRow({ Факт: '-', 'Номер ЕПГУ': null, Стадия: '  В работе  ', 'Тип решения': '' })]);
    const [row] = (await parsePosExport(buffer)).rows;
    expect(row.fact).toBeNull();
    expect(row.epguNumber).toBeNull();
    expect(row.stage).toBe('В работе');
    expect(row.resolutionType).toBeNull();
  });

  it('skips completely empty rows without counting them and keeps spreadsheet row numbers', async () => {
    const buffer = await buildPosExportXlsx([
      samplePosRow({ Номер: '1' }), // row 2
      {}, // row 3: empty
      { Номер: '   ', Факт: '' }, // row 4: only blanks
      samplePosRow({ Номер: '2', 'Оценка ответа заявителем': 9 }), // row 5
      {}, // row 6
    ]);

    const result = await parsePosExport(buffer);

    expect(result.totalRows).toBe(2);
    expect(result.rows.map((r) => r.rowNumber)).toEqual([2]);
    expect(result.errors).toEqual([expect.objectContaining({ row: 5 })]);
  });

  it('finds the header in the first non-empty row', async () => {
    const workbook = new Workbook();
    const sheet = workbook.addWorksheet('Выгрузка');
    sheet.getRow(3).values = ['Номер', 'Дата поступления'];
    sheet.getRow(4).values = [555, '05.03.2025'];
    const buffer = Buffer.from(await workbook.xlsx.writeBuffer());

    const result = await parsePosExport(buffer);

    expect(result.errors).toEqual([]);
    expect(result.rows).toEqual([expect.objectContaining({ rowNumber: 4, number: '555', category: null, rating: null })]);
  });

  it('turns a numeric Номер into a string without a decimal part', async () => {
    const buffer = await buildPosExportXlsx([samplePosRow({ Номер: 12345678, 'Номер ЕПГУ': 4242 })]);
    const [row] = (await parsePosExport(buffer)).rows;
    expect(row.number).toBe('12345678');
    expect(row.epguNumber).toBe('4242');
  });

  it('reads rich text, hyperlink and formula cells by their text or result', async () => {
    const workbook = new Workbook();
    const sheet = workbook.addWorksheet('Выгрузка');
    sheet.getRow(1).values = ['Номер', 'Дата поступления', 'Факт', 'Источник', 'Оценка ответа заявителем'];
    const row = sheet.getRow(2);
    row.getCell(1).value = { richText: [{ text: '1234' }, { text: '5678' }] };
    row.getCell(2).value = { formula: 'TODAY()', result: '05.03.2025' };
    row.getCell(3).value = { text: 'Яма у школы', hyperlink: 'https://example.org/1' };
    row.getCell(4).value = '  ЕПГУ ';
    row.getCell(5).value = { formula: '2+2', result: 4 };
    const buffer = Buffer.from(await workbook.xlsx.writeBuffer());

    const result = await parsePosExport(buffer);

    expect(result.errors).toEqual([]);
    expect(result.rows[0]).toEqual(
      expect.objectContaining({
        number: '12345678',
        receivedAt: '2025-03-04T21:00:00.000Z',
        fact: 'Яма у школы',
        source: 'ЕПГУ',
        rating: 4,
      }),
    );
  });

  it('leaves fields of missing optional columns null', async () => {
    const buffer = await buildPosExportXlsx([{ Номер: '77', 'Дата поступления': '05.03.2025' }], {
      headers: ['Номер', 'Дата поступления'],
    });
    const result = await parsePosExport(buffer);
    expect(result.rows).toHaveLength(1);
    expect(result.rows[0]).toEqual(expect.objectContaining({ number: '77', overdue: null, rating: null, headName: null }));
  });

  it('rejects a file without a required column and names it', async () => {
    const headers = POS_EXPORT_HEADERS.filter((h) => h !== 'Дата поступления');
    const buffer = await buildPosExportXlsx([samplePosRow()], { headers });

    const err = await expectFormatError(parsePosExport(buffer));

    expect(err.missingColumns).toEqual(['Дата поступления']);
    expect(err.message).toContain('Дата поступления');
  });

  it('names every missing required column', async () => {
    const buffer = await buildPosExportXlsx([{ Факт: 'текст' }], { headers: ['Факт'] });
    const err = await expectFormatError(parsePosExport(buffer));
    expect(err.missingColumns).toEqual(['Номер', 'Дата поступления']);
  });

  it.each([
    ['random bytes', Buffer.from('это не таблица, а просто текст')],
    ['an empty buffer', Buffer.alloc(0)],
    ['a broken ZIP', Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(64, 7)])],
  ])('rejects %s as not an XLSX export', async (_label, buffer) => {
    const err = await expectFormatError(parsePosExport(buffer));
    expect(err.message).toBe('Файл не является XLSX-выгрузкой ПОС');
    expect(err.missingColumns).toEqual([]);
  });
});
