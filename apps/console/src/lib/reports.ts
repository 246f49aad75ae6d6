import type { ReportSectionKey } from '@cur/contracts';

/** Names the reports' screens share: the sections, the counted figures, the colours of the charts. */
export const SECTION_NAMES: Record<ReportSectionKey, string> = { pos: 'ПОС', social: 'Соцсети', appeals: '59-ФЗ' };
export const SECTION_TITLES: Record<ReportSectionKey, string> = {
  pos: 'Сообщения ПОС',
  social: 'Публичные сообщения (соцсети)',
  appeals: 'Обращения (59-ФЗ)',
};
export const SECTIONS: ReportSectionKey[] = ['pos', 'social', 'appeals'];

export const FIGURE_TITLES: Record<string, string> = {
  received: 'поступило',
  answered: 'отвечено',
  answeredOnTime: 'отвечено в срок',
  answeredLate: 'отвечено с опозданием',
  openOverdue: 'просрочено, без ответа',
  openNotDue: 'без ответа, срок не истёк',
  openNoDueDate: 'без ответа и без срока',
  extensions: 'продлений срока',
  redirects: 'переадресаций',
  rejectedByModeration: 'отклонено модерацией',
  reconsiderations: 'повторных рассмотрений',
  ratings: 'оценок',
};

export const COLORS = {
  pos: '#2457c5',
  social: '#8e44ad',
  appeals: '#b26a00',
  ok: '#2e7d32',
  late: '#c62828',
  share: '#1d2330',
  previous: '#b8c2d3',
} as const;

/** 2026-03-05 → 05.03.2026. */
export const dayText = (day: string) => day.split('-').reverse().join('.');
/** 2026-03-05 → 05.03. */
export const shortDay = (day: string) => day.slice(8, 10) + '.' + day.slice(5, 7);

export const percent = (share: number | null | undefined) => (share === null || share === undefined ? '—' : `${Math.round(share * 100)}%`);

/** The parameters of `GET /api/v1/reports/figures/messages` for one figure. */
export type DrillParams = Record<string, string | number | null>;

export function drillQuery(base: DrillParams, params: DrillParams): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...base, ...params })) if (v !== undefined) p.set(k, v === null ? '' : String(v));
  return p.toString();
}

const MONTH_NAMES = ['январь', 'февраль', 'март', 'апрель', 'май', 'июнь', 'июль', 'август', 'сентябрь', 'октябрь', 'ноябрь', 'декабрь'];

/** 2026, 3 → «март 2026». */
export const monthTitle = (year: number, month: number) => `${MONTH_NAMES[month - 1]} ${year}`;

/** 2026, 3 → «2026-03», as `<input type="month">` writes it. */
export const monthValue = (year: number, month: number) => `${year}-${String(month).padStart(2, '0')}`;

/** The month now in Moscow, the region's zone. */
export function moscowMonth(now = new Date()): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Moscow', year: 'numeric', month: '2-digit' }).formatToParts(now).map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}`;
}

/** «2026-03» → {year: 2026, month: 3}; null for anything else. */
export function splitMonth(value: string | null): { year: number; month: number } | null {
  const m = value ? /^(\d{4})-(\d{2})$/.exec(value) : null;
  return m ? { year: Number(m[1]), month: Number(m[2]) } : null;
}
