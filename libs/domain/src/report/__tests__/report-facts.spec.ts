import 'reflect-metadata';
import { join } from 'node:path';
import { ProductionCalendar, WorkingTime } from '@cur/calendar';
import { loadRegionConfig } from '@cur/config';
import { admissionFacts, changeFacts, monthBounds, ReportedMessage, submissionSchedule, timeToAnswer } from '../..';

const data = loadRegionConfig(join(__dirname, '../../../../../config'), 'rostov');
const time = new WorkingTime(new ProductionCalendar(data.calendar));
const zone = time.zone;

const message = (fields: Partial<ReportedMessage> = {}): ReportedMessage => ({
  status: 'assigned',
  channel: 'pos',
  categoryCode: 'pos.roads',
  organizationId: 'adm-taganrog',
  dueAt: new Date('2026-11-17T18:00:00+03:00'),
  receivedAt: new Date('2026-11-02T09:00:00+03:00'),
  createdAt: new Date('2026-11-02T09:00:00+03:00'),
  rating: null,
  ratedAt: null,
  pos: null,
  ...fields,
});
const now = new Date('2026-11-10T12:00:00+03:00');

describe('the monthly summary: its facts and definitions', () => {
  it('November 2026 in Moscow time is [1 Nov 00:00 +03, 1 Dec 00:00 +03); December runs into the next year', () => {
    expect(monthBounds(2026, 11, zone)).toEqual({ from: new Date('2026-10-31T21:00:00Z'), to: new Date('2026-11-30T21:00:00Z') });
    expect(monthBounds(2026, 12, zone).to).toEqual(new Date('2026-12-31T21:00:00Z'));
  });

  it('working days as a day term counts them: 28 Oct → 5 Nov 2026 is 5 (the weekend and the 4 Nov holiday skipped), the same day is 0', () => {
    expect(timeToAnswer(time, new Date('2026-10-28T10:00:00+03:00'), new Date('2026-11-05T12:00:00+03:00'), 'working_days')).toBe(5);
    expect(timeToAnswer(time, new Date('2026-11-05T10:00:00+03:00'), new Date('2026-11-05T17:00:00+03:00'), 'working_days')).toBe(0);
  });

  it('working hours: Monday 10:00 → Tuesday 09:30 with office hours 09–18 is 8.5; an answer before the receipt takes 0', () => {
    expect(timeToAnswer(time, new Date('2026-11-23T10:00:00+03:00'), new Date('2026-11-24T09:30:00+03:00'), 'working_hours')).toBe(8.5);
    expect(timeToAnswer(time, new Date('2026-11-23T10:00:00+03:00'), new Date('2026-11-23T09:00:00+03:00'), 'working_hours')).toBe(0);
  });

  it('a message coming in is received at its receipt, still waiting', () => {
    expect(admissionFacts(message({ status: 'new', organizationId: null }), zone)).toEqual([
      expect.objectContaining({ kind: 'received', at: new Date('2026-11-02T09:00:00+03:00'), open: true, organizationId: null }),
    ]);
  });

  it('an imported ПОС row counts from the portal’s receipt; its actual date on the planned date is on time, and its rating counts', () => {
    const row = message({
      status: 'rated',
      createdAt: new Date('2026-11-05T11:00:00+03:00'),
      receivedAt: new Date('2026-12-02T11:00:00+03:00'),
      dueAt: new Date('2026-11-19T00:00:00+03:00'),
      pos: { plannedCompletionAt: '2026-11-19T00:00:00+03:00', actualCompletionAt: '2026-11-19T15:00:00+03:00', rating: 4 },
    });
    const facts = admissionFacts(row, zone);
    expect(facts.map((f) => [f.kind, f.at.toISOString(), f.open])).toEqual([
      ['received', '2026-11-05T08:00:00.000Z', true],
      ['answered', '2026-11-19T12:00:00.000Z', false],
      ['rated', '2026-11-19T12:00:00.000Z', false],
    ]);
    expect(facts[1]).toMatchObject({ onTime: true, answerStartedAt: new Date('2026-11-05T11:00:00+03:00') });
    expect(facts[2]).toMatchObject({ rating: 4 });
    // The next day is late.
    const late = admissionFacts({ ...row, pos: { ...row.pos!, actualCompletionAt: '2026-11-20T09:00:00+03:00' } }, zone);
    expect(late[1].onTime).toBe(false);
  });

  it('an answer at the due instant is on time, a second later is late; without a due date there was no term to break', () => {
    const due = new Date('2026-11-17T18:00:00+03:00');
    const answer = (at: Date, dueAt: Date | null) =>
      changeFacts({ type: 'answered', imposed: false, before: message({ dueAt }), after: message({ status: 'answered', dueAt }), now: at, zone });
    expect(answer(due, due)).toEqual([expect.objectContaining({ kind: 'answered', onTime: true, open: false })]);
    expect(answer(new Date(due.getTime() + 1000), due)[0].onTime).toBe(false);
    expect(answer(new Date(due.getTime() + 1000), null)[0].onTime).toBe(true);
  });

  it('a redirect counts for the organization that made it; the state after names the new one', () => {
    const facts = changeFacts({
      type: 'redirected',
      imposed: false,
      before: message({ organizationId: 'min-health' }),
      after: message({ organizationId: 'inst-regional-hospital' }),
      now,
      zone,
    });
    expect(facts).toEqual([
      expect.objectContaining({ kind: 'redirected', fromOrganizationId: 'min-health', organizationId: 'inst-regional-hospital', open: true }),
    ]);
  });

  it('re-consideration, rejection and rating are facts of their own; a change of the due date alone is a state fact; nothing changed, no fact', () => {
    expect(
      changeFacts({ type: 'reopened', imposed: false, before: message({ status: 'rated' }), after: message({ status: 'reopened' }), now, zone })[0].kind,
    ).toBe('reconsidered');
    expect(
      changeFacts({ type: 'rejected', imposed: false, before: message({ status: 'moderation' }), after: message({ status: 'rejected' }), now, zone })[0],
    ).toMatchObject({ kind: 'rejected', open: false });
    expect(
      changeFacts({
        type: 'rated',
        imposed: false,
        before: message({ status: 'answered' }),
        after: message({ status: 'rated', rating: 5, ratedAt: now }),
        now,
        zone,
      }),
    ).toEqual([expect.objectContaining({ kind: 'rated', rating: 5 })]);
    expect(
      changeFacts({ type: 'taken', imposed: false, before: message(), after: message({ dueAt: new Date('2026-12-01T18:00:00+03:00') }), now, zone })[0].kind,
    ).toBe('state');
    expect(changeFacts({ type: 'taken', imposed: false, before: message(), after: message({ status: 'in_progress' }), now, zone })).toEqual([]);
  });
});

describe('the summary is due by the 3rd, moved by the production calendar', () => {
  const msk = (local: string) => new Date(`${local}+03:00`);
  it('November 2026: generated Tuesday 1 Dec 09:00, due Thursday 3 Dec at the end of the office day, 75% of the office time between', () => {
    const s = submissionSchedule(2026, 11, time);
    expect(s.generateAt).toEqual(msk('2026-12-01T09:00:00'));
    expect(s.dueAt).toEqual(msk('2026-12-03T18:00:00'));
    // 1, 2, 3 Dec: 27 office hours; 75% = 20 h 15 min: 3 Dec 11:15.
    expect(s.warnAt).toEqual(msk('2026-12-03T11:15:00'));
  });

  it('December 2026: the 3rd of January is a holiday, so the summary is due on the first working day after the New Year holidays', () => {
    const s = submissionSchedule(2026, 12, time);
    expect(zone.format(s.generateAt).slice(0, 10)).toBe('2027-01-11');
    expect(s.dueAt).toEqual(msk('2027-01-11T18:00:00'));
  });
});
