import 'reflect-metadata';
import { join } from 'node:path';
import { officeSchedule, WorkingTime } from '@cur/calendar';
import { loadRegionConfig, RegionCatalog } from '@cur/config';
import { CLOCK_KINDS, ClockKind } from '@cur/domain';
import type { SlaClockEntity } from '@cur/persistence';
import { ClockService } from '../clock.service';

const CONFIG_DIR = join(__dirname, '../../../../config');

/** Only the region is reached by `compute`. */
function service(region: RegionCatalog): ClockService {
  return new ClockService(undefined as never, undefined as never, region);
}

function clock(over: Partial<SlaClockEntity> & { startedAt: Date }): SlaClockEntity {
  return {
    id: 'c',
    messageId: 'm',
    kind: 'final_answer',
    generation: 1,
    policyId: 'p',
    organizationId: null,
    calendarOrganizationId: null,
    amount: 30,
    unit: 'working_days',
    startsOn: 'receipt',
    operations: [],
    status: 'running',
    dueAt: null,
    extensions: 0,
    stoppedAt: null,
    stopReason: null,
    blockedYear: null,
    nextCheckAt: null,
    createdAt: over.startedAt,
    updatedAt: over.startedAt,
    ...over,
  };
}

const counted = (c: SlaClockEntity) => ({
  status: c.status,
  dueAt: c.dueAt?.toISOString() ?? null,
  nextCheckAt: c.nextCheckAt?.toISOString() ?? null,
  blockedYear: c.blockedYear,
  extensions: c.extensions,
});

describe('ClockService.compute of clocks started together', () => {
  const region = new RegionCatalog(loadRegionConfig(CONFIG_DIR, 'rostov'));
  const starts = ['2026-03-02T06:00:00.000Z', '2026-12-30T14:59:00.000Z', '2026-05-08T21:30:00.000Z'].map((s) => new Date(s));
  const terms: [number, SlaClockEntity['unit']][] = [
    [30, 'working_days'],
    [8, 'working_hours'],
    [7, 'calendar_days'],
  ];
  const kinds: ClockKind[] = [...CLOCK_KINDS];
  const cases = starts.flatMap((startedAt) =>
    terms.flatMap(([amount, unit]) =>
      kinds.flatMap((kind) =>
        [null, region.data.organizations[0].id].map((calendarOrganizationId) => ({
          startedAt,
          amount,
          unit,
          kind,
          calendarOrganizationId,
          startsOn: 'receipt' as const,
        })),
      ),
    ),
  );

  it('gives each clock of a batch what counting it alone gives, however many share a start', () => {
    const batch = service(region);
    for (const now of [starts[0], new Date(starts[0].getTime() + 3_600_000), starts[1]]) {
      for (const c of cases) {
        const alone = clock(c);
        service(region).compute(alone, now);
        // Twice in the batch: the second is the one that may be remembered.
        const first = clock(c);
        const second = clock(c);
        batch.compute(first, now);
        batch.compute(second, now);
        expect([counted(first), counted(second)]).toEqual([counted(alone), counted(alone)]);
        expect(second.dueAt).not.toBe(first.dueAt);
      }
    }
    expect(cases.length).toBeGreaterThan(50);
  });

  it('counts a clock with operations from them, not from a fresh clock with the same start', () => {
    const batch = service(region);
    const startedAt = starts[0];
    const now = new Date(startedAt.getTime() + 60_000);
    const fresh = clock({ startedAt });
    batch.compute(fresh, now);
    const extended = clock({ startedAt, operations: [{ op: 'extend', at: now.toISOString(), term: { amount: 30, unit: 'working_days' }, by: 'u' }] });
    batch.compute(extended, now);
    expect(extended.extensions).toBe(1);
    expect(extended.dueAt!.getTime()).toBeGreaterThan(fresh.dueAt!.getTime());
  });

  it('counts afresh on another calendar: a region whose working time changed is not answered from before', () => {
    const changing = new RegionCatalog(loadRegionConfig(CONFIG_DIR, 'rostov'));
    const batch = service(changing);
    const startedAt = starts[0];
    const before = clock({ startedAt, amount: 8, unit: 'working_hours' });
    batch.compute(before, startedAt);
    // Other office hours (08:00–12:00): 8 working hours end two days later than on the region's.
    const regionTime = changing.workingTime(null);
    const shortDays = new WorkingTime(regionTime.calendar, officeSchedule({ opensAt: '08:00', closesAt: '12:00' }), regionTime.zone, regionTime.semantics);
    jest.spyOn(changing, 'workingTime').mockReturnValue(shortDays);
    const after = clock({ startedAt, amount: 8, unit: 'working_hours' });
    batch.compute(after, startedAt);
    const alone = clock({ startedAt, amount: 8, unit: 'working_hours' });
    service(changing).compute(alone, startedAt);
    expect(counted(after)).toEqual(counted(alone));
    expect(after.dueAt!.getTime()).toBeGreaterThan(before.dueAt!.getTime());
  });

  it('counts the next check afresh with other warning thresholds', () => {
    const changing = new RegionCatalog(loadRegionConfig(CONFIG_DIR, 'rostov'));
    const batch = service(changing);
    const startedAt = starts[0];
    const before = clock({ startedAt });
    batch.compute(before, startedAt);
    // A region reloaded with a threshold near the start: the next check comes before the first one.
    const policies = changing.data.slaPolicies as { warnAt: readonly number[] };
    policies.warnAt = [0.05, ...policies.warnAt];
    const after = clock({ startedAt });
    batch.compute(after, startedAt);
    const alone = clock({ startedAt });
    service(changing).compute(alone, startedAt);
    expect(counted(after)).toEqual(counted(alone));
    expect(after.nextCheckAt!.getTime()).toBeLessThan(before.nextCheckAt!.getTime());
  });
});
