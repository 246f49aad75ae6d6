import 'reflect-metadata';
import { validateSync } from 'class-validator';
import { plainToInstance } from 'class-transformer';
import { FAST_CHECKS } from '../events/fast-checks';
import { MessageNeedsTriageV1, MessageReceivedV1, MessageRoutedV1, MessageStatusChangedV1 } from '../events/message-events';

const envelope = (type: string) => ({
  eventId: '6f1d2c1e-8f4b-4c3e-9a57-1b2c3d4e5f60',
  type,
  version: 1,
  occurredAt: '2026-03-02T09:00:00.000Z',
  region: '61',
  messageId: '0d9f4b7e-2a1c-4e8b-8f3d-5a6b7c8d9e0f',
});

const SAMPLES: [new () => object, Record<string, unknown>][] = [
  [MessageReceivedV1, { ...envelope('message.received'), channel: 'pos' }],
  [MessageStatusChangedV1, { ...envelope('message.status-changed'), fromStatus: null, toStatus: 'new', actor: 'intake:portal', reason: 'received' }],
  [MessageStatusChangedV1, { ...envelope('message.status-changed'), fromStatus: 'new', toStatus: 'assigned', actor: 'system:triage' }],
  [
    MessageRoutedV1,
    { ...envelope('message.routed'), categoryCode: 'roads', organizationId: 'adm-taganrog', dueAt: '2026-03-31T15:00:00.000Z', method: 'keywords' },
  ],
  [MessageRoutedV1, { ...envelope('message.routed'), categoryCode: 'roads', organizationId: 'adm-taganrog', method: 'model' }],
  [MessageNeedsTriageV1, { ...envelope('message.needs-triage'), reason: 'low_confidence', suggestions: [{ code: 'roads', probability: 0.41 }] }],
  [MessageNeedsTriageV1, { ...envelope('message.needs-triage'), reason: 'no_content', suggestions: [] }],
];

/** Values a field may wrongly hold: types, formats, bounds, and the absent ones. */
const BAD: unknown[] = [
  undefined,
  null,
  '',
  'x',
  0,
  1,
  2,
  -1,
  0.5,
  NaN,
  Infinity,
  true,
  {},
  [],
  [{}],
  [{ code: 'roads', probability: 2 }],
  [{ code: 1, probability: 0.5 }],
  [null],
  ['roads'],
  { code: 'roads', probability: 0.5 },
  'not-a-uuid',
  '6F1D2C1E-8F4B-4C3E-9A57-1B2C3D4E5F60',
  '00000000-0000-0000-0000-000000000000',
  '2026-03-02',
  '2026-02-30T09:00:00Z',
  '2026-03-02T09:00:00',
  '2026-03-02 09:00:00Z',
  'message.received',
  'message.routed',
  'assigned',
  'ASSIGNED',
  'pos',
  'hint',
  'no_route',
];

function classAccepts(cls: new () => object, payload: object): boolean {
  return validateSync(plainToInstance(cls, payload), { forbidUnknownValues: true }).length === 0;
}

describe('the plain checks of the hot events', () => {
  it.each(SAMPLES.map(([cls, p], i) => [`${cls.name} #${i}`, cls, p] as const))('accept a valid %s as its class does', (_name, cls, payload) => {
    expect(classAccepts(cls, payload)).toBe(true);
    expect(FAST_CHECKS[payload.type as string](payload)).toBe(true);
  });

  it('never accept what the class refuses: every field of every sample, set to each wrong value, or left out', () => {
    let compared = 0;
    let refusedByBoth = 0;
    for (const [cls, sample] of SAMPLES) {
      const check = FAST_CHECKS[sample.type as string];
      for (const field of [...Object.keys(sample), 'dueAt', 'reason', 'fromStatus', 'suggestions']) {
        for (const value of BAD) {
          const payload: Record<string, unknown> = { ...sample, [field]: value };
          if (value === undefined) delete payload[field];
          const fast = check(payload);
          const strict = classAccepts(cls, payload);
          // Looser than the class would let an invalid event through; stricter only sends it to the class.
          if (fast) expect({ cls: cls.name, field, value, strict }).toEqual({ cls: cls.name, field, value, strict: true });
          if (!fast && !strict) refusedByBoth++;
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(1000);
    expect(refusedByBoth).toBeGreaterThan(500);
  });

  it('remember only the instants they accepted: a wrong one is refused every time, before and after many good ones', () => {
    const routed = (dueAt: string) => FAST_CHECKS['message.routed']({ ...SAMPLES[3][1], dueAt });
    for (const wrong of ['2026-02-30T09:00:00Z', '2026-02-29T00:00:00.000Z', '2026-03-02T25:00:00Z']) {
      expect([routed(wrong), routed(wrong)]).toEqual([false, false]);
    }
    // More distinct instants than are remembered: the memo is emptied on the way, and stays sound.
    const start = Date.parse('2026-03-02T00:00:00.000Z');
    const valid = Array.from({ length: 3000 }, (_, i) => new Date(start + i * 60_000).toISOString());
    expect(valid.filter(routed)).toHaveLength(3000);
    expect(valid.filter(routed)).toHaveLength(3000);
    expect([routed('2026-02-30T09:00:00Z'), routed('2026-13-01T00:00:00.000Z')]).toEqual([false, false]);
  });
});
