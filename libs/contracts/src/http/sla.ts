/**
 * What the supervisors' deadline endpoints return (`GET /api/v1/sla/summary`, `/sla/at-risk`,
 * `/sla/breaches`). Types only: the console imports them, so a server change that breaks the
 * deadlines screen fails the console's build.
 */
import type { ClockKind } from '@cur/domain';
import type { Named } from './messages';

/** Time to a due instant (or past it), in wall-clock and in the organization's working time. */
export interface SlaDuration {
  ms: number;
  workingMs: number;
  /** In words, e.g. «2 ч 30 мин рабочего времени». */
  text: string;
}

/** A clock past a warning threshold and not yet due. */
export interface AtRiskItem {
  clockId: string;
  messageId: string;
  kind: ClockKind;
  /** The clock in Russian («Ответ заявителю»). */
  title: string;
  organization: Named | null;
  dueAt: string;
  /** The share of the term passed at the latest warning (0.75, 0.9…). */
  fractionPassed: number;
  timeLeft: SlaDuration;
}

export interface AtRiskPage {
  items: AtRiskItem[];
}

export interface SlaOutcome {
  met: number;
  late: number;
  /** met / (met + late), three decimals; null without answers. */
  onTimeShare: number | null;
}

export interface SlaSummary {
  period: { from: string; to: string };
  answers: SlaOutcome;
  overdueNow: number;
  atRisk: number;
  /** Worst on-time share first. */
  byOrganization: (SlaOutcome & { organization: Named; overdueNow: number; atRisk: number })[];
  /** Weeks (Monday, the region's date) with answers, oldest first. */
  weekly: (SlaOutcome & { weekStart: string })[];
}

export interface BreachItem {
  id: string;
  clockId: string;
  messageId: string;
  kind: ClockKind;
  title: string;
  policyId: string;
  organization: Named | null;
  dueAt: string;
  recordedAt: string;
  stoppedAt: string | null;
  /** Recorded at the stop (`final`), or growing while the clock still runs. */
  lateness: SlaDuration & { final: boolean };
}

export interface BreachPage {
  items: BreachItem[];
}
