import { actionAllowedIn, ActionFacts, availableActions, MESSAGE_ACTION_NAMES, MESSAGE_ACTIONS, MessageActionRule } from '../message-actions';
import { canTransition, MESSAGE_STATUSES, MessageStatus } from '../message-status';

const facts = (status: MessageStatus, more: Partial<ActionFacts> = {}): ActionFacts => ({
  status,
  duplicate: false,
  answerApproval: true,
  extensible: true,
  pendingExtensionForCaller: false,
  ...more,
});

describe('the actions on a message', () => {
  it('never lists a status an action could not leave by the transition table', () => {
    const broken: string[] = [];
    for (const action of MESSAGE_ACTION_NAMES) {
      const rule: MessageActionRule = MESSAGE_ACTIONS[action];
      for (const from of rule.from) {
        if (rule.to === null) continue;
        const first = rule.via ?? rule.to;
        if (first !== from && !canTransition(from, first)) broken.push(`${action}: ${from} → ${first}`);
        if (rule.via && rule.via !== rule.to && !canTransition(rule.via, rule.to)) broken.push(`${action}: ${rule.via} → ${rule.to}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('allows an action only from its own statuses', () => {
    for (const action of MESSAGE_ACTION_NAMES) {
      for (const status of MESSAGE_STATUSES) {
        expect([action, status, actionAllowedIn(action, status)]).toEqual([
          action,
          status,
          (MESSAGE_ACTIONS[action].from as readonly string[]).includes(status),
        ]);
      }
    }
  });

  it('an executor of the handling organization takes an assigned message, drafts, but does not send the answer itself where a head approves', () => {
    const executor = { roles: ['executor'] as const, handles: true };
    expect(availableActions(executor, facts('assigned'))).toEqual(['take', 'ask-applicant', 'interim-answer', 'draft-answer', 'redirect', 'request-extension']);
    expect(availableActions(executor, facts('assigned', { answerApproval: false }))).toContain('answer');
  });

  it('a head of the handling organization also answers, assigns and decides the draft', () => {
    const head = { roles: ['head'] as const, handles: true };
    expect(availableActions(head, facts('in_progress'))).toEqual(expect.arrayContaining(['answer', 'assign', 'draft-answer']));
    expect(availableActions(head, facts('approval'))).toEqual(['approve-answer', 'return-answer', 'assign']);
  });

  it('staff of another organization (a parent overseeing it) may do nothing', () => {
    expect(availableActions({ roles: ['executor', 'head'], handles: false }, facts('in_progress'))).toEqual([]);
  });

  it('an operator triages while the message is with ЦУР and reopens an answered one, but not a merged duplicate', () => {
    const operator = { roles: ['operator'] as const, handles: false };
    expect(availableActions(operator, facts('needs_triage'))).toEqual(['categorize', 'set-importance', 'merge', 'reject']);
    expect(availableActions(operator, facts('moderation'))).toEqual(['accept-moderation', 'set-importance', 'merge', 'reject']);
    expect(availableActions(operator, facts('answered'))).toEqual(['reconsider']);
    expect(availableActions(operator, facts('closed', { duplicate: true }))).toEqual([]);
  });

  it('a supervisor and an organizer take no action on messages', () => {
    for (const roles of [['supervisor'], ['organizer'], ['admin']] as const) {
      for (const status of MESSAGE_STATUSES) expect(availableActions({ roles, handles: false }, facts(status))).toEqual([]);
    }
  });

  it('an extension request is offered to the policy’s approver only, and no extension where no answer clock of this system runs', () => {
    const head = { roles: ['head'] as const, handles: true };
    expect(availableActions(head, facts('in_progress', { pendingExtensionForCaller: true }))).toContain('decide-extension');
    expect(availableActions(head, facts('in_progress'))).not.toContain('decide-extension');
    expect(availableActions(head, facts('in_progress', { extensible: false }))).not.toContain('request-extension');
  });
});
