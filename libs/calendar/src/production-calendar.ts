import { dateOf, dayNumber, LocalDate, weekdayOf, yearOf } from './local-date';
import { labourCodeYear } from './labour-code';

/** The exceptions a production calendar lists; every other day is a weekday or a weekend by the week. */
export type CalendarDayKind = 'holiday' | 'day_off' | 'shortened' | 'working_weekend';

export interface CalendarDay {
  date: LocalDate;
  kind: CalendarDayKind;
  /** "Международный женский день", "Перенесённый выходной (с 27.04)". */
  name?: string;
}

export interface CalendarYear {
  year: number;
  days: CalendarDay[];
}

/** What the calendar says about one date. */
export interface DayFacts {
  date: LocalDate;
  /** ISO weekday, 1 = Monday. */
  weekday: number;
  /**
   * weekday / weekend: an ordinary day of the week; holiday: a non-working public holiday
   * (ТК ст. 112); day_off: a day off transferred by decree; working_weekend: a Saturday or Sunday
   * made a working day by transfer; shortened: a working day one hour shorter (ст. 95).
   */
  kind: 'weekday' | 'weekend' | CalendarDayKind;
  name?: string;
  /** True when the year had no decree and the day was derived from the Labour Code alone. */
  derived: boolean;
}

export interface ProductionCalendarOptions {
  /**
   * A date in a year without a decree: 'refuse' (the default) throws MissingCalendarYearError;
   * 'labour-code' derives the year from ТК ст. 112 (holidays, weekend holidays moved to the next
   * working day, pre-holiday days shortened) without the government's transfers, and warns.
   */
  missingYear: 'refuse' | 'labour-code';
  /** Called once per derived year, loudly: such due dates may be wrong. */
  warn?: (message: string) => void;
}

export class MissingCalendarYearError extends Error {
  constructor(readonly year: number) {
    super(`Производственный календарь на ${year} год не загружен: срок не может быть рассчитан`);
  }
}

/** The Russian production calendar as data: years loaded from config, a missing year refused. */
export class ProductionCalendar {
  private readonly days = new Map<number, CalendarDay>();
  private readonly loaded = new Set<number>();
  private readonly derived = new Set<number>();

  constructor(
    years: readonly CalendarYear[],
    private readonly options: ProductionCalendarOptions = { missingYear: 'refuse' },
  ) {
    for (const year of years) this.addYear(year);
  }

  /** Years that come from a decree. */
  get years(): number[] {
    return [...this.loaded].sort((a, b) => a - b);
  }

  has(year: number): boolean {
    return this.loaded.has(year);
  }

  factsOf(date: LocalDate): DayFacts {
    return this.facts(dayNumber(date));
  }

  facts(day: number): DayFacts {
    const year = yearOf(day);
    if (!this.loaded.has(year) && !this.derived.has(year)) this.missing(year);
    const weekday = weekdayOf(day);
    const special = this.days.get(day);
    const derived = this.derived.has(year);
    if (special) return { date: special.date, weekday, kind: special.kind, ...(special.name ? { name: special.name } : {}), derived };
    return { date: dateOf(day), weekday, kind: weekday >= 6 ? 'weekend' : 'weekday', derived };
  }

  private addYear(year: CalendarYear): void {
    if (this.loaded.has(year.year)) throw new RangeError(`production calendar: year ${year.year} given twice`);
    for (const d of year.days) {
      const day = dayNumber(d.date);
      if (yearOf(day) !== year.year) throw new RangeError(`production calendar ${year.year}: ${d.date} is outside the year`);
      if (this.days.has(day)) throw new RangeError(`production calendar ${year.year}: ${d.date} listed twice`);
      this.days.set(day, d);
    }
    this.loaded.add(year.year);
  }

  private missing(year: number): void {
    if (this.options.missingYear === 'refuse') throw new MissingCalendarYearError(year);
    for (const d of labourCodeYear(year)) this.days.set(dayNumber(d.date), d);
    this.derived.add(year);
    this.options.warn?.(
      `ВНИМАНИЕ: производственного календаря на ${year} год нет; дни ${year} года выведены из ст. 112 ТК РФ без переносов ` +
        `постановления Правительства. Сроки, попадающие на ${year} год, могут быть неверны — загрузите config/calendar/<страна>-${year}.json.`,
    );
  }
}
