import { timeOfId, timeOrderedId } from '../time-ordered-id';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('timeOrderedId', () => {
  it('is a UUID version 7 with the variant of RFC 9562 and the time it was made', () => {
    const now = Date.UTC(2031, 4, 6, 7, 8, 9, 123);
    const id = timeOrderedId(now);
    expect(id).toMatch(V7);
    expect(timeOfId(id)).toBe(now);
    expect(id.slice(0, 13)).toBe(`${now.toString(16).padStart(12, '0').slice(0, 8)}-${now.toString(16).padStart(12, '0').slice(8)}`);
  });

  it('sorts in the order made, within a millisecond and across many', () => {
    const start = Date.UTC(2031, 4, 6, 8);
    const ids: string[] = [];
    for (let i = 0; i < 10_000; i++) ids.push(timeOrderedId(start + Math.floor(i / 50)));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    expect(ids.every((id) => V7.test(id))).toBe(true);
  });

  it('moves the time on a millisecond when a millisecond has more ids than its counter holds, and stays ordered', () => {
    const now = Date.UTC(2031, 4, 6, 9);
    const ids = Array.from({ length: 5_000 }, () => timeOrderedId(now));
    expect([...ids].sort()).toEqual(ids);
    expect(timeOfId(ids[0])).toBe(now);
    // At least 2,048 ids a millisecond, so 5,000 reach at most two milliseconds ahead.
    expect(timeOfId(ids[ids.length - 1]) - now).toBeGreaterThanOrEqual(1);
    expect(timeOfId(ids[ids.length - 1]) - now).toBeLessThanOrEqual(2);
    // The clock catching up continues from there, not back.
    const next = timeOrderedId(now + 1);
    expect(next > ids[ids.length - 1]).toBe(true);
  });

  it('keeps the last time when the clock goes back', () => {
    const now = Date.UTC(2031, 4, 6, 10);
    const first = timeOrderedId(now);
    const after = timeOrderedId(now - 60_000);
    expect(after > first).toBe(true);
    expect(timeOfId(after)).toBe(now);
  });

  it('has 62 random bits: ids of one millisecond differ past the counter', () => {
    const now = Date.UTC(2031, 4, 6, 11);
    const tails = new Set(Array.from({ length: 1_000 }, () => timeOrderedId(now).slice(19)));
    expect(tails.size).toBe(1_000);
  });
});
