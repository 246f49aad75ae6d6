/**
 * What the supervisors' deadline endpoints return (`GET /api/v1/sla/summary`, `/sla/at-risk`,
 * `/sla/breaches`). Types only: the console imports them, so a server change that breaks the
 * deadlines screen fails the console's build.
 */
import type { ClockKind, ClockState } from '@cur/domain';
import type { Named, Person } from './messages';

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

/**
 * One clock of a message as a card shows it (`GET /api/v1/messages/:id/deadlines`): its state, its
 * due date and, line by line, how it was counted, so a person can check it by hand.
 */
export interface MessageClock {
  /** Null for a clock whose start event has not happened yet. */
  id: string | null;
  kind: ClockKind;
  /** The clock in Russian («Ответ заявителю»). */
  title: string;
  /** The cycle (a reopened message starts a second one). */
  generation: number;
  state: ClockState;
  /** Set when the due date cannot be computed yet: the year it falls in has no production calendar. */
  waitsForCalendarYear: number | null;
  term: { amount: number; unit: string; text: string };
  /** The event it starts on, in Russian. */
  startReason: string;
  dueAt: string | null;
  stoppedAt: string | null;
  timeLeft: SlaDuration | null;
  lateness: SlaDuration | null;
  explanation: { lines: string[] };
}

export interface MessageDeadlines {
  messageId: string;
  status: string;
  zone: { name: string; utcOffset: string };
  policy: { id: string; title: string; match: unknown };
  /** An imported ПОС message keeps the portal's own term. */
  portal: { plannedCompletionAt: string | null; overdue: boolean | null } | null;
  clocks: MessageClock[];
}

/** An extension request of a message (`GET /api/v1/messages/:id/extensions`). */
export interface ExtensionRequestView {
  id: string;
  messageId: string;
  /** The term asked for, with its words («10 рабочих дней»). */
  term: { amount: number; unit: string; text: string };
  reason: string;
  status: 'pending' | 'approved' | 'rejected';
  requestedBy: string;
  requestedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionReason: string | null;
  previousDueAt: string;
  newDueAt: string | null;
}

export interface ExtensionRequestList {
  items: ExtensionRequestView[];
  /** Names for the logins of `requestedBy` and `decidedBy`. */
  people: Record<string, Person>;
}
