/**
 * A monthly summary as the API would return it, for the file tests: three sections, organizations
 * in every group, categories, figures without a value, disciplinary measures, no engagements (with
 * the note). All names and numbers are invented by the project.
 */
import type {
  MonthlyReport,
  OrganizationGroup,
  ReportCategoryRow,
  ReportFigures,
  ReportOrganizationRow,
  ReportSection,
  ReportSectionKey,
} from '@cur/contracts';

/** A field the CSV must quote (a separator and a quote inside). */
export const AWKWARD_NAME = 'МУП «Водоканал» г. Азова; участок "Северный"';

/** Figures from a few numbers; time and rating figures are null where nothing was answered or rated. */
export function figures(received: number, answered: number, late: number, unit: ReportFigures['timeToAnswerUnit'], seed = 1): ReportFigures {
  const ratings = answered > 2 ? Math.floor(answered / 3) : 0;
  return {
    received,
    answered,
    answeredOnTime: answered - late,
    answeredLate: late,
    openOverdue: seed % 4,
    openNotDue: received % 7,
    openNoDueDate: seed % 3 === 0 ? 1 : 0,
    timeToAnswerMedian: answered > 0 ? 3 + (seed % 5) * 0.5 : null,
    timeToAnswerMean: answered > 0 ? 3.25 + (seed % 7) * 0.4 : null,
    timeToAnswerUnit: unit,
    extensions: seed % 2,
    redirects: 1 + (seed % 3),
    rejectedByModeration: seed % 5 === 0 ? 2 : 0,
    reconsiderations: seed % 6 === 0 ? 1 : 0,
    ratings,
    ratingMean: ratings > 0 ? 3.5 + (seed % 4) * 0.25 : null,
    ratingHighShare: ratings > 0 ? 0.6 + (seed % 3) * 0.1 : null,
  };
}

export const ORGANIZATIONS: Array<{ id: string; name: string; group: OrganizationGroup }> = [
  { id: 'eb-health', name: 'Министерство здравоохранения Ростовской области', group: 'executive_body' },
  { id: 'eb-transport', name: 'Министерство транспорта Ростовской области', group: 'executive_body' },
  { id: 'eb-housing', name: 'Министерство жилищно-коммунального хозяйства Ростовской области', group: 'executive_body' },
  { id: 'in-hospital', name: 'ГБУ РО «Областная клиническая больница № 2»', group: 'institution' },
  { id: 'in-roads', name: 'ГКУ РО «Ростовавтодор»', group: 'institution' },
  { id: 'mu-taganrog', name: 'Администрация города Таганрога', group: 'municipality' },
  { id: 'mu-azov', name: 'Администрация Азовского района', group: 'municipality' },
  { id: 'mu-water', name: AWKWARD_NAME, group: 'municipality' },
  { id: 'cur', name: 'ЦУР Ростовской области', group: 'cur' },
];

const CATEGORIES: Array<[string | null, string]> = [
  ['0001.0001', 'Дороги и тротуары: ямочный ремонт'],
  ['0001.0002', 'Общественный транспорт: расписание'],
  ['0002.0001', 'Здравоохранение: запись к врачу'],
  ['0003.0004', 'ЖКХ: отопление'],
  ['0003.0007', 'ЖКХ: вывоз мусора'],
  [null, 'Без категории'],
];

function section(key: ReportSectionKey, title: string, unit: ReportFigures['timeToAnswerUnit'], scale: number): ReportSection {
  const byOrganization: ReportOrganizationRow[] = ORGANIZATIONS.map((org, i) => ({
    organizationId: org.id,
    organizationName: org.name,
    group: org.group,
    // The ЦУР row answers nothing: its time and rating figures have no value.
    ...(org.group === 'cur' ? figures(2 * scale, 0, 0, unit, i) : figures((10 + i * 3) * scale, (8 + i * 2) * scale, i % 3, unit, i + 1)),
  }));
  const byCategory: ReportCategoryRow[] = CATEGORIES.map(([code, name], i) => ({
    categoryCode: code,
    categoryName: name,
    ...figures((15 + i * 4) * scale, (12 + i * 3) * scale, i % 2, unit, i + 2),
  }));
  const totals = figures(
    byOrganization.reduce((sum, row) => sum + row.received, 0),
    byOrganization.reduce((sum, row) => sum + row.answered, 0),
    byOrganization.reduce((sum, row) => sum + row.answeredLate, 0),
    unit,
    7,
  );
  // A message redirected twice counts once in the section, once per organization in the rows: the totals are not the rows' sum.
  totals.redirects = 5;
  return { key, title, totals, byOrganization, byCategory };
}

export function sampleReport(): MonthlyReport {
  return {
    id: '0b6f1c1e-8a4e-4a57-9d1b-3c2f0e7a9d10',
    version: 2,
    mayApprove: false,
    year: 2026,
    month: 11,
    organizationId: null,
    organizationName: 'Правительство Ростовской области',
    status: 'ready',
    dataAsOf: '2026-12-01T00:00:00+03:00',
    sections: [
      section('pos', 'Сообщения платформы обратной связи (ПОС)', 'working_days', 3),
      section('social', 'Публичные сообщения (социальные сети)', 'working_hours', 2),
      section('appeals', 'Обращения граждан (59-ФЗ)', 'working_days', 1),
    ],
    discipline: {
      byMeasure: [
        { measure: 'remark', measureTitle: 'Замечание', count: 2 },
        { measure: 'reprimand', measureTitle: 'Выговор', count: 1 },
      ],
      items: [
        {
          person: 'Иванова Мария Петровна',
          position: 'Главный специалист',
          organizationId: 'mu-taganrog',
          organizationName: 'Администрация города Таганрога',
          measure: 'remark',
          measureTitle: 'Замечание',
          basis: 'Нарушение срока ответа на сообщение ПОС (3 случая)',
          orderNumber: '112-к',
          orderDate: '2026-11-20',
          discoveredOn: '2026-11-05',
        },
        {
          person: 'Петров Сергей Иванович',
          position: null,
          organizationId: 'eb-transport',
          organizationName: 'Министерство транспорта Ростовской области',
          measure: 'remark',
          measureTitle: 'Замечание',
          basis: 'Ответ без рассмотрения по существу',
          orderNumber: null,
          orderDate: null,
          discoveredOn: '2026-11-12',
        },
        {
          person: 'Сидоров Алексей Николаевич',
          position: 'Начальник отдела',
          organizationId: 'mu-azov',
          organizationName: 'Администрация Азовского района',
          measure: 'reprimand',
          measureTitle: 'Выговор',
          basis: 'Повторное нарушение срока; ответ "для галочки"',
          orderNumber: '45',
          orderDate: '2026-11-28',
          discoveredOn: null,
        },
      ],
    },
    engagements: { items: [], note: 'Учёт обсуждений и голосований в системе ещё не ведётся' },
  };
}

/** A region-sized report: one section with `categories` category rows. */
export function bigReport(categories: number): MonthlyReport {
  const report = sampleReport();
  const pos = report.sections[0];
  pos.byCategory = Array.from({ length: categories }, (_, i) => ({
    categoryCode: `${String(Math.floor(i / 100)).padStart(4, '0')}.${String(i % 100).padStart(4, '0')}`,
    categoryName: `Категория № ${i + 1}`,
    ...figures(i % 50, i % 40, Math.min(i % 3, i % 40), 'working_days', i),
  }));
  return report;
}
