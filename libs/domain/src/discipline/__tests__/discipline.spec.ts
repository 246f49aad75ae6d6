import 'reflect-metadata';
import { join } from 'node:path';
import { ProductionCalendar, WorkingTime } from '@cur/calendar';
import { loadRegionConfig } from '@cur/config';
import { CaseFacts, disciplineLimits } from '../..';

const data = loadRegionConfig(join(__dirname, '../../../../../config'), 'rostov');
const time = new WorkingTime(new ProductionCalendar(data.calendar));
const rules = data.discipline;
const msk = (local: string): Date => new Date(`${local}+03:00`);

const base: CaseFacts = {
  employment: 'labour',
  offenceDate: '2025-04-15',
  discoveredDate: '2025-04-16',
  auditFinding: false,
  explanationRequestedAt: null,
  explanationReceivedAt: null,
  explanationRefusalActAt: null,
  orderDate: null,
  acknowledgedAt: null,
  acknowledgementRefusalActAt: null,
  excludedPeriods: [],
};
const limit = (r: ReturnType<typeof disciplineLimits>, code: string) => r.limits.find((l) => l.code === code);
const codes = (r: ReturnType<typeof disciplineLimits>) => r.findings.map((f) => `${f.severity}:${f.code}`);

describe('ТК ст. 193 limits, on the production calendar', () => {
  it('the explanation is due at the close of the 2nd working day: requested Wednesday 30.04.2025, the May holidays skip → 06.05.2025 18:00', () => {
    // 1 May holiday, 2 May transferred day off, 3–4 weekend; 5 May (1), 6 May (2).
    const r = disciplineLimits({ ...base, explanationRequestedAt: msk('2025-04-30T11:00') }, rules, time, msk('2025-05-05T10:00'));
    expect(limit(r, 'explanation')).toMatchObject({ due: '2025-05-06T18:00:00+03:00', state: 'pending' });
  });

  it('no explanation by then: a warning to draw up the act of refusal; an act drawn up before the 2 days is a violation', () => {
    const late = disciplineLimits({ ...base, explanationRequestedAt: msk('2025-04-30T11:00') }, rules, time, msk('2025-05-07T09:00'));
    expect(codes(late)).toContain('warning:refusal_act_needed');
    expect(limit(late, 'explanation')?.state).toBe('missed');
    const early = disciplineLimits(
      { ...base, explanationRequestedAt: msk('2025-04-30T11:00'), explanationRefusalActAt: msk('2025-05-05T12:00') },
      rules,
      time,
      msk('2025-05-07T09:00'),
    );
    expect(codes(early)).toContain('violation:refusal_act_too_early');
  });

  it('the order within 1 month of discovery: discovered 16.04.2025 → 16.05.2025; near it, a warning with the days left', () => {
    const r = disciplineLimits({ ...base, explanationRequestedAt: msk('2025-04-17T10:00') }, rules, time, msk('2025-05-13T10:00'));
    expect(limit(r, 'order')).toMatchObject({ due: '2025-05-16', state: 'near' });
    expect(r.findings.find((f) => f.code === 'order_window_near')?.message).toContain('осталось 3 дн.');
  });

  it('sick leave and vacation do not count: 10 days of sick leave move the month’s end 10 days on', () => {
    const r = disciplineLimits(
      { ...base, excludedPeriods: [{ from: '2025-05-05', to: '2025-05-14', reason: 'больничный' }] },
      rules,
      time,
      msk('2025-04-20T10:00'),
    );
    expect(limit(r, 'order')?.due).toBe('2025-05-26');
  });

  it('never later than 6 months from the offence, whatever the discovery: committed 15.04.2025, discovered 01.10.2025 → 15.10.2025', () => {
    const r = disciplineLimits({ ...base, discoveredDate: '2025-10-01' }, rules, time, msk('2025-10-02T10:00'));
    expect(limit(r, 'order')?.due).toBe('2025-10-15');
    const audit = disciplineLimits({ ...base, discoveredDate: '2025-10-01', auditFinding: true }, rules, time, msk('2025-10-02T10:00'));
    expect(limit(audit, 'order')?.due).toBe('2025-11-01');
  });

  it('a missed window is a violation: the measure can no longer be applied', () => {
    const r = disciplineLimits(base, rules, time, msk('2025-05-17T10:00'));
    expect(codes(r)).toEqual(expect.arrayContaining(['violation:order_window_missed', 'warning:explanation_not_requested']));
  });

  it('an order before the explanation window closed, or late, is a violation; in time it is met', () => {
    const withRequest = { ...base, explanationRequestedAt: msk('2025-04-17T10:00') };
    expect(codes(disciplineLimits({ ...withRequest, orderDate: '2025-04-18' }, rules, time, msk('2025-04-18T12:00')))).toContain(
      'violation:order_before_explanation',
    );
    expect(codes(disciplineLimits({ ...withRequest, orderDate: '2025-05-20' }, rules, time, msk('2025-05-20T12:00')))).toContain('violation:order_too_late');
    const ok = disciplineLimits(
      { ...withRequest, explanationReceivedAt: msk('2025-04-18T10:00'), orderDate: '2025-04-25' },
      rules,
      time,
      msk('2025-04-25T12:00'),
    );
    expect(limit(ok, 'order')?.state).toBe('met');
    expect(ok.findings.filter((f) => f.severity === 'violation')).toEqual([]);
  });

  it('a limit ending on a day off ends on the next working day (ТК ст. 14 ч. 4): discovered 02.07.2025 → Saturday 02.08 → Monday 04.08', () => {
    const r = disciplineLimits({ ...base, offenceDate: '2025-07-01', discoveredDate: '2025-07-02' }, rules, time, msk('2025-07-03T10:00'));
    expect(limit(r, 'order')?.due).toBe('2025-08-04');
    expect(limit(r, 'order')?.basis.join(' ')).toContain('ТК ст. 14 ч. 4');
  });

  it('without an explanation, an order on the last day of the explanation window is still too early', () => {
    // Requested Thursday 03.07.2025: the window closes Monday 07.07 at 18:00.
    const facts = {
      ...base,
      offenceDate: '2025-07-01',
      discoveredDate: '2025-07-02',
      explanationRequestedAt: msk('2025-07-03T10:00'),
      orderDate: '2025-07-07',
    };
    expect(codes(disciplineLimits(facts, rules, time, msk('2025-07-07T19:00')))).toContain('violation:order_before_explanation');
    expect(codes(disciplineLimits({ ...facts, orderDate: '2025-07-08' }, rules, time, msk('2025-07-08T19:00')))).not.toContain(
      'violation:order_before_explanation',
    );
  });

  it('a civil servant gets the copy of the order within 5 days (79-ФЗ ст. 58 ч. 6); days of absence do not count', () => {
    const facts = {
      ...base,
      employment: 'civil_service' as const,
      explanationRequestedAt: msk('2025-04-17T10:00'),
      explanationReceivedAt: msk('2025-04-18T10:00'),
      orderDate: '2025-04-21',
    };
    expect(limit(disciplineLimits(facts, rules, time, msk('2025-04-21T12:00')), 'acknowledgement')?.due).toBe('2025-04-28T18:00:00+03:00');
    // Labour: 3 working days, 22–24 April; absent 23–24 April → 25 and 28 April.
    const absent = { ...facts, employment: 'labour' as const, excludedPeriods: [{ from: '2025-04-23', to: '2025-04-24', reason: 'больничный' }] };
    expect(limit(disciplineLimits(absent, rules, time, msk('2025-04-21T12:00')), 'acknowledgement')?.due).toBe('2025-04-28T18:00:00+03:00');
  });

  it('acquaintance within 3 working days of the order: order of Friday 25.04.2025 → Wednesday 30.04.2025, a shortened day, 17:00', () => {
    const facts = { ...base, explanationRequestedAt: msk('2025-04-17T10:00'), explanationReceivedAt: msk('2025-04-18T10:00'), orderDate: '2025-04-25' };
    const pending = disciplineLimits(facts, rules, time, msk('2025-04-28T12:00'));
    expect(limit(pending, 'acknowledgement')).toMatchObject({ due: '2025-04-30T17:00:00+03:00', state: 'near' });
    const missed = disciplineLimits(facts, rules, time, msk('2025-05-05T12:00'));
    expect(codes(missed)).toContain('violation:acknowledgement_missed');
    const signed = disciplineLimits({ ...facts, acknowledgedAt: msk('2025-04-29T15:00') }, rules, time, msk('2025-05-05T12:00'));
    expect(limit(signed, 'acknowledgement')?.state).toBe('met');
  });
});
