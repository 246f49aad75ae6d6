import { dayNumber, FixedOffsetZone, WorkingTime } from '@cur/calendar';
import type { Channel } from '../message/channel';
import { isOpen, MessageStatus } from '../message/message-status';

/**
 * The facts the monthly summary (order No. 733, item 4) counts, written once here and in the
 * README. A month M is [the 1st 00:00, the 1st of the next month 00:00) in the region's zone.
 *
 * Every change of a message that matters to a figure leaves one report fact: what happened
 * (`kind`), when, and the message's state right after it (its organization, category, whether it
 * still waits for an answer, its final-answer due instant). The figures of a month are counts over
 * those facts (libs/reporting compiles them to SQL), so a figure and the list of messages it
 * counts come from one definition:
 *
 * - `received`: messages whose receipt falls in M (an imported ПОС row: the portal's own receipt);
 * - `answered`: messages whose final answer was sent in M, whatever month they arrived; each is
 *   exactly one of `answeredOnTime` (at or before its final-answer due instant, extensions
 *   included; an imported row: the actual date on or before the planned date; no due date known:
 *   no term could be broken, on time) or `answeredLate`;
 * - `openOverdue` / `openNotDue` / `openNoDueDate`: at the end of M (while M runs: now), still
 *   waiting for an answer (of the facts dated before the end, the one recorded last says so), due
 *   instant before / not before the end of M / unknown;
 * - `timeToAnswer*`: of `answered`, from the receipt (after a re-consideration: from its opening)
 *   to the answer, in working days (days counted as a day term counts them: an answer on the k-th
 *   working day after the receipt day took k) for portal messages and appeals, and in working
 *   hours for public messages, on the handling organization's calendar;
 * - `extensions`, `redirects`, `rejectedByModeration`, `reconsiderations`, `ratings`: messages with
 *   such a fact in M (`ratingMean`, `ratingHighShare`: of the last rating in M, the mean and the
 *   share of 4–5).
 *
 * A message counts once per figure: the last fact of the kind in M decides, in the organization
 * it names (the handling organization at that moment; a redirect counts for the organization that
 * redirected). `received` and the open figures count in the organization holding the message at
 * the end of M (at receipt every message is still with ЦУР, which says nothing).
 */
export const REPORT_FACT_KINDS = ['received', 'state', 'answered', 'extended', 'redirected', 'rejected', 'reconsidered', 'rated'] as const;
export type ReportFactKind = (typeof REPORT_FACT_KINDS)[number];

/** A message's state as the summary sees it. */
export interface ReportState {
  channel: Channel;
  categoryCode: string | null;
  organizationId: string | null;
  /** Still waiting for an answer (an open status). */
  open: boolean;
  /** The final-answer due instant (extensions included); null while unknown. */
  dueAt: Date | null;
}

export interface ReportFactDraft extends ReportState {
  kind: ReportFactKind;
  at: Date;
  /** A redirect's organization it left. */
  fromOrganizationId?: string | null;
  /** An answer: given at or before its due instant. */
  onTime?: boolean | null;
  /** An answer: where its time to answer is counted from (the receipt, or the re-consideration's opening: `null` = ask the stored facts). */
  answerStartedAt?: Date | null;
  /** A rating, 1–5. */
  rating?: number | null;
}

/** What the facts are derived from: a message's row, before or after a change. */
export interface ReportedMessage {
  status: MessageStatus;
  channel: Channel;
  categoryCode: string | null;
  organizationId: string | null;
  dueAt: Date | null;
  receivedAt: Date;
  createdAt: Date;
  rating: number | null;
  ratedAt: Date | null;
  /** An imported ПОС row: the portal's dates and the rating it reports. */
  pos: { actualCompletionAt: string | null; plannedCompletionAt: string | null; rating?: number | null } | null;
}

/** The summary's sections: portal messages, public (social-media) messages, appeals under 59-ФЗ. */
export const REPORT_SECTIONS = ['pos', 'social', 'appeals'] as const;
export type ReportSectionKey = (typeof REPORT_SECTIONS)[number];

export const SECTION_TITLES: Record<ReportSectionKey, string> = {
  pos: 'Сообщения платформы обратной связи (ПОС)',
  social: 'Публичные сообщения (социальные сети)',
  appeals: 'Обращения граждан (59-ФЗ)',
};

export function sectionOf(channel: Channel): ReportSectionKey {
  return channel === 'appeal' ? 'appeals' : channel;
}

/** Working days for portal messages and appeals, working hours for public messages. */
export function answerUnitOf(channel: Channel): 'working_days' | 'working_hours' {
  return channel === 'social' ? 'working_hours' : 'working_days';
}

/** The portal's own receipt for an imported row; ours for everything else. */
export function receiptOf(message: Pick<ReportedMessage, 'pos' | 'receivedAt' | 'createdAt'>): Date {
  return message.pos ? message.createdAt : message.receivedAt;
}

/** The applicant's rating: ours, or the one the portal reports for an imported row. */
function ratingOf(message: ReportedMessage): number | null {
  return message.rating ?? message.pos?.rating ?? null;
}

function stateOf(message: ReportedMessage): ReportState {
  return {
    channel: message.channel,
    categoryCode: message.categoryCode,
    organizationId: message.organizationId,
    open: isOpen(message.status),
    dueAt: message.dueAt,
  };
}

/** An answer's verdict: the portal's dates compare as dates; ours as instants. */
function onTime(at: Date, due: Date | null, byDate: boolean, zone: FixedOffsetZone): boolean {
  if (!due) return true;
  if (byDate) return zone.dayOf(at.getTime()) <= zone.dayOf(due.getTime());
  return at.getTime() <= due.getTime();
}

/**
 * The facts of a message that comes in: its receipt and, for an imported ПОС row already answered
 * (and rated) on the portal, the answer on the portal's actual date.
 */
export function admissionFacts(message: ReportedMessage, zone: FixedOffsetZone): ReportFactDraft[] {
  const state = stateOf(message);
  const receipt = receiptOf(message);
  const actual = message.pos?.actualCompletionAt ? new Date(message.pos.actualCompletionAt) : null;
  // Waiting for an answer from its receipt until the portal's actual date, when there is one.
  const facts: ReportFactDraft[] = [{ ...state, open: state.open || actual !== null, kind: 'received', at: receipt }];
  if (actual) {
    facts.push({ ...state, kind: 'answered', at: actual, onTime: onTime(actual, message.dueAt, true, zone), answerStartedAt: receipt });
    const rating = ratingOf(message);
    if (rating !== null) facts.push({ ...state, kind: 'rated', at: message.ratedAt ?? actual, rating });
  }
  return facts;
}

/**
 * The facts of one change: what happened, each with the state after it; a change that moved only
 * the state (organization, category, due date, waiting or not) leaves a `state` fact; one that moved
 * nothing the summary counts leaves none.
 */
export function changeFacts(input: {
  type: string;
  /** The status comes from the source system (a ПОС export row): its dates are the portal's. */
  imposed: boolean;
  before: ReportedMessage;
  after: ReportedMessage;
  now: Date;
  zone: FixedOffsetZone;
}): ReportFactDraft[] {
  const { before, after, now, zone } = input;
  const state = stateOf(after);
  const facts: ReportFactDraft[] = [];
  if (input.type === 'redirected') facts.push({ ...state, kind: 'redirected', at: now, fromOrganizationId: before.organizationId });
  if (input.type === 'extension-approved') facts.push({ ...state, kind: 'extended', at: now });
  if (after.status === 'rejected' && before.status !== 'rejected') facts.push({ ...state, kind: 'rejected', at: now });
  if (after.status === 'reopened' && before.status !== 'reopened') facts.push({ ...state, kind: 'reconsidered', at: now });
  const actual = after.pos?.actualCompletionAt ?? null;
  if (input.imposed && actual && actual !== (before.pos?.actualCompletionAt ?? null)) {
    const at = new Date(actual);
    facts.push({ ...state, kind: 'answered', at, onTime: onTime(at, after.dueAt, true, zone), answerStartedAt: receiptOf(after) });
  } else if (answers(before.status, after.status)) {
    facts.push({ ...state, kind: 'answered', at: now, onTime: onTime(now, after.dueAt, input.imposed && after.pos !== null, zone), answerStartedAt: null });
  }
  const rating = ratingOf(after);
  if (rating !== null && rating !== ratingOf(before)) facts.push({ ...state, kind: 'rated', at: after.ratedAt ?? now, rating });
  if (facts.length) return facts;
  const was = stateOf(before);
  const moved =
    was.open !== state.open ||
    was.organizationId !== state.organizationId ||
    was.categoryCode !== state.categoryCode ||
    (was.dueAt?.getTime() ?? null) !== (state.dueAt?.getTime() ?? null);
  return moved ? [{ ...state, kind: 'state', at: now }] : [];
}

/** A final answer goes out: from waiting to answered (an imported row may go straight to rated or closed). */
function answers(from: MessageStatus, to: MessageStatus): boolean {
  if (!isOpen(from)) return false;
  return to === 'answered' || (to === 'rated' && from !== 'rated');
}

/**
 * Time to answer, in the unit of the message's section, on the organization's working time:
 * working days after the start day up to and including the answer day; or working hours between
 * the two instants (two decimals).
 */
export function timeToAnswer(time: WorkingTime, from: Date, to: Date, unit: 'working_days' | 'working_hours'): number {
  if (to <= from) return 0;
  if (unit === 'working_hours') return Math.round(time.workingTimeBetween(from, to) / 36_000) / 100;
  let days = 0;
  const last = time.zone.dayOf(to.getTime());
  for (let day = time.zone.dayOf(from.getTime()) + 1; day <= last; day++) if (time.officeDay(day).hours) days++;
  return days;
}

/** The instants a month covers in the region's zone: [from, to). */
export function monthBounds(year: number, month: number, zone: FixedOffsetZone): { from: Date; to: Date } {
  const pad = (n: number) => String(n).padStart(2, '0');
  const first = dayNumber(`${year}-${pad(month)}-01`);
  const next = month === 12 ? dayNumber(`${year + 1}-01-01`) : dayNumber(`${year}-${pad(month + 1)}-01`);
  return { from: new Date(zone.instant(first, 0)), to: new Date(zone.instant(next, 0)) };
}

/**
 * The period a month's figures are counted over: the month, or up to now while it runs ("at the
 * end of M" is then "now": a message due later this month is not overdue yet).
 */
export function untilNow(period: { from: Date; to: Date }, now: Date): { from: Date; to: Date } {
  // The end is exclusive: what happened at this very instant is in.
  const end = new Date(now.getTime() + 1);
  return { from: period.from, to: period.to > end ? end : period.to };
}

export const MONTH_NAMES = ['январь', 'февраль', 'март', 'апрель', 'май', 'июнь', 'июль', 'август', 'сентябрь', 'октябрь', 'ноябрь', 'декабрь'] as const;

export function monthTitle(year: number, month: number): string {
  return `${MONTH_NAMES[month - 1]} ${year}`;
}

/**
 * When a month's summary is due (order No. 733, item 4: by the 3rd of the next month), moved off a
 * non-working day to the next working day the way the order's other deadlines are, ending when a
 * day term ends on that day; when it is generated (the opening of the first working day after the
 * month); and when 75% of the office time between the month's end and the deadline has passed.
 */
export function submissionSchedule(year: number, month: number, time: WorkingTime): { generateAt: Date; warnAt: Date; dueAt: Date } {
  const { to: monthEnd } = monthBounds(year, month, time.zone);
  let day = time.zone.dayOf(monthEnd.getTime()) + 2;
  while (!time.officeDay(day).hours) day++;
  const dueAt = new Date(time.dayEnd(day));
  const generateAt = time.nextOpening(monthEnd);
  const warnAt = time.addWorkingTime(monthEnd, Math.round(time.workingTimeBetween(monthEnd, dueAt) * 0.75));
  return { generateAt, warnAt, dueAt };
}
