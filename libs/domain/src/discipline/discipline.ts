import { addMonths, dateOf, dayNumber, DurationSpec, durationText, LocalDate, russianDate, WorkingTime } from '@cur/calendar';

/** ТК РФ (employees) or 79-ФЗ (state civil servants): the measures and some limits differ. */
export const EMPLOYMENTS = ['labour', 'civil_service'] as const;
export type Employment = (typeof EMPLOYMENTS)[number];

export interface MeasureType {
  code: string;
  title: string;
}

/** The limits of ТК ст. 193 (employees) or 79-ФЗ ст. 58 (civil servants), as data. */
export interface DisciplineLimits {
  /** Working days the employee has to explain in writing. */
  explanationWorkingDays: number;
  /** The measure is applied within this many months of discovery… */
  orderMonthsFromDiscovery: number;
  /** …and of the offence (ТК: two years when found by an audit or inspection). */
  orderMonthsFromOffence: number;
  orderMonthsFromOffenceAudit: number;
  /** To make the employee acquainted with the order (ТК: 3 working days; 79-ФЗ: a copy within 5 days). */
  acknowledgement: DurationSpec;
}

export interface DisciplineRules {
  /** Calendar days before a limit at which it is flagged as near. */
  warnDaysBefore: number;
  limits: Record<Employment, DisciplineLimits>;
  measures: Record<Employment, MeasureType[]>;
}

export interface ExcludedPeriod {
  from: LocalDate;
  to: LocalDate;
  /** Sick leave, vacation, time for the union's opinion (ТК ст. 193 ч. 3). */
  reason: string;
}

export interface CaseFacts {
  employment: Employment;
  offenceDate: LocalDate;
  discoveredDate: LocalDate;
  /** The offence was found by an audit or inspection (ТК ст. 193 ч. 4: two years). */
  auditFinding: boolean;
  explanationRequestedAt: Date | null;
  explanationReceivedAt: Date | null;
  /** Act of refusal to explain, drawn up after the working days passed. */
  explanationRefusalActAt: Date | null;
  orderDate: LocalDate | null;
  acknowledgedAt: Date | null;
  /** Act of refusal to sign the order. */
  acknowledgementRefusalActAt: Date | null;
  excludedPeriods: ExcludedPeriod[];
}

export type LimitState = 'pending' | 'near' | 'met' | 'missed';

export interface DisciplineLimit {
  code: 'explanation' | 'order' | 'acknowledgement';
  title: string;
  /** The last instant (explanation, acknowledgement) or date (order) allowed; null until it can be known. */
  due: string | null;
  state: LimitState | null;
  basis: string[];
}

export interface Finding {
  severity: 'warning' | 'violation';
  code: string;
  message: string;
}

/**
 * The limits of a disciplinary case computed on the organization's working time, and what is
 * wrong or about to be: the explanation window (2 working days), the order window (1 month from
 * discovery, not counting excluded periods, and 6 months — 2 years after an audit — from the
 * offence), no order before the explanation window closes, acquaintance within 3 working days.
 */
export function disciplineLimits(facts: CaseFacts, rules: DisciplineRules, time: WorkingTime, now: Date): { limits: DisciplineLimit[]; findings: Finding[] } {
  const z = time.zone;
  const findings: Finding[] = [];
  const limits: DisciplineLimit[] = [];
  const today = z.dayOf(now.getTime());
  const warnFrom = (day: number) => day - rules.warnDaysBefore;
  const law = rules.limits[facts.employment];
  const excluded = excludedDays(facts.excludedPeriods);

  // Explanation.
  let explanationDue: Date | null = null;
  if (facts.explanationRequestedAt) {
    explanationDue = time.add(facts.explanationRequestedAt, { amount: law.explanationWorkingDays, unit: 'working_days' });
    const received = facts.explanationReceivedAt;
    const refused = facts.explanationRefusalActAt;
    let state: LimitState = 'pending';
    if (received) state = received <= explanationDue ? 'met' : 'missed';
    else if (now > explanationDue) state = 'missed';
    limits.push({
      code: 'explanation',
      title: 'Письменное объяснение',
      due: z.format(explanationDue),
      state,
      basis: [
        `Запрошено ${z.formatRussian(facts.explanationRequestedAt)}; ${durationText({ amount: law.explanationWorkingDays, unit: 'working_days' })} (ТК ст. 193 ч. 1) — до ${z.formatRussian(explanationDue)}.`,
      ],
    });
    if (refused && refused < explanationDue) {
      findings.push({
        severity: 'violation',
        code: 'refusal_act_too_early',
        message: `Акт об отказе от объяснения составлен ${z.formatRussian(refused)}, до истечения срока на объяснение (${z.formatRussian(explanationDue)}).`,
      });
    }
    if (!received && !refused && now > explanationDue) {
      findings.push({
        severity: 'warning',
        code: 'refusal_act_needed',
        message: `Объяснение не представлено к ${z.formatRussian(explanationDue)}: составьте акт об отказе от дачи объяснения.`,
      });
    }
  } else if (!facts.orderDate) {
    findings.push({
      severity: 'warning',
      code: 'explanation_not_requested',
      message: 'Объяснение не запрошено: до применения взыскания работодатель обязан затребовать письменное объяснение (ТК ст. 193 ч. 1).',
    });
  }

  // Order.
  const discovered = dayNumber(facts.discoveredDate);
  const offence = dayNumber(facts.offenceDate);
  const fromDiscovery = extendByExcluded(addMonths(discovered, law.orderMonthsFromDiscovery), new Set([...excluded].filter((d) => d >= discovered)));
  const months = facts.auditFinding ? law.orderMonthsFromOffenceAudit : law.orderMonthsFromOffence;
  const fromOffence = addMonths(offence, months);
  // A limit ending on a day off ends on the next working day (ТК ст. 14 ч. 4).
  const nominalLast = Math.min(fromDiscovery.day, fromOffence);
  const orderLast = nextWorkingDay(nominalLast, time);
  const basis = [
    `Обнаружено ${russianDate(discovered)}: не позднее ${law.orderMonthsFromDiscovery} мес. — ${russianDate(fromDiscovery.day)}${fromDiscovery.added ? ` (с учётом ${fromDiscovery.added} дн. болезни, отпуска и т. п.)` : ''}.`,
    `Совершено ${russianDate(offence)}: не позднее ${months} мес.${facts.auditFinding ? ' (выявлено проверкой)' : ''} — ${russianDate(fromOffence)}.`,
    ...(orderLast !== nominalLast ? [`${russianDate(nominalLast)} — нерабочий день: срок истекает ${russianDate(orderLast)} (ТК ст. 14 ч. 4).`] : []),
  ];
  // No order before the explanation is in, or before its window closes (ТК ст. 193 ч. 1–2).
  const earliest = facts.explanationReceivedAt ?? explanationDue;
  if (facts.orderDate) {
    const order = dayNumber(facts.orderDate);
    limits.push({ code: 'order', title: 'Приказ о применении взыскания', due: dateOf(orderLast), state: order <= orderLast ? 'met' : 'missed', basis });
    if (order > orderLast)
      findings.push({
        severity: 'violation',
        code: 'order_too_late',
        message: `Приказ от ${russianDate(order)} издан после последнего допустимого дня ${russianDate(orderLast)} (ТК ст. 193 ч. 3–4).`,
      });
    if (order < offence || order < discovered)
      findings.push({ severity: 'violation', code: 'order_before_discovery', message: 'Дата приказа раньше даты проступка или его обнаружения.' });
    // Without an explanation the window must have closed: an order on its last day is still too early.
    const tooEarly = earliest !== null && (facts.explanationReceivedAt ? order < z.dayOf(earliest.getTime()) : order <= z.dayOf(earliest.getTime()));
    if (earliest && tooEarly) {
      findings.push({
        severity: 'violation',
        code: 'order_before_explanation',
        message: `Приказ издан ${russianDate(order)}, до истечения срока на объяснение (${z.formatRussian(earliest)}).`,
      });
    }
    if (!facts.explanationRequestedAt)
      findings.push({
        severity: 'violation',
        code: 'order_without_explanation',
        message: 'Приказ издан без затребования письменного объяснения (ТК ст. 193 ч. 1).',
      });
  } else {
    const state: LimitState = today > orderLast ? 'missed' : today >= warnFrom(orderLast) ? 'near' : 'pending';
    limits.push({ code: 'order', title: 'Приказ о применении взыскания', due: dateOf(orderLast), state, basis });
    if (state === 'missed')
      findings.push({
        severity: 'violation',
        code: 'order_window_missed',
        message: `Последний день для применения взыскания — ${russianDate(orderLast)} — прошёл: взыскание применить нельзя.`,
      });
    if (state === 'near')
      findings.push({
        severity: 'warning',
        code: 'order_window_near',
        message: `Взыскание можно применить не позднее ${russianDate(orderLast)}: осталось ${orderLast - today} дн.`,
      });
  }

  // Acquaintance with the order.
  if (facts.orderDate) {
    const orderDay = dayNumber(facts.orderDate);
    const due = acknowledgementDue(orderDay, law.acknowledgement, excluded, time);
    const done = facts.acknowledgedAt ?? facts.acknowledgementRefusalActAt;
    const state: LimitState = done
      ? done <= due
        ? 'met'
        : 'missed'
      : now > due
        ? 'missed'
        : z.dayOf(now.getTime()) >= warnFrom(z.dayOf(due.getTime()))
          ? 'near'
          : 'pending';
    limits.push({
      code: 'acknowledgement',
      title: 'Ознакомление с приказом под подпись',
      due: z.format(due),
      state,
      basis: [
        `Приказ от ${russianDate(orderDay)}: ${durationText(law.acknowledgement)} со дня издания, не считая отсутствия работника (${facts.employment === 'labour' ? 'ТК ст. 193 ч. 6' : '79-ФЗ ст. 58 ч. 6'}) — до ${z.formatRussian(due)}.`,
      ],
    });
    if (!done && state === 'missed')
      findings.push({
        severity: 'violation',
        code: 'acknowledgement_missed',
        message: `Работник не ознакомлен с приказом к ${z.formatRussian(due)}; если отказывается — составьте акт.`,
      });
    if (!done && state === 'near')
      findings.push({ severity: 'warning', code: 'acknowledgement_near', message: `Ознакомьте работника с приказом до ${z.formatRussian(due)}.` });
    if (done && done > due)
      findings.push({ severity: 'violation', code: 'acknowledgement_late', message: `Ознакомление ${z.formatRussian(done)} — позже ${z.formatRussian(due)}.` });
  }
  return { limits, findings };
}

/** Days of the excluded periods (absence: sick leave, vacation), as day numbers. */
function excludedDays(periods: readonly ExcludedPeriod[]): Set<number> {
  const days = new Set<number>();
  for (const p of periods) for (let d = dayNumber(p.from); d <= dayNumber(p.to); d++) days.add(d);
  return days;
}

function nextWorkingDay(day: number, time: WorkingTime): number {
  let d = day;
  while (!time.officeDay(d).hours) d++;
  return d;
}

/** The acquaintance term from the order's date, not counting the days the employee was absent. */
function acknowledgementDue(orderDay: number, term: DurationSpec, excluded: Set<number>, time: WorkingTime): Date {
  const z = time.zone;
  let due = time.add(new Date(z.instant(orderDay, 12 * 3_600_000)), term);
  const counted = new Set<number>();
  for (;;) {
    let more = 0;
    for (let d = orderDay + 1; d <= z.dayOf(due.getTime()); d++) {
      const counts = term.unit === 'calendar_days' || time.officeDay(d).hours !== null;
      if (excluded.has(d) && counts && !counted.has(d)) {
        counted.add(d);
        more++;
      }
    }
    if (!more) return due;
    due = time.add(due, { amount: more, unit: term.unit === 'working_hours' ? 'working_days' : term.unit });
  }
}

/** The month's end pushed on by every excluded day inside the (growing) window. */
function extendByExcluded(end: number, excluded: Set<number>): { day: number; added: number } {
  let added = 0;
  let last = end;
  const counted = new Set<number>();
  for (;;) {
    let more = 0;
    for (const d of excluded) {
      if (d <= last && !counted.has(d)) {
        counted.add(d);
        more++;
      }
    }
    if (!more) return { day: last, added };
    added += more;
    last += more;
  }
}
