import { LATE_COLOR, NOT_DUE_COLOR, OPEN_CHART_TITLE, ON_TIME_CHART_TITLE, ON_TIME_COLOR, chartSvg, openByDueOption, svgForPdf } from '../charts';
import { ORDER_TITLE } from '../figures';
import { formatFigure, renderMonthlyPdf } from '../pdf';
import { collect } from './collect';
import { bigReport, sampleReport } from './fixture';
import { readPdf, type PdfPage } from './pdf-text';

const OPTIONS = { regionName: 'Ростовская область' };

/** The page's text with every run of white space as one space: table cells wrap names over lines. */
function flat(page: PdfPage): string {
  return page.text.replace(/\s+/g, ' ');
}

describe('renderMonthlyPdf', () => {
  const report = sampleReport();
  let bytes: Buffer;
  let pages: PdfPage[];

  beforeAll(async () => {
    bytes = await collect((out) => renderMonthlyPdf(report, out, OPTIONS));
    pages = await readPdf(bytes);
  });

  it('is a PDF of A4 landscape pages', () => {
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pages.length).toBeGreaterThanOrEqual(5);
    for (const page of pages) {
      expect(page.width).toBeCloseTo(841.89, 1);
      expect(page.height).toBeCloseTo(595.28, 1);
    }
  });

  it('opens with the title block in readable Russian (the Cyrillic font is embedded)', () => {
    const first = pages[0].text.split('\n');
    expect(first).toEqual(
      expect.arrayContaining([
        ORDER_TITLE,
        'Регион: Ростовская область',
        'Организация: Правительство Ростовской области',
        'Период: ноябрь 2026',
        'Данные на: 01.12.2026 00:00 (UTC+03:00)',
        'Итоги по разделам',
      ]),
    );
    // The subset of PT Sans is in the file: text is not left to a reader's fonts.
    expect(bytes.toString('latin1')).toMatch(/\/FontName \/[A-Z]{6}\+PTSans-Regular/);
  });

  it('shows each section: its totals, the organizations under their groups with «Итого», the categories', () => {
    for (const section of report.sections) {
      const start = pages.findIndex((page) => page.text.startsWith(section.title));
      expect(start).toBeGreaterThan(0);
      const text = pages
        .slice(start, start + 2)
        .map(flat)
        .join(' ');
      expect(text).toContain(`Поступило ${section.totals.received}`);
      expect(text).toContain('По организациям');
      expect(text).toContain('Органы исполнительной власти');
      expect(text).toContain('Администрация города Таганрога');
      expect(text).toContain(`Итого ${section.totals.received} ${section.totals.answered}`);
      expect(text).toContain('По категориям');
      expect(text).toContain('0003.0007 ЖКХ: вывоз мусора');
    }
    const social = pages.find((page) => page.text.startsWith('Публичные сообщения'))!;
    expect(flat(social)).toContain('Медиана времени ответа, раб. ч');
  });

  it('draws the charts as vectors with their text', () => {
    const sectionPage = pages.find((page) => page.text.startsWith(report.sections[0].title))!;
    const text = sectionPage.text.split('\n');
    expect(text).toEqual(expect.arrayContaining([ON_TIME_CHART_TITLE, OPEN_CHART_TITLE, 'Муниципальные', 'В срок', 'С нарушением срока', 'Срок истёк: 3']));
    // The bars and slices are paths filled in the charts' own colours, which nothing else on a page uses.
    expect(sectionPage.fills).toEqual(expect.arrayContaining([ON_TIME_COLOR, LATE_COLOR, NOT_DUE_COLOR]));
    expect(pages[0].fills).not.toContain(ON_TIME_COLOR);
    expect(sectionPage.paths).toBeGreaterThan(0);
  });

  it('lists disciplinary measures with the persons the orders name, and the note on engagements', () => {
    const text = pages.map(flat).join(' ');
    expect(text).toContain('Применение мер дисциплинарной ответственности');
    expect(text).toContain('Иванова Мария Петровна Главный специалист Администрация города Таганрога Замечание');
    expect(text).toContain('20.11.2026');
    expect(text).toContain('Учёт обсуждений и голосований в системе ещё не ведётся');
  });

  it('shows the 40 most received categories of a long list and says how many more the XLSX has', async () => {
    const big = bigReport(100);
    const bigPages = await readPdf(await collect((out) => renderMonthlyPdf(big, out, OPTIONS)));
    const lines = bigPages.flatMap((page) => page.text.split('\n'));
    const shown = lines.filter((line) => /^\d{4}\.\d{4} Категория № \d+$/.test(line));
    expect(shown).toHaveLength(40);
    // received = i % 50: the rows received 49 times (Nos. 50 and 100) come first.
    expect(shown.slice(0, 2)).toEqual(['0000.0049 Категория № 50', '0000.0099 Категория № 100']);
    expect(lines).toContain('и ещё 60 категорий — полностью в XLSX');
    expect(lines).toContain('По категориям: 40 с наибольшим числом поступивших');
  });

  it('says there is nothing open rather than drawing an empty pie', async () => {
    const report = sampleReport();
    Object.assign(report.sections[2].totals, { openOverdue: 0, openNotDue: 0, openNoDueDate: 0 });
    const read = await readPdf(await collect((out) => renderMonthlyPdf(report, out, OPTIONS)));
    const appeals = read.find((page) => page.text.startsWith(report.sections[2].title))!;
    expect(appeals.text.split('\n')).toContain('Неотвеченных сообщений нет');
  });

  it('renders a report without organization or category rows, saying so in the chart', async () => {
    const report = sampleReport();
    for (const section of report.sections) Object.assign(section, { byOrganization: [], byCategory: [] });
    const read = await readPdf(await collect((out) => renderMonthlyPdf(report, out, OPTIONS)));
    const pos = read.find((page) => page.text.startsWith(report.sections[0].title))!;
    expect(pos.text.split('\n')).toContain('Нет строк по организациям');
  });
});

describe('svgForPdf', () => {
  it('drops the outline ECharts draws under label text, which the PDF renderer would draw over it', () => {
    const svg = chartSvg(openByDueOption(sampleReport().sections[0]), 400, 200);
    expect(svg).toMatch(/<text[^>]*paint-order="stroke"/);
    const fixed = svgForPdf(svg);
    expect(fixed).not.toMatch(/<text[^>]*(paint-order|stroke=)/);
    expect(fixed).toContain('>Срок истёк: 3</text>');
    expect(fixed.match(/<path/g)?.length).toBe(svg.match(/<path/g)?.length);
  });
});

describe('formatFigure', () => {
  it('writes figures the Russian way, a dash for no value', () => {
    expect(formatFigure(12345, 'count')).toBe('12\u00a0345');
    expect(formatFigure(4, 'time')).toBe('4,0');
    expect(formatFigure(4.256, 'rating')).toBe('4,26');
    expect(formatFigure(0.8333, 'share')).toBe('83,3\u00a0%');
    expect(formatFigure(null, 'share')).toBe('—');
  });
});
