import type { FixedOffsetZone } from '@cur/calendar';
import { monthBounds, monthTitle } from '@cur/domain';

export type RatingPeriodKind = 'month' | 'quarter';

/** A month or a quarter in the region's zone: [from, to). */
export interface RatingPeriod {
  kind: RatingPeriodKind;
  year: number;
  /** The month 1..12, or the quarter 1..4. */
  number: number;
  from: Date;
  to: Date;
  title: string;
}

const ROMAN = ['I', 'II', 'III', 'IV'] as const;

export function ratingPeriod(kind: RatingPeriodKind, year: number, number: number, zone: FixedOffsetZone): RatingPeriod {
  if (kind === 'month') return { kind, year, number, ...monthBounds(year, number, zone), title: monthTitle(year, number) };
  const first = (number - 1) * 3 + 1;
  return {
    kind,
    year,
    number,
    from: monthBounds(year, first, zone).from,
    to: monthBounds(year, first + 2, zone).to,
    title: `${ROMAN[number - 1]} квартал ${year}`,
  };
}

/** The month or quarter before. */
export function previousPeriod(period: RatingPeriod, zone: FixedOffsetZone): RatingPeriod {
  const last = period.kind === 'month' ? 12 : 4;
  return period.number === 1 ? ratingPeriod(period.kind, period.year - 1, last, zone) : ratingPeriod(period.kind, period.year, period.number - 1, zone);
}
