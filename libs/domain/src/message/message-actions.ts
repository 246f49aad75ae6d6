import type { Role } from '../access/roles';
import { canTransition, MESSAGE_STATUSES, MessageStatus, OPEN_STATUSES } from './message-status';

/** Statuses in which the handling organization holds the message and works on it. */
export const HANDLING_STATUSES: readonly MessageStatus[] = ['assigned', 'in_progress', 'awaiting_applicant', 'interim_answer', 'postponed', 'reopened'];

/**
 * Who may take an action:
 * - `operator`: a ЦУР operator;
 * - `handler`: the staff (executor or head) of the organization handling the message now;
 * - `head`: the head of that organization;
 * - `extension-approver`: per the SLA policy, a head of the handling organization or above it, or an operator;
 * - `source`: the system the message came from (with its API key).
 */
export type ActionPerformer = 'operator' | 'handler' | 'head' | 'extension-approver' | 'source';

export interface MessageActionRule {
  title: string;
  who: ActionPerformer;
  /** The statuses it may start from. */
  from: readonly MessageStatus[];
  /** The status it leads to; null = the status stays. */
  to: MessageStatus | null;
  /** A status passed through on the way (redirected → assigned), checked against the transition table too. */
  via?: MessageStatus;
}

/**
 * Every action a person (or the message's source) takes on a message, with the statuses it starts
 * from and leads to. The life-cycle module checks an action against this table before the change,
 * and answers "what may this caller do now" from it, so no screen keeps its own copy of the rules;
 * a unit test holds the table to the transition table.
 */
export const MESSAGE_ACTIONS = {
  categorize: { title: 'Выбрать категорию и организацию', who: 'operator', from: ['new', 'needs_triage', 'assigned'], to: 'assigned' },
  'accept-moderation': { title: 'Принять (модерация)', who: 'operator', from: ['moderation'], to: 'needs_triage' },
  'set-importance': { title: 'Изменить важность', who: 'operator', from: OPEN_STATUSES, to: null },
  merge: { title: 'Объединить как дубль', who: 'operator', from: ['new', 'needs_triage', 'moderation', 'assigned'], to: 'closed' },
  reject: { title: 'Отклонить', who: 'operator', from: ['new', 'needs_triage', 'moderation'], to: 'rejected' },
  reconsider: { title: 'Повторное рассмотрение', who: 'operator', from: ['answered', 'rated', 'closed'], to: 'reopened' },
  take: { title: 'Взять в работу', who: 'handler', from: ['assigned', 'reopened', 'postponed', 'interim_answer'], to: 'in_progress' },
  'ask-applicant': {
    title: 'Запросить уточнения',
    who: 'handler',
    from: ['assigned', 'in_progress', 'interim_answer', 'postponed', 'reopened'],
    to: 'awaiting_applicant',
  },
  'applicant-answered': { title: 'Уточнения получены', who: 'handler', from: ['awaiting_applicant'], to: 'in_progress' },
  'interim-answer': {
    title: 'Промежуточный ответ',
    who: 'handler',
    from: ['assigned', 'in_progress', 'interim_answer', 'postponed', 'reopened'],
    to: 'interim_answer',
  },
  answer: { title: 'Отправить ответ', who: 'handler', from: HANDLING_STATUSES, to: 'answered' },
  'draft-answer': {
    title: 'На согласование',
    who: 'handler',
    from: ['assigned', 'in_progress', 'interim_answer', 'postponed', 'reopened', 'answer_draft'],
    to: 'approval',
    via: 'answer_draft',
  },
  'approve-answer': { title: 'Согласовать и отправить', who: 'head', from: ['approval'], to: 'answered' },
  'return-answer': { title: 'Вернуть на доработку', who: 'head', from: ['approval'], to: 'answer_draft' },
  assign: { title: 'Назначить исполнителя', who: 'head', from: [...HANDLING_STATUSES, 'answer_draft', 'approval'], to: null },
  redirect: {
    title: 'Перенаправить',
    who: 'handler',
    from: ['assigned', 'in_progress', 'interim_answer', 'postponed', 'reopened'],
    to: 'assigned',
    via: 'redirected',
  },
  'request-extension': { title: 'Запросить продление', who: 'handler', from: HANDLING_STATUSES, to: null },
  // Approval moves the status to «Срок перенесён» where the table allows it; a rejection may come in any status.
  'decide-extension': { title: 'Решить по продлению', who: 'extension-approver', from: MESSAGE_STATUSES, to: null },
  rate: { title: 'Оценка заявителя', who: 'source', from: ['answered', 'rated'], to: 'rated' },
} as const satisfies Record<string, MessageActionRule>;

export type MessageActionName = keyof typeof MESSAGE_ACTIONS;
export const MESSAGE_ACTION_NAMES = Object.keys(MESSAGE_ACTIONS) as MessageActionName[];

export function actionRule(action: MessageActionName): MessageActionRule {
  return MESSAGE_ACTIONS[action];
}

/** Whether the action may start from this status (its own table, and the transition it makes). */
export function actionAllowedIn(action: MessageActionName, status: MessageStatus): boolean {
  const rule = actionRule(action);
  if (!rule.from.includes(status)) return false;
  if (rule.to === null) return true;
  const first = rule.via ?? rule.to;
  return (first === status || canTransition(status, first)) && (!rule.via || rule.via === rule.to || canTransition(rule.via, rule.to));
}

/** What the caller is to a message, as far as actions go. */
export interface ActionCaller {
  roles: readonly Role[];
  /** Staff of the organization handling the message now. */
  handles: boolean;
}

/** Facts of the message and the region that some actions depend on. */
export interface ActionFacts {
  status: MessageStatus;
  /** Merged into another message as a duplicate: that one is answered and reconsidered. */
  duplicate: boolean;
  /** The region requires a head's approval of an executor's answer (`workflow.answerApproval`). */
  answerApproval: boolean;
  /** The message's policy allows extensions and its answer clock runs (a ПОС export row runs on the portal's term: extended there). */
  extensible: boolean;
  /** An extension request waits for a decision, and the caller is the policy's approver. */
  pendingExtensionForCaller: boolean;
}

/**
 * The actions a caller may take on a message now. The same rules the actions are checked by, so a
 * screen that shows these never offers what the server would refuse for the status or the role.
 */
export function availableActions(caller: ActionCaller, facts: ActionFacts): MessageActionName[] {
  const has = (role: Role) => caller.roles.includes(role);
  return MESSAGE_ACTION_NAMES.filter((action) => {
    const rule = actionRule(action);
    if (!actionAllowedIn(action, facts.status)) return false;
    switch (rule.who) {
      case 'operator':
        if (!has('operator')) return false;
        break;
      case 'handler':
        if (!caller.handles) return false;
        break;
      case 'head':
        if (!caller.handles || !has('head')) return false;
        break;
      case 'extension-approver':
        return facts.pendingExtensionForCaller;
      case 'source':
        return false;
    }
    if (action === 'reconsider' && facts.duplicate) return false;
    if (action === 'answer' && facts.answerApproval && !has('head')) return false;
    if (action === 'request-extension' && !facts.extensible) return false;
    return true;
  });
}
