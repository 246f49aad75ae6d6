import { DurationSpec, durationText, MissingCalendarYearError, WorkingTime, workingDurationText } from '@cur/calendar';
import { BREACH_ON_EXPIRY, ClockKind, ClockStart } from './sla-policy';

export type ClockStatus = 'running' | 'paused' | 'stopped' | 'cancelled';

/**
 * What a person sees: pending (its start event has not happened), running, paused, met (stopped
 * in time), breached (expired, or stopped late), expired (a window that closed unused), cancelled
 * (no longer applies: the message was rejected, reclassified or handed to another body).
 */
export type ClockState = 'pending' | 'running' | 'paused' | 'met' | 'breached' | 'expired' | 'cancelled';

export const CLOCK_STATE_TITLES: Record<ClockState, string> = {
  pending: 'Ещё не начался',
  running: 'Идёт',
  paused: 'Приостановлен',
  met: 'Соблюдён',
  breached: 'Нарушен',
  expired: 'Истёк',
  cancelled: 'Отменён',
};

/** Something that moved a clock after it started; replayed in order to get the due date. */
export interface ClockOperation {
  op: 'pause' | 'resume' | 'extend';
  at: string;
  /** The extension, for 'extend'. */
  term?: DurationSpec;
  by: string;
  reason?: string;
  /** What caused it: the status paused in, the extension request id. */
  ref?: string;
}

export interface ClockData {
  kind: ClockKind;
  generation: number;
  policyId: string;
  organizationId: string | null;
  term: DurationSpec;
  startsOn: ClockStart;
  startedAt: Date;
  operations: ClockOperation[];
  status: ClockStatus;
  stoppedAt: Date | null;
  stopReason: string | null;
}

/** What is left of a paused clock, in the clock's own unit. */
export interface Remaining {
  unit: DurationSpec['unit'];
  /** Working ms for working_hours, whole days otherwise. */
  amount: number;
}

export interface ReplayStep {
  op: ClockOperation['op'];
  at: string;
  dueAt: string | null;
  text: string;
}

export interface Replay {
  /** The due instant now; null while paused. */
  dueAt: Date | null;
  /** The first counting, before any operation. */
  initialDueAt: Date;
  /** Intervals in which the clock ran; the last ends at the due date when running. */
  segments: { from: Date; to: Date }[];
  pausedSince: Date | null;
  remaining: Remaining | null;
  extensions: number;
  steps: ReplayStep[];
}

/**
 * The due date of a clock, from its start and its operations on the organization's working time.
 * A pause keeps what is left in the clock's unit (working time for hours, working or calendar days
 * for days, counted from the pause date to the due date); resuming counts it again from then.
 * An extension adds its term to the due date as a term of its own.
 */
export function replayClock(clock: ClockData, time: WorkingTime): Replay {
  const initialDueAt = time.add(clock.startedAt, clock.term);
  let due: Date | null = initialDueAt;
  let runningFrom = clock.startedAt;
  let pausedSince: Date | null = null;
  let remaining: Remaining | null = null;
  let extensions = 0;
  const segments: { from: Date; to: Date }[] = [];
  const steps: ReplayStep[] = [];
  const z = time.zone;
  for (const operation of [...clock.operations].sort((a, b) => Date.parse(a.at) - Date.parse(b.at))) {
    const at = new Date(operation.at);
    if (operation.op === 'pause' && due && at > due) {
      // The term had already run out: standing the clock still now cannot give the time back.
      steps.push({
        op: 'pause',
        at: z.format(at),
        dueAt: z.format(due),
        text: `${z.formatRussian(at)} — приостановка после истечения срока (${z.formatRussian(due)}) срок не меняет.`,
      });
    } else if (operation.op === 'pause' && due) {
      remaining = remainingAt(clock.term.unit, at, due, time);
      segments.push({ from: runningFrom, to: at });
      pausedSince = at;
      steps.push({
        op: 'pause',
        at: z.format(at),
        dueAt: null,
        text: `${z.formatRussian(at)} — приостановлен${operation.reason ? ` (${operation.reason})` : ''}; оставалось ${remainingText(remaining)}.`,
      });
      due = null;
    } else if (operation.op === 'resume' && !due && remaining) {
      due = resumeFrom(at, remaining, time);
      steps.push({
        op: 'resume',
        at: z.format(at),
        dueAt: z.format(due),
        text: `${z.formatRussian(at)} — возобновлён; ${remainingText(remaining)} от возобновления: срок ${z.formatRussian(due)}.`,
      });
      runningFrom = at;
      pausedSince = null;
      remaining = null;
    } else if (operation.op === 'extend' && due && operation.term) {
      const before = due;
      due = time.add(before, operation.term);
      extensions++;
      steps.push({
        op: 'extend',
        at: z.format(at),
        dueAt: z.format(due),
        text: `${z.formatRussian(at)} — продлён на ${durationText(operation.term)} (${operation.by}${operation.reason ? `: ${operation.reason}` : ''}): срок ${z.formatRussian(before)} → ${z.formatRussian(due)}.`,
      });
    }
  }
  if (due) segments.push({ from: runningFrom, to: clock.stoppedAt && clock.stoppedAt < due ? clock.stoppedAt : due });
  return { dueAt: due, initialDueAt, segments, pausedSince, remaining, extensions, steps };
}

function remainingAt(unit: DurationSpec['unit'], at: Date, due: Date, time: WorkingTime): Remaining {
  const z = time.zone;
  if (unit === 'working_hours') return { unit, amount: Math.max(0, time.workingTimeBetween(at, due)) };
  const from = z.dayOf(at.getTime());
  const to = z.dayOf(due.getTime());
  if (unit === 'calendar_days') return { unit, amount: Math.max(0, to - from) };
  let days = 0;
  for (let day = from + 1; day <= to; day++) if (time.officeDay(day).hours) days++;
  return { unit, amount: days };
}

function resumeFrom(at: Date, remaining: Remaining, time: WorkingTime): Date {
  if (remaining.unit === 'working_hours') return time.addWorkingTime(at, remaining.amount);
  return time.add(at, { amount: remaining.amount, unit: remaining.unit });
}

function remainingText(r: Remaining): string {
  if (r.unit !== 'working_hours') return durationText({ amount: r.amount, unit: r.unit });
  const minutes = Math.round(r.amount / 60_000);
  return `${Math.floor(minutes / 60)} ч ${minutes % 60} мин рабочего времени`;
}

/**
 * The replay, or the year whose production calendar is missing: such a clock keeps running with
 * its due date unknown until the calendar is loaded (a message is never held up by it).
 */
export function tryReplayClock(clock: ClockData, time: WorkingTime): { replay: Replay; missingYear: null } | { replay: null; missingYear: number } {
  try {
    return { replay: replayClock(clock, time), missingYear: null };
  } catch (error) {
    if (error instanceof MissingCalendarYearError) return { replay: null, missingYear: error.year };
    throw error;
  }
}

export function clockState(clock: ClockData, replay: Replay, now: Date): ClockState {
  switch (clock.status) {
    case 'cancelled':
      return 'cancelled';
    case 'paused':
      return 'paused';
    case 'stopped':
      return clock.stoppedAt && replay.dueAt && clock.stoppedAt > replay.dueAt ? 'breached' : 'met';
    default:
      if (replay.dueAt && now > replay.dueAt) return BREACH_ON_EXPIRY[clock.kind] ? 'breached' : 'expired';
      return 'running';
  }
}

/** How a clock's share of time is measured: office time for working units, wall time for calendar days. */
function measure(clock: ClockData, time: WorkingTime, from: Date, to: Date): number {
  return clock.term.unit === 'calendar_days' ? to.getTime() - from.getTime() : time.workingTimeBetween(from, to);
}

/** The instants at which the given fractions of a running clock's time have passed. */
export function fractionInstants(clock: ClockData, replay: Replay, time: WorkingTime, fractions: readonly number[]): { fraction: number; at: Date }[] {
  if (!replay.dueAt) return [];
  const lengths = replay.segments.map((s) => measure(clock, time, s.from, s.to));
  const total = lengths.reduce((a, b) => a + b, 0);
  return fractions.map((fraction) => {
    let target = fraction * total;
    for (let i = 0; i < replay.segments.length; i++) {
      const s = replay.segments[i];
      if (target <= lengths[i] || i === replay.segments.length - 1) {
        const offset = Math.max(0, Math.min(target, lengths[i]));
        const at = clock.term.unit === 'calendar_days' ? new Date(s.from.getTime() + offset) : time.addWorkingTime(s.from, offset);
        return { fraction, at: at > replay.dueAt! ? replay.dueAt! : at };
      }
      target -= lengths[i];
    }
    return { fraction, at: replay.dueAt! };
  });
}

/**
 * When the watch must look at a running clock next: now, if a warning threshold has already
 * passed (a clock re-planned, extended or given late), else the first threshold ahead, else just
 * after the due instant. Windows and clocks without a due date need no look.
 */
export function nextCheckAt(clock: ClockData, replay: Replay, time: WorkingTime, warnAt: readonly number[], now: Date): Date | null {
  if (!BREACH_ON_EXPIRY[clock.kind] || clock.status !== 'running' || !replay.dueAt) return null;
  const expiry = new Date(replay.dueAt.getTime() + 1);
  if (expiry <= now) return now;
  const instants = fractionInstants(clock, replay, time, warnAt).map((i) => i.at);
  if (instants.some((at) => at <= now)) return now;
  return instants.find((at) => at > now) ?? expiry;
}

/** Time left until the due date, in wall time and in the organization's office time, for people. */
export function timeLeft(dueAt: Date, time: WorkingTime, now: Date): { ms: number; workingMs: number; text: string } {
  const workingMs = time.workingTimeBetween(now, dueAt);
  return { ms: dueAt.getTime() - now.getTime(), workingMs, text: `${workingDurationText(workingMs)} рабочего времени` };
}
