import 'reflect-metadata';
import { join } from 'node:path';
import { ProductionCalendar, WorkingTime } from '@cur/calendar';
import { loadRegionConfig } from '@cur/config';
import { ClockEvent, clockState, ExistingClock, fractionInstants, nextCheckAt, planClocks, replayClock, resolvePolicy, SlaPolicy } from '../..';

/**
 * The clocks of real cases on the project's config (Rostov region, production calendar 2023–2026,
 * office 09:00–18:00 MSK). Every expected instant was counted by hand from config/calendar.
 */
const data = loadRegionConfig(join(__dirname, '../../../../../config'), 'rostov');
const time = new WorkingTime(new ProductionCalendar(data.calendar));
const policies = data.slaPolicies.policies;
const msk = (local: string): Date => new Date(`${local}+03:00`);
const iso = (d: Date | null) => (d ? time.zone.format(d) : null);

/** The clocks of one message, kept the way the clock service keeps them, in memory. */
class Message {
  clocks: ExistingClock[] = [];
  private next = 1;

  constructor(
    public policy: SlaPolicy,
    readonly receivedAt: Date,
  ) {}

  on(event: ClockEvent): this {
    for (const action of planClocks(this.policy, this.clocks, event)) {
      const clock = 'id' in action ? this.clocks.find((c) => c.id === action.id)! : undefined;
      switch (action.type) {
        case 'start':
          this.clocks.push({
            id: `c${this.next++}`,
            kind: action.kind,
            generation: action.generation,
            policyId: action.policyId,
            organizationId: action.organizationId,
            term: { amount: action.rule.amount, unit: action.rule.unit },
            startsOn: action.rule.startsAt,
            startedAt: action.startedAt,
            operations: action.operations ? [...action.operations] : [],
            status: action.stop ? 'stopped' : 'running',
            stoppedAt: action.stop?.at ?? null,
            stopReason: action.stop?.reason ?? null,
          });
          break;
        case 'stop':
          Object.assign(clock!, { status: 'stopped', stoppedAt: action.at, stopReason: action.reason });
          break;
        case 'cancel':
          Object.assign(clock!, { status: 'cancelled', stoppedAt: action.at, stopReason: action.reason });
          break;
        case 'operate':
          clock!.operations.push(action.operation);
          clock!.status = replayClock(clock!, time).dueAt ? 'running' : 'paused';
          break;
        case 'reassign':
          clock!.organizationId = action.organizationId;
      }
    }
    return this;
  }

  clock(kind: ExistingClock['kind'], generation?: number): ExistingClock {
    const found = this.clocks.filter((c) => c.kind === kind && (generation === undefined || c.generation === generation)).at(-1);
    if (!found) throw new Error(`no ${kind} clock`);
    return found;
  }

  due(kind: ExistingClock['kind'], generation?: number): string | null {
    return iso(replayClock(this.clock(kind, generation), time).dueAt);
  }

  state(kind: ExistingClock['kind'], now: Date, generation?: number) {
    const c = this.clock(kind, generation);
    return clockState(c, replayClock(c, time), now);
  }
}

const by = 'executor:sidorov';

describe('which policy a message runs', () => {
  it.each([
    [{ channel: 'pos' as const, importance: 'normal' as const }, 'pos'],
    [{ channel: 'pos' as const, categoryCode: 'pos.water-supply', importance: 'normal' as const }, 'pos-utilities'],
    [{ channel: 'pos' as const, categoryCode: 'pos.roads', importance: 'high' as const }, 'pos'],
    [{ channel: 'appeal' as const, categoryCode: 'pos.water-supply', importance: 'normal' as const }, 'appeal-59fz'],
    [{ channel: 'social' as const, importance: 'normal' as const }, 'social'],
    [{ channel: 'social' as const, categoryCode: 'im.dorogi.01', importance: 'high' as const }, 'social-high'],
  ])('%o → %s', (subject, id) => {
    expect(resolvePolicy(policies, subject).id).toBe(id);
  });
});

describe('ПОС messages', () => {
  it('a «water» message filed Friday 27.12.2024 17:30 has 5 working days: the working Saturday counts, the New Year does not → 14.01.2025 18:00', () => {
    const m = new Message(resolvePolicy(policies, { channel: 'pos', categoryCode: 'pos.water-supply', importance: 'normal' }), msk('2024-12-27T17:30'));
    m.on({ type: 'routed', at: msk('2024-12-27T17:30:05'), receivedAt: m.receivedAt, organizationId: 'adm-taganrog', by: 'system:triage' });
    expect(m.due('final_answer')).toBe('2025-01-14T18:00:00+03:00');
    // Moderation ran from receipt and ended with the routing, well in time.
    expect(m.state('moderation', msk('2024-12-27T17:31'))).toBe('met');
    expect(m.clock('final_answer').organizationId).toBe('adm-taganrog');
    expect(m.clock('moderation').organizationId).toBeNull();
  });

  it('left with ЦУР and reclassified by an operator: the 10-day clock of the channel becomes the 5-day clock of «water», same start', () => {
    const m = new Message(resolvePolicy(policies, { channel: 'pos', importance: 'normal' }), msk('2025-03-03T10:00'));
    m.on({ type: 'routed', at: msk('2025-03-03T10:00:02'), receivedAt: m.receivedAt, organizationId: null, by: 'system:triage' });
    // 4–7 March (1–4; 7 March shortened), 8 March a Saturday holiday, 10–14 (5–9), 17 March (10).
    expect(m.due('final_answer')).toBe('2025-03-17T18:00:00+03:00');
    expect(m.state('moderation', msk('2025-03-03T12:00'))).toBe('running');
    m.policy = resolvePolicy(policies, { channel: 'pos', categoryCode: 'pos.water-supply', importance: 'normal' });
    m.on({ type: 'routed', at: msk('2025-03-04T09:30'), receivedAt: m.receivedAt, organizationId: 'adm-rostov-na-donu', by: 'operator:ivanova' });
    expect(m.state('final_answer', msk('2025-03-04T09:30'), 1)).toBe('cancelled');
    expect(m.clock('final_answer', 2).startedAt).toEqual(m.receivedAt);
    expect(m.due('final_answer', 2)).toBe('2025-03-10T18:00:00+03:00');
    // Moderation took one working day minus 30 minutes: met.
    expect(m.state('moderation', msk('2025-03-04T09:30'))).toBe('met');
  });

  it('waiting for the applicant stands the clock still: 2 working days left when paused, counted again from the resumption', () => {
    const m = new Message(resolvePolicy(policies, { channel: 'pos', categoryCode: 'pos.roads', importance: 'normal' }), msk('2025-04-01T10:00'));
    m.on({ type: 'routed', at: msk('2025-04-01T10:00'), receivedAt: m.receivedAt, organizationId: 'adm-rostov-na-donu', by: 'system:triage' });
    expect(m.due('final_answer')).toBe('2025-04-15T18:00:00+03:00');
    m.on({ type: 'status', at: msk('2025-04-11T12:00'), from: 'in_progress', to: 'awaiting_applicant', by });
    expect(m.clock('final_answer').status).toBe('paused');
    expect(m.due('final_answer')).toBeNull();
    const paused = replayClock(m.clock('final_answer'), time);
    expect(paused.remaining).toEqual({ unit: 'working_days', amount: 2 }); // 14 and 15 April
    m.on({ type: 'status', at: msk('2025-04-22T16:00'), from: 'awaiting_applicant', to: 'in_progress', by });
    expect(m.due('final_answer')).toBe('2025-04-24T18:00:00+03:00');
    expect(replayClock(m.clock('final_answer'), time).steps.map((s) => s.op)).toEqual(['pause', 'resume']);
  });

  it('re-consideration after the answer starts a fresh 10-day answer clock from the reopening', () => {
    const m = new Message(resolvePolicy(policies, { channel: 'pos', categoryCode: 'pos.roads', importance: 'normal' }), msk('2025-04-01T10:00'));
    m.on({ type: 'routed', at: msk('2025-04-01T10:00'), receivedAt: m.receivedAt, organizationId: 'adm-rostov-na-donu', by: 'system:triage' });
    m.on({ type: 'answered', at: msk('2025-04-10T15:00'), by });
    expect(m.state('final_answer', msk('2025-05-01T00:00'), 1)).toBe('met');
    m.on({ type: 'reopened', at: msk('2025-04-28T11:00'), by: 'operator:ivanova' });
    expect(m.clock('final_answer', 2)).toMatchObject({ startsOn: 'reconsideration', status: 'running', organizationId: 'adm-rostov-na-donu' });
    // 29, 30 April (1, 2); 1–4 May off (holiday, transferred day off, weekend); 5, 6, 7 May (3–5);
    // 8 May transferred day off, 9 May holiday, 10–11 weekend; 12–16 May (6–10).
    expect(m.due('final_answer', 2)).toBe('2025-05-16T18:00:00+03:00');
  });

  it('a redirect to a subordinate keeps the due date (the applicant’s term) and hands the clock over', () => {
    const m = new Message(resolvePolicy(policies, { channel: 'pos', categoryCode: 'pos.roads', importance: 'normal' }), msk('2025-04-01T10:00'));
    m.on({ type: 'routed', at: msk('2025-04-01T10:00'), receivedAt: m.receivedAt, organizationId: 'min-transport', by: 'system:triage' });
    const before = m.due('final_answer');
    m.on({ type: 'redirected', at: msk('2025-04-03T10:00'), organizationId: 'adm-rostov-na-donu', direction: 'down', by });
    expect(m.due('final_answer')).toBe(before);
    expect(m.clock('final_answer')).toMatchObject({ organizationId: 'adm-rostov-na-donu', generation: 1 });
  });

  it('standing the clock still after the term ran out gives no time back: still breached after resuming', () => {
    const m = new Message(resolvePolicy(policies, { channel: 'pos', categoryCode: 'pos.roads', importance: 'normal' }), msk('2025-04-01T10:00'));
    m.on({ type: 'routed', at: msk('2025-04-01T10:00'), receivedAt: m.receivedAt, organizationId: 'adm-rostov-na-donu', by: 'system:triage' });
    m.on({ type: 'status', at: msk('2025-04-17T10:00'), from: 'in_progress', to: 'awaiting_applicant', by });
    expect(m.clock('final_answer').status).toBe('running');
    m.on({ type: 'status', at: msk('2025-04-23T10:00'), from: 'awaiting_applicant', to: 'in_progress', by });
    expect(m.due('final_answer')).toBe('2025-04-15T18:00:00+03:00');
    m.on({ type: 'answered', at: msk('2025-04-23T15:00'), by });
    expect(m.state('final_answer', msk('2025-04-23T15:00'))).toBe('breached');
    expect(replayClock(m.clock('final_answer'), time).steps[0].text).toContain('после истечения срока');
  });

  it('a reclassified message keeps the pauses of its clock: paused 2 days, then the category changes → the new term is counted net of the pause', () => {
    const m = new Message(resolvePolicy(policies, { channel: 'pos', categoryCode: 'pos.roads', importance: 'normal' }), msk('2025-04-01T10:00'));
    m.on({ type: 'routed', at: msk('2025-04-01T10:00'), receivedAt: m.receivedAt, organizationId: 'adm-rostov-na-donu', by: 'system:triage' });
    m.on({ type: 'status', at: msk('2025-04-02T10:00'), from: 'in_progress', to: 'awaiting_applicant', by });
    m.on({ type: 'status', at: msk('2025-04-04T10:00'), from: 'awaiting_applicant', to: 'in_progress', by });
    m.policy = resolvePolicy(policies, { channel: 'pos', categoryCode: 'pos.water-supply', importance: 'normal' });
    m.on({ type: 'routed', at: msk('2025-04-04T11:00'), receivedAt: m.receivedAt, organizationId: 'adm-rostov-na-donu', by: 'operator:ivanova' });
    const replaced = m.clock('final_answer', 2);
    expect(replaced.operations.map((o) => o.op)).toEqual(['pause', 'resume']);
    // 5 working days from 1 April: 1 day used by the pause on 2 April (the 2nd), 4 left from 4 April → 10 April.
    expect(m.due('final_answer', 2)).toBe('2025-04-10T18:00:00+03:00');
  });

  it('an answer after the due date is a breach; the stopped clock says so', () => {
    const m = new Message(resolvePolicy(policies, { channel: 'pos', categoryCode: 'pos.roads', importance: 'normal' }), msk('2025-04-01T10:00'));
    m.on({ type: 'routed', at: msk('2025-04-01T10:00'), receivedAt: m.receivedAt, organizationId: 'adm-rostov-na-donu', by: 'system:triage' });
    expect(m.state('final_answer', msk('2025-04-15T18:00'))).toBe('running');
    expect(m.state('final_answer', msk('2025-04-15T18:00:01'))).toBe('breached');
    m.on({ type: 'answered', at: msk('2025-04-16T11:00'), by });
    expect(m.state('final_answer', msk('2025-05-01T00:00'))).toBe('breached');
  });
});

describe('59-ФЗ appeals', () => {
  const policy = resolvePolicy(policies, { channel: 'appeal', importance: 'normal' });

  it('received Saturday 28.12.2024: registration within 3 days lands on 31.12, a day off, and moves to 09.01.2025', () => {
    const m = new Message(policy, msk('2024-12-28T10:00'));
    m.on({ type: 'routed', at: msk('2024-12-28T10:00:03'), receivedAt: m.receivedAt, organizationId: null, by: 'system:triage' });
    expect(m.due('registration')).toBe('2025-01-09T18:00:00+03:00');
    // Not yet registered: the 30 days have not started.
    expect(m.clocks.map((c) => c.kind)).toEqual(['registration']);
  });

  it('30 days with an extension: registered 09.01.2025 10:00 → 08.02 is a Saturday, so 10.02; extended by 30 days → 12.03.2025', () => {
    const m = new Message(policy, msk('2024-12-28T10:00'));
    m.on({ type: 'routed', at: msk('2024-12-28T10:00:03'), receivedAt: m.receivedAt, organizationId: null, by: 'system:triage' });
    m.on({ type: 'routed', at: msk('2025-01-09T10:00'), receivedAt: m.receivedAt, organizationId: 'min-health', by: 'operator:ivanova' });
    expect(m.state('registration', msk('2025-01-09T10:00'))).toBe('met');
    expect(m.clock('final_answer')).toMatchObject({ startsOn: 'registration', startedAt: msk('2025-01-09T10:00') });
    expect(m.due('final_answer')).toBe('2025-02-10T18:00:00+03:00');
    expect(m.due('redirect')).toBe('2025-01-16T18:00:00+03:00');
    m.on({
      type: 'extended',
      at: msk('2025-02-05T12:00'),
      term: { amount: 30, unit: 'calendar_days' },
      by: 'head:petrov',
      reason: 'нужен выезд комиссии',
      requestId: 'r1',
    });
    expect(m.due('final_answer')).toBe('2025-03-12T18:00:00+03:00');
    expect(replayClock(m.clock('final_answer'), time).extensions).toBe(1);
  });

  it('the 7-day redirect window closes silently when unused, and a redirect after it is a breach; the competent body’s 30 days start anew', () => {
    const m = new Message(policy, msk('2025-01-09T09:00'));
    m.on({ type: 'routed', at: msk('2025-01-09T10:00'), receivedAt: m.receivedAt, organizationId: 'min-health', by: 'system:triage' });
    expect(m.state('redirect', msk('2025-01-17T12:00'))).toBe('expired');
    m.on({ type: 'redirected', at: msk('2025-01-20T10:00'), organizationId: 'min-education', direction: 'competence', by });
    expect(m.state('redirect', msk('2025-01-20T10:00'), 1)).toBe('breached');
    expect(m.state('final_answer', msk('2025-01-20T10:00'), 1)).toBe('cancelled');
    expect(m.clock('final_answer', 2)).toMatchObject({ organizationId: 'min-education', startedAt: msk('2025-01-20T10:00') });
    expect(m.due('final_answer', 2)).toBe('2025-02-19T18:00:00+03:00');
    // The new body has its own window.
    expect(m.clock('redirect', 2).status).toBe('running');
  });

  it('a redirect down within the ministry’s own institutions keeps the 30 days running', () => {
    const m = new Message(policy, msk('2025-01-09T09:00'));
    m.on({ type: 'routed', at: msk('2025-01-09T10:00'), receivedAt: m.receivedAt, organizationId: 'min-health', by: 'system:triage' });
    m.on({ type: 'redirected', at: msk('2025-01-13T10:00'), organizationId: 'inst-regional-hospital', direction: 'down', by });
    expect(m.clock('final_answer')).toMatchObject({ generation: 1, organizationId: 'inst-regional-hospital' });
    expect(m.due('final_answer')).toBe('2025-02-10T18:00:00+03:00');
  });

  it('an answer cancels the unused redirect window rather than calling it met', () => {
    const m = new Message(policy, msk('2025-01-09T09:00'));
    m.on({ type: 'routed', at: msk('2025-01-09T10:00'), receivedAt: m.receivedAt, organizationId: 'min-health', by: 'system:triage' });
    m.on({ type: 'answered', at: msk('2025-01-13T10:00'), by });
    expect(m.state('redirect', msk('2025-01-13T10:00'))).toBe('cancelled');
    expect(m.state('final_answer', msk('2025-01-13T10:00'))).toBe('met');
  });

  it('declined by moderation: nothing runs any more', () => {
    const m = new Message(policy, msk('2025-01-09T09:00'));
    m.on({ type: 'routed', at: msk('2025-01-09T09:00'), receivedAt: m.receivedAt, organizationId: null, by: 'system:triage' });
    m.on({ type: 'closed', at: msk('2025-01-09T11:00'), reason: 'rejected', by: 'operator:ivanova' });
    expect(m.clocks.every((c) => c.status === 'cancelled' || c.status === 'stopped')).toBe(true);
  });
});

describe('public messages', () => {
  it('high importance, posted 07.03.2025 17:00 when the shortened day has closed: 4 working hours → 10.03 13:00', () => {
    const m = new Message(resolvePolicy(policies, { channel: 'social', importance: 'high' }), msk('2025-03-07T17:00'));
    m.on({ type: 'routed', at: msk('2025-03-07T17:00:01'), receivedAt: m.receivedAt, organizationId: 'adm-rostov-na-donu', by: 'system:triage' });
    expect(m.due('final_answer')).toBe('2025-03-10T13:00:00+03:00');
  });

  it('an interim answer in time meets the 9-hour clock and switches to 7 working days from it', () => {
    const m = new Message(resolvePolicy(policies, { channel: 'social', importance: 'normal' }), msk('2025-03-10T09:00'));
    m.on({ type: 'routed', at: msk('2025-03-10T09:00'), receivedAt: m.receivedAt, organizationId: 'adm-rostov-na-donu', by: 'system:triage' });
    // Monday's whole office day is exactly 9 hours.
    expect(m.due('final_answer')).toBe('2025-03-10T18:00:00+03:00');
    m.on({ type: 'interim_answer', at: msk('2025-03-10T15:00'), by });
    expect(m.state('final_answer', msk('2025-03-10T15:00'), 1)).toBe('met');
    expect(m.clock('final_answer', 2)).toMatchObject({ startsOn: 'interim_answer', term: { amount: 7, unit: 'working_days' } });
    expect(m.due('final_answer', 2)).toBe('2025-03-19T18:00:00+03:00');
  });

  it('a second interim answer does not buy another 7 working days', () => {
    const m = new Message(resolvePolicy(policies, { channel: 'social', importance: 'normal' }), msk('2025-03-10T09:00'));
    m.on({ type: 'routed', at: msk('2025-03-10T09:00'), receivedAt: m.receivedAt, organizationId: 'adm-rostov-na-donu', by: 'system:triage' });
    m.on({ type: 'interim_answer', at: msk('2025-03-10T15:00'), by });
    m.on({ type: 'interim_answer', at: msk('2025-03-18T15:00'), by });
    expect(m.clocks.filter((c) => c.kind === 'final_answer').map((c) => [c.generation, c.status])).toEqual([
      [1, 'stopped'],
      [2, 'running'],
    ]);
    expect(m.due('final_answer')).toBe('2025-03-19T18:00:00+03:00');
  });

  it('the watch looks at once at a clock whose warning threshold already passed (re-planned or given late), else at the first threshold', () => {
    const m = new Message(resolvePolicy(policies, { channel: 'social', importance: 'normal' }), msk('2025-03-10T09:00'));
    m.on({ type: 'routed', at: msk('2025-03-10T09:00'), receivedAt: m.receivedAt, organizationId: 'adm-rostov-na-donu', by: 'system:triage' });
    const c = m.clock('final_answer');
    const r = replayClock(c, time);
    expect(iso(nextCheckAt(c, r, time, data.slaPolicies.warnAt, msk('2025-03-10T09:00')))).toBe('2025-03-10T15:45:00+03:00');
    expect(iso(nextCheckAt(c, r, time, data.slaPolicies.warnAt, msk('2025-03-10T16:00')))).toBe('2025-03-10T16:00:00+03:00');
    expect(nextCheckAt({ ...c, kind: 'redirect' }, r, time, data.slaPolicies.warnAt, msk('2025-03-10T09:00'))).toBeNull();
  });

  it('warnings at 75% and 90% of 9 working hours fall after 6 h 45 min and 8 h 6 min of office time', () => {
    const m = new Message(resolvePolicy(policies, { channel: 'social', importance: 'normal' }), msk('2025-03-10T09:00'));
    m.on({ type: 'routed', at: msk('2025-03-10T09:00'), receivedAt: m.receivedAt, organizationId: 'adm-rostov-na-donu', by: 'system:triage' });
    const c = m.clock('final_answer');
    const instants = fractionInstants(c, replayClock(c, time), time, data.slaPolicies.warnAt);
    expect(instants.map((i) => [i.fraction, iso(i.at)])).toEqual([
      [0.75, '2025-03-10T15:45:00+03:00'],
      [0.9, '2025-03-10T17:06:00+03:00'],
    ]);
  });

  it('a pause does not count towards the warnings: paused 2 hours, the 75% mark moves 2 office hours later', () => {
    const policy: SlaPolicy = { ...resolvePolicy(policies, { channel: 'social', importance: 'normal' }), pausedIn: ['awaiting_applicant'] };
    const m = new Message(policy, msk('2025-03-10T09:00'));
    m.on({ type: 'routed', at: msk('2025-03-10T09:00'), receivedAt: m.receivedAt, organizationId: 'adm-rostov-na-donu', by: 'system:triage' });
    m.on({ type: 'status', at: msk('2025-03-10T10:00'), from: 'in_progress', to: 'awaiting_applicant', by });
    m.on({ type: 'status', at: msk('2025-03-10T12:00'), from: 'awaiting_applicant', to: 'in_progress', by });
    const c = m.clock('final_answer');
    expect(m.due('final_answer')).toBe('2025-03-11T11:00:00+03:00');
    // 1 h before the pause + 5 h 45 min after 12:00 = 6 h 45 min of running time.
    expect(iso(fractionInstants(c, replayClock(c, time), time, [0.75])[0].at)).toBe('2025-03-10T17:45:00+03:00');
  });
});
