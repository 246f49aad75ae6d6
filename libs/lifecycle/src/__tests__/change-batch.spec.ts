import { ChangeBatch, MessageLifecycle } from '../message-lifecycle';
import type { MessageEntity } from '@cur/persistence';

describe('ChangeBatch', () => {
  it('absorbs another batch after what it holds, merging the row changes of a message', () => {
    const batch = new ChangeBatch();
    batch.updates.set('a', { status: 'new', overdue: false });
    batch.history.push({ messageId: 'a', type: 'received' } as never);
    batch.events.push({ eventId: 'e1' } as never);
    const other = new ChangeBatch(true);
    other.updates.set('a', { status: 'assigned' });
    other.updates.set('b', { status: 'needs_triage' });
    other.clocks.byMessage.set('b', []);
    other.clocks.pending.set('c1', { id: 'c1' } as never);
    other.history.push({ messageId: 'b', type: 'received' } as never, { messageId: 'b', type: 'needs-triage' } as never);
    other.events.push({ eventId: 'e2' } as never);
    other.facts.push({ messageId: 'b' } as never);
    other.inserts.push(undefined);

    batch.absorb(other);

    expect(batch.updates.get('a')).toEqual({ status: 'assigned', overdue: false });
    expect(batch.updates.get('b')).toEqual({ status: 'needs_triage' });
    expect(batch.clocks.byMessage.get('b')).toEqual([]);
    expect([...batch.clocks.pending.keys()]).toEqual(['c1']);
    expect(batch.history.map((h) => `${h.messageId}:${h.type}`)).toEqual(['a:received', 'b:received', 'b:needs-triage']);
    expect(batch.events.map((e) => e.eventId)).toEqual(['e1', 'e2']);
    expect(batch.facts).toHaveLength(1);
    expect(batch.inserts).toHaveLength(1);
    expect(batch.unstored).toBe(false);
  });

  it('refuses a decision with work afterwards on a message not stored yet, before anything is written', async () => {
    // Nothing of the life cycle's collaborators is reached: the refusal comes first.
    const lifecycle = new MessageLifecycle(...(Array.from({ length: 9 }, () => undefined) as unknown as ConstructorParameters<typeof MessageLifecycle>));
    const message = { id: 'm', status: 'new' } as MessageEntity;
    const decision = { type: 'routed', to: 'assigned' as const, reason: null, afterwards: () => Promise.resolve() };
    await expect(lifecycle.apply(undefined as never, message, 'system:triage', decision, new Date(), new ChangeBatch(true))).rejects.toThrow(/not stored yet/);
  });
});
