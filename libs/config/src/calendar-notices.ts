import { dateOf, dayNumber, FixedOffsetZone, yearOf } from '@cur/calendar';
import type { Role } from '@cur/domain';
import type { Notice } from '@cur/platform';

/** Those who answer for deadlines and those who run the system: the people who can get the file added. */
const AUDIENCE: readonly Role[] = ['supervisor', 'admin'];

export interface CalendarNoticeInput {
  /** Years loaded from a decree. */
  years: readonly number[];
  now: Date;
  /** The region's zone: the year turns, and 1 October comes, at its midnight. */
  zone: FixedOffsetZone;
  /** `ru` for `config/calendar/ru-<year>.json`. */
  filePrefix: string;
  missingYear: 'refuse' | 'labour-code';
}

/**
 * What a missing production calendar year means for people, never silent: the current year
 * missing is critical (its due dates are refused or guessed right now); from 1 October the next
 * year missing is a warning, because the decree usually appears in September and terms of a month
 * or more already reach into January. Both are reported by /health too.
 */
export function calendarNotices({ years, now, zone, filePrefix, missingYear }: CalendarNoticeInput): Notice[] {
  const today = zone.dayOf(now.getTime());
  const year = yearOf(today);
  const loaded = new Set(years);
  const notices: Notice[] = [];
  if (!loaded.has(year)) {
    notices.push({
      id: `calendar-missing-${year}`,
      severity: 'critical',
      title: `Нет производственного календаря на ${year} год`,
      text: `${consequence(year, missingYear)} ${remedy(year, filePrefix)}`,
      audience: AUDIENCE,
      since: since(zone, `${year}-01-01`),
      health: true,
    });
  }
  const october = dayNumber(`${year}-10-01`);
  if (today >= october && !loaded.has(year + 1)) {
    notices.push({
      id: `calendar-missing-${year + 1}`,
      severity: 'warning',
      title: `Нет производственного календаря на ${year + 1} год`,
      text:
        `Постановление Правительства РФ о переносе выходных дней в ${year + 1} году обычно публикуется в сентябре. ` +
        `${consequence(year + 1, missingYear)} ${remedy(year + 1, filePrefix)}`,
      audience: AUDIENCE,
      since: since(zone, dateOf(october)),
      health: true,
    });
  }
  return notices;
}

function consequence(year: number, missingYear: CalendarNoticeInput['missingYear']): string {
  return missingYear === 'refuse'
    ? `Сроки, попадающие на ${year} год, не рассчитываются: сообщения ждут с неизвестным сроком.`
    : `Сроки, попадающие на ${year} год, считаются по ст. 112 ТК РФ без переносов постановления и могут быть неверны.`;
}

function remedy(year: number, filePrefix: string): string {
  return `Добавьте config/calendar/${filePrefix}-${year}.json по постановлению (праздники, переносы, сокращённые дни, итоги года) и перезапустите сервисы.`;
}

function since(zone: FixedOffsetZone, date: string): string {
  return new Date(zone.instant(dayNumber(date), 0)).toISOString();
}
