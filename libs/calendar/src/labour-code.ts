import { CalendarDay } from './production-calendar';
import { dateOf, MS_PER_DAY, weekdayOf } from './local-date';

/** Non-working public holidays, ТК РФ ст. 112 ч. 1 (as amended in 2012). */
const HOLIDAYS: readonly [month: number, day: number, name: string][] = [
  [1, 1, 'Новогодние каникулы'],
  [1, 2, 'Новогодние каникулы'],
  [1, 3, 'Новогодние каникулы'],
  [1, 4, 'Новогодние каникулы'],
  [1, 5, 'Новогодние каникулы'],
  [1, 6, 'Новогодние каникулы'],
  [1, 7, 'Рождество Христово'],
  [1, 8, 'Новогодние каникулы'],
  [2, 23, 'День защитника Отечества'],
  [3, 8, 'Международный женский день'],
  [5, 1, 'Праздник Весны и Труда'],
  [5, 9, 'День Победы'],
  [6, 12, 'День России'],
  [11, 4, 'День народного единства'],
];

/**
 * A year by the Labour Code alone, for when no decree is loaded: the holidays of ст. 112; a
 * holiday other than the January ones falling on a weekend gives the next working day off
 * (ст. 112 ч. 2; the January ones are moved only by the yearly decree, which is unknown here);
 * the working day before a holiday is one hour shorter (ст. 95).
 */
export function labourCodeYear(year: number): CalendarDay[] {
  const byDay = new Map<number, CalendarDay>();
  const day = (month: number, date: number) => Date.UTC(year, month - 1, date) / MS_PER_DAY;
  for (const [month, date, name] of HOLIDAYS) byDay.set(day(month, date), { date: dateOf(day(month, date)), kind: 'holiday', name });
  const free = (d: number) => weekdayOf(d) >= 6 || byDay.has(d);
  for (const [month, date, name] of HOLIDAYS) {
    const d = day(month, date);
    if (month === 1 || weekdayOf(d) < 6) continue;
    let transfer = d + 1;
    while (free(transfer)) transfer++;
    byDay.set(transfer, {
      date: dateOf(transfer),
      kind: 'day_off',
      name: `Перенесённый выходной (праздник ${dateOf(d).slice(8, 10)}.${dateOf(d).slice(5, 7)} — ${name})`,
    });
  }
  for (const [month, date] of HOLIDAYS) {
    const before = day(month, date) - 1;
    if (new Date(before * MS_PER_DAY).getUTCFullYear() !== year || free(before)) continue;
    byDay.set(before, { date: dateOf(before), kind: 'shortened', name: 'Предпраздничный день (на час короче)' });
  }
  return [...byDay.entries()].sort((a, b) => a[0] - b[0]).map(([, d]) => d);
}
