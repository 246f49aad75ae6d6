import type { DurationSpec } from '@cur/calendar';
import { Channel, Importance } from '../message/channel';
import { MessageStatus } from '../message/message-status';

/**
 * The clocks a message can run (DOMAIN.md §2). `redirect` is a window, not an obligation: it
 * closes silently unless the message is redirected after it (59-ФЗ ст. 8 ч. 3, seven days).
 */
export const CLOCK_KINDS = ['registration', 'moderation', 'first_reaction', 'interim_answer', 'redirect', 'final_answer'] as const;
export type ClockKind = (typeof CLOCK_KINDS)[number];

export const CLOCK_TITLES: Record<ClockKind, string> = {
  registration: 'Регистрация обращения',
  moderation: 'Модерация',
  first_reaction: 'Первая реакция',
  interim_answer: 'Промежуточный ответ',
  redirect: 'Перенаправление по компетенции',
  final_answer: 'Ответ заявителю',
};

/** Clocks whose expiry is a breach; the others are windows (see CLOCK_KINDS). */
export const BREACH_ON_EXPIRY: Record<ClockKind, boolean> = {
  registration: true,
  moderation: true,
  first_reaction: true,
  interim_answer: true,
  redirect: false,
  final_answer: true,
};

/** The event a clock starts from. */
export const CLOCK_STARTS = ['receipt', 'registration', 'assignment', 'interim_answer', 'reconsideration'] as const;
export type ClockStart = (typeof CLOCK_STARTS)[number];

export const CLOCK_START_TITLES: Record<ClockStart, string> = {
  receipt: 'поступление сообщения',
  registration: 'регистрация в организации',
  assignment: 'назначение организации',
  interim_answer: 'промежуточный ответ',
  reconsideration: 'повторное рассмотрение',
};

export interface ClockRule extends DurationSpec {
  startsAt: ClockStart;
}

export type ClockRules = Partial<Record<ClockKind, ClockRule>>;

export interface ExtensionRules {
  /** How many extensions a message may get (59-ФЗ: one). */
  max: number;
  /** The longest one extension may be (59-ФЗ: 30 days). */
  maxTerm: DurationSpec;
  /** Who approves a request: the head of the organization handling the message, or ЦУР. */
  approvedBy: 'head' | 'coordinator';
  /** The applicant must be told (59-ФЗ ст. 12 ч. 2). */
  notifyApplicant: boolean;
}

export interface RedirectRules {
  /** Redirects a message may take before ЦУР must decide instead. */
  max: number;
  /**
   * What the clocks do at the new organization: 'continue' keeps the due dates (a ПОС message's
   * term is the applicant's), 'restart' starts the policy's clocks anew there (59-ФЗ: the
   * competent body registers the appeal and its 30 days run from that registration).
   */
  clocks: 'continue' | 'restart';
}

/** Which messages a policy is for; absent fields match anything. */
export interface PolicyMatch {
  channel?: Channel;
  /** Any of these categories. */
  categories?: string[];
  /** A ПОС subcategory, by name as the source gives it. */
  subcategory?: string;
  importance?: Importance;
}

export interface SlaPolicy {
  id: string;
  title: string;
  match: PolicyMatch;
  clocks: ClockRules;
  /** Clocks that replace the running ones once an interim answer is given (public messages: 7 working days for the final answer). */
  afterInterimAnswer: ClockRules;
  /** Clocks started by a re-consideration; the final answer's rule when absent. */
  reconsideration: ClockRules;
  /** Statuses in which the clocks stand still. */
  pausedIn: MessageStatus[];
  extensions: ExtensionRules | null;
  redirects: RedirectRules;
}

export interface SlaPolicies {
  /** Fractions of a clock at which an at-risk warning is raised. */
  warnAt: number[];
  policies: SlaPolicy[];
}

/** What a message offers the policy match. */
export interface PolicySubject {
  channel: Channel;
  categoryCode?: string | null;
  subcategory?: string | null;
  importance: Importance;
}

// A more specific match wins; the weights make any two distinct match shapes comparable.
const WEIGHT = { subcategory: 8, categories: 4, importance: 2, channel: 1 } as const;

export function specificity(match: PolicyMatch): number {
  return (Object.keys(WEIGHT) as (keyof PolicyMatch)[]).reduce((sum, key) => sum + (match[key] !== undefined ? WEIGHT[key] : 0), 0);
}

export function matches(match: PolicyMatch, subject: PolicySubject): boolean {
  return (
    (match.channel === undefined || match.channel === subject.channel) &&
    (match.categories === undefined || (!!subject.categoryCode && match.categories.includes(subject.categoryCode))) &&
    (match.subcategory === undefined || normalizeName(match.subcategory) === normalizeName(subject.subcategory ?? '')) &&
    (match.importance === undefined || match.importance === subject.importance)
  );
}

export class NoPolicyError extends Error {
  constructor(subject: PolicySubject) {
    super(`нет SLA-политики для канала ${subject.channel}${subject.categoryCode ? `, категории ${subject.categoryCode}` : ''}`);
  }
}

/**
 * The policy of a message: the most specific one matching it (subcategory over category over
 * importance over channel). The config loader refuses two policies with the same match, so the
 * choice is never a tie.
 */
export function resolvePolicy(policies: readonly SlaPolicy[], subject: PolicySubject): SlaPolicy {
  let best: SlaPolicy | undefined;
  for (const policy of policies) {
    if (!matches(policy.match, subject)) continue;
    if (!best || specificity(policy.match) > specificity(best.match)) best = policy;
  }
  if (!best) throw new NoPolicyError(subject);
  return best;
}

function normalizeName(name: string): string {
  return name.toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ').trim();
}
