import { Workbook, type Worksheet } from 'exceljs';
import type { ReportSection } from '@cur/contracts';
import { ENGAGEMENT_HEADERS, FIGURE_KEYS, GROUP_TITLES, ORDER_TITLE } from '../figures';
import { writeMonthlyXlsx } from '../xlsx';
import { collect } from './collect';
import { AWKWARD_NAME, bigReport, sampleReport } from './fixture';

async function readBack(buffer: Buffer): Promise<Workbook> {
  const workbook = new Workbook();
  await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  return workbook;
}

function columnA(sheet: Worksheet): Array<{ row: number; text: string }> {
  const cells: Array<{ row: number; text: string }> = [];
  sheet.eachRow((row, number) => {
    const value = row.getCell(1).value;
    if (typeof value === 'string') cells.push({ row: number, text: value });
  });
  return cells;
}

function rowNumber(sheet: Worksheet, text: string, from = 1): number {
  const found = columnA(sheet).find((cell) => cell.row >= from && cell.text === text);
  if (!found) throw new Error(`no row «${text}» from row ${from} in «${sheet.name}»`);
  return found.row;
}

function figuresOf(sheet: Worksheet, row: number): unknown[] {
  return FIGURE_KEYS.map((_, i) => sheet.getRow(row).getCell(i + 2).value);
}

function expectedFigures(section: ReportSection, which: 'totals'): unknown[] {
  return FIGURE_KEYS.map((key) => section[which][key]);
}

describe('writeMonthlyXlsx', () => {
  const report = sampleReport();
  let workbook: Workbook;

  beforeAll(async () => {
    workbook = await readBack(await collect((out) => writeMonthlyXlsx(report, out, { regionName: 'Ростовская область' })));
  });

  it('has a sheet per section, then discipline and engagements', () => {
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual([
      'Сообщения ПОС',
      'Публичные сообщения',
      'Обращения 59-ФЗ',
      'Дисциплина',
      'Обсуждения и голосования',
    ]);
  });

  it('opens each section sheet with the title block: order, region, organization, period, data instant', () => {
    const texts = columnA(workbook.getWorksheet('Сообщения ПОС')!).map((cell) => cell.text);
    expect(texts.slice(0, 7)).toEqual([
      ORDER_TITLE,
      'Регион: Ростовская область',
      'Организация: Правительство Ростовской области',
      'Период: ноябрь 2026',
      'Данные на: 01.12.2026 00:00 (UTC+03:00)',
      'Версия отчёта: 2 (сформирован)',
      'Раздел: Сообщения платформы обратной связи (ПОС)',
    ]);
  });

  it('names every figure in Russian, the time unit in the time headers, and freezes the header row', () => {
    const pos = workbook.getWorksheet('Сообщения ПОС')!;
    const header = rowNumber(pos, 'Организация');
    expect(pos.views[0]).toMatchObject({ state: 'frozen', ySplit: header, xSplit: 1 });
    expect(pos.getRow(header).values).toEqual([
      undefined,
      'Организация',
      'Поступило',
      'Дан ответ',
      'В срок',
      'С нарушением срока',
      'Не отвечено, срок истёк',
      'Не отвечено, срок не истёк',
      'Не отвечено, срок не определён',
      'Медиана времени ответа, раб. дн.',
      'Среднее время ответа, раб. дн.',
      'Продления',
      'Перенаправления',
      'Отклонено модерацией',
      'Повторные рассмотрения',
      'Оценок',
      'Средняя оценка',
      'Доля оценок 4–5',
    ]);
    const social = workbook.getWorksheet('Публичные сообщения')!;
    const socialHeader = social.getRow(rowNumber(social, 'Организация'));
    expect(socialHeader.getCell(9).value).toBe('Медиана времени ответа, раб. ч');
    expect(socialHeader.getCell(10).value).toBe('Среднее время ответа, раб. ч');
  });

  it('lists organizations under their group, then «Итого» equal to the section totals (not the rows added up)', () => {
    report.sections.forEach((section, s) => {
      const sheet = workbook.worksheets[s];
      const header = rowNumber(sheet, 'Организация');
      const texts = columnA(sheet)
        .filter((cell) => cell.row > header)
        .map((cell) => cell.text);
      const totalsAt = texts.indexOf('Итого');
      expect(texts.slice(0, totalsAt)).toEqual([
        GROUP_TITLES.executive_body,
        'Министерство здравоохранения Ростовской области',
        'Министерство транспорта Ростовской области',
        'Министерство жилищно-коммунального хозяйства Ростовской области',
        GROUP_TITLES.institution,
        'ГБУ РО «Областная клиническая больница № 2»',
        'ГКУ РО «Ростовавтодор»',
        GROUP_TITLES.municipality,
        'Администрация города Таганрога',
        'Администрация Азовского района',
        AWKWARD_NAME,
        GROUP_TITLES.cur,
        'ЦУР Ростовской области',
      ]);
      const totalsRow = rowNumber(sheet, 'Итого', header);
      expect(figuresOf(sheet, totalsRow)).toEqual(expectedFigures(section, 'totals'));
      const redirectsColumn = FIGURE_KEYS.indexOf('redirects') + 2;
      const rowsSum = section.byOrganization.reduce((sum, row) => sum + row.redirects, 0);
      expect(sheet.getRow(totalsRow).getCell(redirectsColumn).value).not.toBe(rowsSum);
    });
  });

  it('writes numbers as numbers, a figure without a value as an empty cell, shares in percent format', () => {
    const sheet = workbook.getWorksheet('Сообщения ПОС')!;
    const section = report.sections[0];
    const health = sheet.getRow(rowNumber(sheet, 'Министерство здравоохранения Ростовской области'));
    const row = section.byOrganization[0];
    expect(figuresOf(sheet, health.number)).toEqual(FIGURE_KEYS.map((key) => row[key]));
    expect(typeof health.getCell(2).value).toBe('number');
    expect(typeof health.getCell(9).value).toBe('number');
    const cur = sheet.getRow(rowNumber(sheet, 'ЦУР Ростовской области'));
    expect(cur.getCell(FIGURE_KEYS.indexOf('timeToAnswerMedian') + 2).value).toBeNull();
    expect(cur.getCell(FIGURE_KEYS.indexOf('ratingHighShare') + 2).value).toBeNull();
    expect(health.getCell(FIGURE_KEYS.indexOf('ratingHighShare') + 2).numFmt).toBe('0.0%');
    expect(health.getCell(FIGURE_KEYS.indexOf('timeToAnswerMean') + 2).numFmt).toBe('0.0');
  });

  it('then a table by category with its own «Итого»', () => {
    report.sections.forEach((section, s) => {
      const sheet = workbook.worksheets[s];
      const header = rowNumber(sheet, 'Категория');
      const texts = columnA(sheet).filter((cell) => cell.row > header);
      expect(texts.map((cell) => cell.text)).toEqual([
        '0001.0001 Дороги и тротуары: ямочный ремонт',
        '0001.0002 Общественный транспорт: расписание',
        '0002.0001 Здравоохранение: запись к врачу',
        '0003.0004 ЖКХ: отопление',
        '0003.0007 ЖКХ: вывоз мусора',
        'Без категории',
        'Итого',
      ]);
      expect(figuresOf(sheet, texts[0].row)).toEqual(FIGURE_KEYS.map((key) => section.byCategory[0][key]));
      expect(figuresOf(sheet, texts[6].row)).toEqual(expectedFigures(section, 'totals'));
    });
  });

  it('sizes the name column to the longest name and the figure columns to their headers', () => {
    const sheet = workbook.getWorksheet('Сообщения ПОС')!;
    expect(sheet.getColumn(1).width).toBeGreaterThanOrEqual('Министерство жилищно-коммунального хозяйства Ростовской области'.length);
    for (let c = 2; c <= FIGURE_KEYS.length + 1; c++) expect(sheet.getColumn(c).width).toBeGreaterThanOrEqual(12);
  });

  it('has the discipline sheet: counts by measure, then the measures with dates as dates', () => {
    const sheet = workbook.getWorksheet('Дисциплина')!;
    const measures = rowNumber(sheet, 'Мера');
    expect(sheet.getRow(measures + 1).values).toEqual([undefined, 'Замечание', 2]);
    expect(sheet.getRow(measures + 2).values).toEqual([undefined, 'Выговор', 1]);
    const header = rowNumber(sheet, 'ФИО');
    expect(sheet.getRow(header).values).toEqual([
      undefined,
      'ФИО',
      'Должность',
      'Организация',
      'Мера',
      'Основание',
      'Номер приказа',
      'Дата приказа',
      'Дата выявления',
    ]);
    const first = sheet.getRow(header + 1);
    expect(first.getCell(1).value).toBe('Иванова Мария Петровна');
    expect(first.getCell(6).value).toBe('112-к');
    expect(first.getCell(7).value).toEqual(new Date(Date.UTC(2026, 10, 20)));
    expect(first.getCell(7).numFmt).toBe('dd.mm.yyyy');
    const second = sheet.getRow(header + 2);
    expect(second.getCell(2).value).toBeNull();
    expect(second.getCell(7).value).toBeNull();
  });

  it('has the engagements sheet with the note when there are none', () => {
    const texts = columnA(workbook.getWorksheet('Обсуждения и голосования')!).map((cell) => cell.text);
    expect(texts[0]).toBe(ORDER_TITLE);
    expect(texts).toContain('Учёт обсуждений и голосований в системе ещё не ведётся');
  });

  it('lists the engagements with their theme, the working days to the result and to the decision, and whether a term was broken', async () => {
    const report = sampleReport();
    report.engagements = {
      note: null,
      items: [
        {
          kind: 'vote',
          title: 'Что благоустроить в 2027 году',
          theme: 'Инициативное бюджетирование',
          organizer: 'ЦУР Ростовской области',
          startsOn: '2026-11-02',
          endsOn: '2026-11-09',
          participants: 1520,
          result: 'Победил проект «Детская площадка»',
          daysToResult: 6,
          daysToAct: null,
          late: true,
        },
      ],
    };
    const read = await readBack(await collect((out) => writeMonthlyXlsx(report, out, { regionName: 'Ростовская область' })));
    const sheet = read.getWorksheet('Обсуждения и голосования')!;
    const header = rowNumber(sheet, 'Вид');
    expect((sheet.getRow(header).values as unknown[]).slice(1)).toEqual([...ENGAGEMENT_HEADERS]);
    const row = (sheet.getRow(header + 1).values as unknown[]).slice(1);
    expect(row.map((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v))).toEqual([
      'Голосование',
      'Что благоустроить в 2027 году',
      'Инициативное бюджетирование',
      'ЦУР Ростовской области',
      '2026-11-02',
      '2026-11-09',
      1520,
      'Победил проект «Детская площадка»',
      6,
      // No decision yet: an empty cell.
      undefined,
      'да',
    ]);
  });

  it('writes a region-sized report (5,000 category rows) in full', async () => {
    const big = bigReport(5000);
    const read = await readBack(await collect((out) => writeMonthlyXlsx(big, out, { regionName: 'Ростовская область', orderTitle: 'Приказ № 733' })));
    const sheet = read.getWorksheet('Сообщения ПОС')!;
    const header = rowNumber(sheet, 'Категория');
    const rows = columnA(sheet).filter((cell) => cell.row > header);
    expect(rows).toHaveLength(5001);
    expect(rows[4999].text).toBe('0049.0099 Категория № 5000');
    expect(rows[5000].text).toBe('Итого');
    expect(figuresOf(sheet, rows[4999].row)).toEqual(FIGURE_KEYS.map((key) => big.sections[0].byCategory[4999][key]));
    expect(columnA(sheet)[0].text).toBe('Приказ № 733');
  });
});
