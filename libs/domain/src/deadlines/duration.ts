export const DURATION_UNITS = ['working_days', 'working_hours', 'calendar_days'] as const;
export type DurationUnit = (typeof DURATION_UNITS)[number];
export interface DurationSpec {
  amount: number;
  unit: DurationUnit;
}
