import { DEFAULT_SEMANTICS, DeadlineSemantics, DurationSpec, durationText } from './duration';
import { dateOf, hhmm, LocalDate, MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE, russianDate, WEEKDAY_SHORT } from './local-date';
import { DEFAULT_OFFICE_SCHEDULE, DayHours, OfficeSchedule } from './office-hours';
import { DayFacts, ProductionCalendar } from './production-calendar';
import { FixedOffsetZone } from './time-zone';

/** A counting never runs further than this; beyond it the schedule or the term is wrong. */
const MAX_DAYS = 366 * 5;

export interface OfficeDay {
  day: number;
  facts: DayFacts;
  /** Office hours that day (shortened already applied), null when the organization does not work. */
  hours: DayHours | null;
}

/** A day counted towards a term; for hours, the office interval used. */
export interface CountedDay {
  date: LocalDate;
  weekday: number;
  /** The n-th working day of a working-day term. */
  ordinal?: number;
  /** Office time used, for hour terms. */
  from?: string;
  to?: string;
  minutes?: number;
  shortened: boolean;
  workingWeekend: boolean;
}

export type SkipReason = 'weekend' | 'holiday' | 'day_off' | 'not_office_day' | 'office_closed';

export interface SkippedDay {
  date: LocalDate;
  weekday: number;
  reason: SkipReason;
  name?: string;
}

/** Everything needed to check a due date by hand. */
export interface DueExplanation {
  start: string;
  term: DurationSpec;
  /** The counting rule applied, in Russian. */
  rule: string;
  counted: CountedDay[];
  skipped: SkippedDay[];
  /** Shortened pre-holiday days the count met, with their closing time. */
  shortened: { date: LocalDate; closesAt: string }[];
  /** Calendar-day terms: the date N days on, and where ст. 193 moved it. */
  nominalEnd?: LocalDate;
  movedTo?: LocalDate;
  /** Years counted by the Labour Code alone because no decree was loaded. */
  derivedYears: number[];
  due: string;
  /** The same, as sentences. */
  lines: string[];
}

/**
 * Working time of one organization: the production calendar, its office schedule and the
 * region's time zone. All arithmetic is exact to the millisecond (breach evidence, КоАП 5.59).
 */
export class WorkingTime {
  constructor(
    readonly calendar: ProductionCalendar,
    readonly schedule: OfficeSchedule = DEFAULT_OFFICE_SCHEDULE,
    readonly zone: FixedOffsetZone = FixedOffsetZone.of('Europe/Moscow', 180),
    readonly semantics: DeadlineSemantics = DEFAULT_SEMANTICS,
  ) {}

  officeDay(day: number): OfficeDay {
    const facts = this.calendar.facts(day);
    return { day, facts, hours: this.hoursOf(facts) };
  }

  /** Office hours of a local date, or null. */
  officeHoursOn(date: LocalDate): DayHours | null {
    return this.hoursOf(this.calendar.factsOf(date));
  }

  isWorkingDay(date: LocalDate): boolean {
    return this.officeHoursOn(date) !== null;
  }

  isWorkingInstant(instant: Date): boolean {
    const t = instant.getTime();
    const hours = this.officeDay(this.zone.dayOf(t)).hours;
    const ms = this.zone.msOfDay(t);
    return hours !== null && ms >= hours.opensAt * MS_PER_MINUTE && ms < hours.closesAt * MS_PER_MINUTE;
  }

  add(start: Date, term: DurationSpec): Date {
    return this.count(start, term, null);
  }

  explain(start: Date, term: DurationSpec): DueExplanation {
    const trace = newTrace();
    const due = this.count(start, term, trace);
    return this.render(start, term, due, trace);
  }

  addWorkingDays(start: Date, amount: number): Date {
    return this.add(start, { amount, unit: 'working_days' });
  }

  addWorkingHours(start: Date, amount: number): Date {
    return this.add(start, { amount, unit: 'working_hours' });
  }

  addCalendarDays(start: Date, amount: number): Date {
    return this.add(start, { amount, unit: 'calendar_days' });
  }

  /** N ms of office time from the start (or from the next opening). */
  addWorkingTime(start: Date, ms: number): Date {
    return new Date(this.forward(start.getTime(), ms, null));
  }

  /** The instant N ms of office time before `end` (the mirror of addWorkingTime). */
  subtractWorkingTime(end: Date, ms: number): Date {
    let left = ms;
    let day = this.zone.dayOf(end.getTime());
    let until = this.zone.msOfDay(end.getTime());
    for (let guard = 0; guard < MAX_DAYS; guard++, day--, until = MS_PER_DAY) {
      const hours = this.officeDay(day).hours;
      if (!hours) continue;
      const close = Math.min(until, hours.closesAt * MS_PER_MINUTE);
      const open = hours.opensAt * MS_PER_MINUTE;
      if (close <= open) continue;
      if (left <= close - open) return new Date(this.zone.instant(day, close - left));
      left -= close - open;
    }
    throw new RangeError(`no ${ms} ms of office time within ${MAX_DAYS} days before ${end.toISOString()}`);
  }

  /** Office time between two instants, in ms; negative when `to` is before `from`. */
  workingTimeBetween(from: Date, to: Date): number {
    const a = from.getTime();
    const b = to.getTime();
    if (b < a) return -this.workingTimeBetween(to, from);
    let total = 0;
    const last = this.zone.dayOf(b);
    for (let day = this.zone.dayOf(a); day <= last; day++) {
      const hours = this.officeDay(day).hours;
      if (!hours) continue;
      const open = this.zone.instant(day, hours.opensAt * MS_PER_MINUTE);
      const close = this.zone.instant(day, hours.closesAt * MS_PER_MINUTE);
      total += Math.max(0, Math.min(close, b) - Math.max(open, a));
    }
    return total;
  }

  /** The next instant office time begins (the instant itself when it is office time). */
  nextOpening(instant: Date): Date {
    return new Date(this.forward(instant.getTime(), 0, null));
  }

  /** When a day term ending on this local day ends. */
  dayEnd(day: number): number {
    const hours = this.officeDay(day).hours;
    // The last millisecond of the day: an act at 23:59:59.5 is still in time.
    if (this.semantics.dayTermEndsAt === 'end_of_day' || !hours) return this.zone.instant(day, MS_PER_DAY - 1);
    return this.zone.instant(day, hours.closesAt * MS_PER_MINUTE);
  }

  private hoursOf(facts: DayFacts): DayHours | null {
    const s = this.schedule;
    switch (facts.kind) {
      case 'holiday':
      case 'day_off':
        return null;
      case 'working_weekend':
        return s.workingWeekend;
      case 'shortened': {
        // A shortened Saturday is a working weekend day; a shortened weekday the office never works stays off.
        const base = s.weekly[facts.weekday] ?? (facts.weekday >= 6 ? s.workingWeekend : null);
        return base ? { opensAt: base.opensAt, closesAt: base.closesAt - s.shortenedByMinutes } : null;
      }
      default:
        return s.weekly[facts.weekday] ?? null;
    }
  }

  private count(start: Date, term: DurationSpec, trace: Trace | null): Date {
    if (!Number.isFinite(term.amount) || term.amount < 0) throw new RangeError(`a term needs a non-negative amount, got ${term.amount}`);
    const t = start.getTime();
    if (Number.isNaN(t)) throw new RangeError('invalid start instant');
    switch (term.unit) {
      case 'working_hours':
        return new Date(this.forward(t, term.amount * MS_PER_HOUR, trace));
      case 'working_days':
        return new Date(this.workingDays(t, term.amount, trace));
      case 'calendar_days':
        return new Date(this.calendarDays(t, term.amount, trace));
      default:
        throw new RangeError(`unknown unit "${term.unit as string}"`); // only an unchecked value gets here
    }
  }

  private forward(t: number, ms: number, trace: Trace | null): number {
    let left = ms;
    let day = this.zone.dayOf(t);
    let from = this.zone.msOfDay(t);
    for (let guard = 0; guard < MAX_DAYS; guard++, day++, from = 0) {
      const office = this.officeDay(day);
      const hours = office.hours;
      if (!hours) {
        trace?.skip(office, this.skipReason(office));
        continue;
      }
      const begin = Math.max(from, hours.opensAt * MS_PER_MINUTE);
      const close = hours.closesAt * MS_PER_MINUTE;
      trace?.meet(office);
      if (begin >= close) {
        trace?.skip(office, 'office_closed');
        continue;
      }
      const used = Math.min(left, close - begin);
      trace?.countHours(office, begin, begin + used);
      if (left <= close - begin) return this.zone.instant(day, begin + left);
      left -= used;
    }
    throw new RangeError(`no ${ms / MS_PER_HOUR} h of office time within ${MAX_DAYS} days`);
  }

  private workingDays(t: number, amount: number, trace: Trace | null): number {
    let day = this.zone.dayOf(t);
    let counted = 0;
    if (this.semantics.workingDaysCountStartDay && amount > 0) {
      const office = this.officeDay(day);
      // The start's own day counts only when the office is still open at the start.
      if (office.hours && this.zone.msOfDay(t) < office.hours.closesAt * MS_PER_MINUTE) {
        counted = 1;
        trace?.countDay(office, 1);
        if (amount === 1) return this.dayEnd(day);
      }
    }
    for (let guard = 0; guard < MAX_DAYS; guard++) {
      if (amount === 0 && guard === 0) {
        // 0 working days: the start's own date when it is a working day, else the next one.
        const office = this.officeDay(day);
        if (office.hours) return this.finish(office, trace);
        trace?.skip(office, this.skipReason(office));
      }
      day++;
      const office = this.officeDay(day);
      if (!office.hours) {
        trace?.skip(office, this.skipReason(office));
        continue;
      }
      if (amount === 0) return this.finish(office, trace);
      counted++;
      trace?.countDay(office, counted);
      if (counted >= amount) return this.dayEnd(day);
    }
    throw new RangeError(`no ${amount} working days within ${MAX_DAYS} days`);
  }

  private finish(office: OfficeDay, trace: Trace | null): number {
    trace?.countDay(office, 0);
    return this.dayEnd(office.day);
  }

  private calendarDays(t: number, amount: number, trace: Trace | null): number {
    let day = this.zone.dayOf(t) + amount;
    if (trace) trace.nominalEnd = day;
    if (this.semantics.calendarDaysRollForward) {
      for (let guard = 0; guard < MAX_DAYS; guard++) {
        const office = this.officeDay(day);
        if (office.hours) break;
        trace?.skip(office, this.skipReason(office));
        day++;
      }
    }
    const office = this.officeDay(day);
    trace?.countDay(office, 0);
    if (trace && day !== trace.nominalEnd) trace.movedTo = day;
    return this.dayEnd(day);
  }

  private skipReason(office: OfficeDay): SkipReason {
    switch (office.facts.kind) {
      case 'holiday':
        return 'holiday';
      case 'day_off':
        return 'day_off';
      case 'weekend':
        return 'weekend';
      default:
        return 'not_office_day';
    }
  }

  private render(start: Date, term: DurationSpec, due: Date, trace: Trace): DueExplanation {
    const z = this.zone;
    const counted = trace.counted;
    const skipped = trace.skipped;
    const shortened = [...trace.shortened.entries()].map(([day, closesAt]) => ({ date: dateOf(day), closesAt: hhmm(closesAt) }));
    const derivedYears = [...trace.derivedYears].sort();
    const endsAt = this.semantics.dayTermEndsAt === 'office_close' ? 'в час закрытия организации (ГК ст. 194)' : 'в 23:59:59 последнего дня';
    const rule = {
      working_hours:
        'рабочие часы считаются по графику организации с момента поступления, а вне рабочего времени — с ближайшего открытия; срок истекает в момент, когда истёк последний час',
      working_days: `${this.semantics.workingDaysCountStartDay ? 'день начала считается первым, если он рабочий' : 'течение срока начинается на следующий день после даты начала (ГК ст. 191)'}; считаются только рабочие дни организации; срок истекает ${endsAt}`,
      calendar_days: `к дате начала прибавляется ${term.amount} дн.${this.semantics.calendarDaysRollForward ? '; если последний день нерабочий, срок переносится на ближайший рабочий день (ГК ст. 193)' : ''}; срок истекает ${endsAt}`,
    }[term.unit];
    const lines = [
      `Срок: ${durationText(term)} с ${z.formatRussian(start)} (${WEEKDAY_SHORT[this.officeDay(z.dayOf(start.getTime())).facts.weekday]}).`,
      `Правило: ${rule}.`,
    ];
    if (counted.length) {
      const parts = counted.map((c) => {
        const label = `${russianDate(dayNumberOf(c.date))} (${WEEKDAY_SHORT[c.weekday]})`;
        const closes = trace.shortened.get(dayNumberOf(c.date));
        const notes = [
          c.shortened ? `сокращённый предпраздничный день, до ${closes === undefined ? '' : hhmm(closes)}` : '',
          c.workingWeekend ? 'рабочий выходной по переносу' : '',
        ]
          .filter(Boolean)
          .join(', ');
        const body = c.from ? `${label} ${c.from}–${c.to}` : c.ordinal ? `${c.ordinal}-й: ${label}` : label;
        return notes ? `${body} (${notes})` : body;
      });
      lines.push(`${term.unit === 'calendar_days' ? 'Последний день' : 'Учтено'}: ${parts.join('; ')}.`);
    }
    if (trace.nominalEnd !== undefined && term.unit === 'calendar_days') {
      lines.push(
        `${russianDate(trace.nominalEnd)} — ${term.amount}-й день после даты начала${trace.movedTo !== undefined ? `; нерабочий, срок перенесён на ${russianDate(trace.movedTo)}` : ''}.`,
      );
    }
    if (skipped.length) {
      lines.push(`Пропущено: ${skipped.map((s) => `${russianDate(dayNumberOf(s.date))} (${WEEKDAY_SHORT[s.weekday]}) — ${skipText(s)}`).join('; ')}.`);
    }
    if (derivedYears.length) {
      lines.push(`ВНИМАНИЕ: на ${derivedYears.join(', ')} год производственный календарь не загружен, дни выведены из ТК РФ без переносов.`);
    }
    lines.push(`Срок истекает: ${z.formatRussian(due)} (${z.name}, UTC${z.offsetText}).`);
    return {
      start: z.format(start),
      term: { ...term },
      rule,
      counted,
      skipped,
      shortened,
      ...(trace.nominalEnd !== undefined && term.unit === 'calendar_days' ? { nominalEnd: dateOf(trace.nominalEnd) } : {}),
      ...(trace.movedTo !== undefined ? { movedTo: dateOf(trace.movedTo) } : {}),
      derivedYears,
      due: z.format(due),
      lines,
    };
  }
}

interface Trace {
  counted: CountedDay[];
  skipped: SkippedDay[];
  shortened: Map<number, number>;
  derivedYears: Set<number>;
  nominalEnd?: number;
  movedTo?: number;
  meet(office: OfficeDay): void;
  skip(office: OfficeDay, reason: SkipReason): void;
  countDay(office: OfficeDay, ordinal: number): void;
  countHours(office: OfficeDay, fromMs: number, toMs: number): void;
}

function newTrace(): Trace {
  const trace: Trace = {
    counted: [],
    skipped: [],
    shortened: new Map(),
    derivedYears: new Set(),
    meet(office) {
      if (office.facts.derived) trace.derivedYears.add(Number(office.facts.date.slice(0, 4)));
      if (office.facts.kind === 'shortened' && office.hours) trace.shortened.set(office.day, office.hours.closesAt);
    },
    skip(office, reason) {
      trace.meet(office);
      trace.skipped.push({ date: office.facts.date, weekday: office.facts.weekday, reason, ...(office.facts.name ? { name: office.facts.name } : {}) });
    },
    countDay(office, ordinal) {
      trace.meet(office);
      trace.counted.push({ date: office.facts.date, weekday: office.facts.weekday, ...(ordinal ? { ordinal } : {}), ...flags(office) });
    },
    countHours(office, fromMs, toMs) {
      trace.counted.push({
        date: office.facts.date,
        weekday: office.facts.weekday,
        from: clock(fromMs),
        to: clock(toMs),
        minutes: Math.round((toMs - fromMs) / MS_PER_MINUTE),
        ...flags(office),
      });
    },
  };
  return trace;
}

function flags(office: OfficeDay): { shortened: boolean; workingWeekend: boolean } {
  return {
    shortened: office.facts.kind === 'shortened',
    workingWeekend: office.facts.kind === 'working_weekend' || (office.facts.kind === 'shortened' && office.facts.weekday >= 6),
  };
}

function clock(ms: number): string {
  const seconds = Math.floor(ms / 1000) % 60;
  return hhmm(Math.floor(ms / MS_PER_MINUTE)) + (seconds ? `:${String(seconds).padStart(2, '0')}` : '');
}

function dayNumberOf(date: LocalDate): number {
  return Date.parse(`${date}T00:00:00Z`) / MS_PER_DAY;
}

function skipText(s: SkippedDay): string {
  switch (s.reason) {
    case 'holiday':
      return `нерабочий праздничный день${s.name ? ` «${s.name}»` : ''}`;
    case 'day_off':
      return s.name ? s.name.charAt(0).toLowerCase() + s.name.slice(1) : 'перенесённый выходной';
    case 'weekend':
      return 'выходной';
    case 'office_closed':
      return 'рабочее время уже закончилось';
    default:
      return 'нерабочий день организации';
  }
}
