import type { DurationSpec } from '@cur/calendar';
import { MessageStatus } from '../message/message-status';
import { ClockData, ClockOperation } from './clock';
import { CLOCK_KINDS, ClockKind, ClockRule, ClockRules, SlaPolicy } from './sla-policy';

export interface ExistingClock extends ClockData {
  id: string;
}

/** What happened to the message, as far as its clocks care. */
export type ClockEvent =
  /** Triage or an operator decided: routed to an organization, or (null) left with ЦУР. The policy may be new. */
  | { type: 'routed'; at: Date; receivedAt: Date; organizationId: string | null; by: string }
  | { type: 'status'; at: Date; from: MessageStatus; to: MessageStatus; by: string }
  | { type: 'interim_answer'; at: Date; by: string }
  | { type: 'answered'; at: Date; by: string }
  | { type: 'reopened'; at: Date; by: string }
  /** down/up: within the organization's own hierarchy; competence: to another body that is competent (59-ФЗ ст. 8 ч. 3). */
  | { type: 'redirected'; at: Date; organizationId: string; direction: 'down' | 'up' | 'competence'; by: string }
  | { type: 'extended'; at: Date; term: DurationSpec; by: string; reason?: string; requestId: string }
  /** Declined by moderation, or closed for good: nothing runs any more. */
  | { type: 'closed'; at: Date; by: string; reason: 'rejected' | 'closed' };

export type ClockAction =
  /**
   * A new clock; `stop` when it ends at once (moderation and registration of a message routed on
   * arrival); `operations` carried over from the clock it replaces (its pauses and extensions).
   */
  | {
      type: 'start';
      kind: ClockKind;
      generation: number;
      rule: ClockRule;
      policyId: string;
      organizationId: string | null;
      startedAt: Date;
      stop?: { at: Date; reason: string };
      operations?: ClockOperation[];
    }
  | { type: 'stop'; id: string; at: Date; reason: string }
  | { type: 'cancel'; id: string; at: Date; reason: string }
  | { type: 'operate'; id: string; operation: ClockOperation }
  | { type: 'reassign'; id: string; organizationId: string | null };

/** Clocks kept by ЦУР whoever handles the message. */
const COORDINATOR_CLOCKS: readonly ClockKind[] = ['moderation'];
/** Statuses in which ЦУР still moderates. */
const MODERATING: readonly MessageStatus[] = ['new', 'needs_triage', 'moderation'];
/** Statuses that show the organization has reacted. */
const REACTED: readonly MessageStatus[] = ['in_progress', 'interim_answer', 'answer_draft', 'approval', 'answered'];

/**
 * The clock changes an event causes under a policy. Pure: the caller applies the actions in the
 * transaction of the state change, so a clock never disagrees with the message it belongs to.
 */
export function planClocks(policy: SlaPolicy, clocks: readonly ExistingClock[], event: ClockEvent): ClockAction[] {
  const active = clocks.filter((c) => c.status === 'running' || c.status === 'paused');
  const activeOf = (kind: ClockKind) => active.find((c) => c.kind === kind);
  const everStarted = (kind: ClockKind) => clocks.some((c) => c.kind === kind);
  const nextGeneration = (kind: ClockKind) => Math.max(0, ...clocks.filter((c) => c.kind === kind).map((c) => c.generation)) + 1;
  const actions: ClockAction[] = [];
  const start = (kind: ClockKind, rule: ClockRule, organizationId: string | null, startedAt: Date, operations?: ClockOperation[]) =>
    actions.push({
      type: 'start',
      kind,
      generation: nextGeneration(kind),
      rule,
      policyId: policy.id,
      organizationId: COORDINATOR_CLOCKS.includes(kind) ? null : organizationId,
      startedAt,
      ...(operations?.length ? { operations } : {}),
    });
  const stop = (clock: ExistingClock | undefined, at: Date, reason: string) => clock && actions.push({ type: 'stop', id: clock.id, at, reason });
  const cancel = (clock: ExistingClock | undefined, at: Date, reason: string) => clock && actions.push({ type: 'cancel', id: clock.id, at, reason });

  switch (event.type) {
    case 'routed': {
      const routed = event.organizationId !== null;
      const startOf = (rule: ClockRule): Date | null =>
        rule.startsAt === 'receipt' ? event.receivedAt : rule.startsAt === 'registration' || rule.startsAt === 'assignment' ? (routed ? event.at : null) : null;
      for (const kind of CLOCK_KINDS) {
        const rule = policy.clocks[kind];
        const current = activeOf(kind);
        if (current && (!rule || !sameRule(current, rule))) {
          // Reclassified: the clock of the old policy no longer applies; the new one keeps the old start
          // (when it has the same start event) and what moved the old one: its pauses and extensions.
          cancel(current, event.at, 'policy_changed');
          if (rule)
            start(kind, rule, event.organizationId, rule.startsAt === current.startsOn ? current.startedAt : (startOf(rule) ?? event.at), current.operations);
          continue;
        }
        if (current) {
          if (!COORDINATOR_CLOCKS.includes(kind) && current.organizationId !== event.organizationId)
            actions.push({ type: 'reassign', id: current.id, organizationId: event.organizationId });
          continue;
        }
        if (!rule || everStarted(kind)) continue;
        const startedAt = startOf(rule);
        if (startedAt) start(kind, rule, event.organizationId, startedAt);
      }
      if (routed) {
        // Routing ends moderation; registration happens with it (the organization's system registers what it receives).
        for (const kind of ['moderation', 'registration'] as const) {
          const reason = kind === 'moderation' ? 'routed' : 'registered';
          const planned = actions.find((a): a is Extract<ClockAction, { type: 'start' }> => a.type === 'start' && a.kind === kind);
          if (planned) planned.stop = { at: event.at, reason };
          else stop(activeOf(kind), event.at, reason);
        }
      }
      return actions;
    }
    case 'status': {
      const pauses = policy.pausedIn.includes(event.to) && !policy.pausedIn.includes(event.from);
      const resumes = policy.pausedIn.includes(event.from) && !policy.pausedIn.includes(event.to);
      for (const clock of active) {
        if (COORDINATOR_CLOCKS.includes(clock.kind)) continue;
        if (pauses && clock.status === 'running')
          actions.push({ type: 'operate', id: clock.id, operation: { op: 'pause', at: event.at.toISOString(), by: event.by, ref: event.to } });
        if (resumes && clock.status === 'paused')
          actions.push({ type: 'operate', id: clock.id, operation: { op: 'resume', at: event.at.toISOString(), by: event.by, ref: event.from } });
      }
      if (!MODERATING.includes(event.to)) stop(activeOf('moderation'), event.at, event.to === 'rejected' ? 'rejected' : 'moderated');
      if (REACTED.includes(event.to)) stop(activeOf('first_reaction'), event.at, event.to);
      return actions;
    }
    case 'interim_answer': {
      stop(activeOf('first_reaction'), event.at, 'interim_answer');
      stop(activeOf('interim_answer'), event.at, 'interim_answer');
      for (const [kind, rule] of entries(policy.afterInterimAnswer)) {
        // Once per answer: a second interim answer does not buy another 7 days.
        if (activeOf(kind)?.startsOn === 'interim_answer') continue;
        stop(activeOf(kind), event.at, 'interim_answer');
        start(kind, rule, organizationOf(active), event.at);
      }
      return actions;
    }
    case 'answered': {
      for (const clock of active) {
        if (clock.kind === 'redirect') cancel(clock, event.at, 'answered');
        else stop(clock, event.at, 'answered');
      }
      return actions;
    }
    case 'reopened': {
      const rules: ClockRules = { ...policy.reconsideration };
      if (!rules.final_answer && policy.clocks.final_answer) rules.final_answer = { ...policy.clocks.final_answer, startsAt: 'reconsideration' };
      const organizationId = organizationOf(clocks);
      for (const [kind, rule] of entries(rules)) {
        cancel(activeOf(kind), event.at, 'reconsideration');
        start(kind, rule, organizationId, event.at);
      }
      return actions;
    }
    case 'redirected': {
      const window = activeOf('redirect');
      stop(window, event.at, 'redirected');
      // Within the organization's hierarchy the clocks always continue; the policy decides for a redirect by competence.
      if (event.direction !== 'competence' || policy.redirects.clocks === 'continue') {
        for (const clock of active)
          if (clock !== window && !COORDINATOR_CLOCKS.includes(clock.kind))
            actions.push({ type: 'reassign', id: clock.id, organizationId: event.organizationId });
        return actions;
      }
      // 'restart': the competent body registers the appeal on receipt; its own clocks run from there.
      for (const clock of active) if (clock !== window && !COORDINATOR_CLOCKS.includes(clock.kind)) cancel(clock, event.at, 'redirected');
      for (const [kind, rule] of entries(policy.clocks)) {
        if (kind === 'moderation' || kind === 'registration') continue;
        start(kind, rule, event.organizationId, event.at);
      }
      return actions;
    }
    case 'extended': {
      const clock = activeOf('final_answer');
      if (clock)
        actions.push({
          type: 'operate',
          id: clock.id,
          operation: { op: 'extend', at: event.at.toISOString(), term: event.term, by: event.by, reason: event.reason, ref: event.requestId },
        });
      return actions;
    }
    case 'closed': {
      for (const clock of active) {
        if (clock.kind === 'moderation' && event.reason === 'rejected') stop(clock, event.at, 'rejected');
        else cancel(clock, event.at, event.reason);
      }
      return actions;
    }
  }
}

function sameRule(clock: ExistingClock, rule: ClockRule): boolean {
  return clock.term.amount === rule.amount && clock.term.unit === rule.unit && clock.startsOn === rule.startsAt;
}

function entries(rules: ClockRules): [ClockKind, ClockRule][] {
  return CLOCK_KINDS.filter((k) => rules[k]).map((k) => [k, rules[k]!]);
}

function organizationOf(clocks: readonly ExistingClock[]): string | null {
  const handling = [...clocks].reverse().find((c) => c.organizationId !== null);
  return handling?.organizationId ?? null;
}
