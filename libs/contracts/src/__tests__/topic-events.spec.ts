import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { validateSync } from 'class-validator';
import { envelope, InvalidEventError, MessageStatusChangedV1, parseTopicEvent, parseTopicEventInstance, topicEvent, TOPICS } from '..';

const at = new Date('2026-12-02T07:00:00Z');
const changed = (): MessageStatusChangedV1 => ({
  ...envelope('message.status-changed', 'rostov', randomUUID(), at),
  fromStatus: 'assigned',
  toStatus: 'in_progress',
  actor: 'executor1',
  reason: 'taken',
});

describe('events are typed by topic and validated on write as on read', () => {
  it('keys a valid event by its message id', () => {
    const event = changed();
    expect(topicEvent(TOPICS.messageEvents, event)).toEqual({ eventId: event.eventId, topic: 'cur.message.events', key: event.messageId, payload: event });
  });

  it('refuses an event of another topic', () => {
    // A status change written to the routed topic would reach the agencies' integrations as a routing.
    expect(() => topicEvent(TOPICS.messageRouted, changed() as never)).toThrow(InvalidEventError);
    expect(() => parseTopicEvent(TOPICS.messageRouted, changed())).toThrow(/MessageRoutedV1 invalid: type/);
    // On a topic of several event types an unknown type is named as such.
    expect(() => parseTopicEvent(TOPICS.messageEvents, { ...changed(), type: 'message.routed' })).toThrow(/do not belong to this topic/);
  });

  it('refuses an event with an invalid field, naming it', () => {
    expect(() => topicEvent(TOPICS.messageEvents, { ...changed(), toStatus: 'done' as never })).toThrow(/toStatus/);
    expect(() => topicEvent(TOPICS.messageEvents, { ...changed(), messageId: 'not-a-uuid' })).toThrow(/messageId/);
  });

  it('reads what it writes', () => {
    const event = changed();
    expect(parseTopicEvent(TOPICS.messageEvents, JSON.parse(JSON.stringify(topicEvent(TOPICS.messageEvents, event).payload)))).toMatchObject({
      toStatus: 'in_progress',
      eventId: event.eventId,
    });
  });
});

describe('reading an event for display', () => {
  it('gives an instance of the contract, whose undeclared fields a whitelist drops; the hot-path read gives the object as it came', () => {
    const event = { ...envelope('message.received', '61', randomUUID(), at), channel: 'pos', applicantPhone: '+79001234567' };
    const instance = parseTopicEventInstance(TOPICS.messageReceived, structuredClone(event));
    validateSync(instance, { whitelist: true });
    expect(instance).not.toHaveProperty('applicantPhone');
    expect(instance).toMatchObject({ messageId: event.messageId, channel: 'pos' });
    expect(parseTopicEvent(TOPICS.messageReceived, event)).toBe(event);
  });
});
