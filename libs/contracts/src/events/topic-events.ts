import {
  InvalidEventError,
  MessageNeedsTriageV1,
  MessageOverdueV1,
  MessageReceivedV1,
  MessageRoutedV1,
  MessageStatusChangedV1,
  parseEvent,
} from './message-events';
import { ReportSubmissionEventV1 } from './report-events';
import { SlaBreachedV1, SlaWarningV1 } from './sla-events';
import { Topic, TOPICS } from './topics';
import { FAST_CHECKS } from './fast-checks';

/** What each topic carries: the only payloads a producer may write to it and a consumer reads from it. */
export interface TopicEvents {
  [TOPICS.messageReceived]: MessageReceivedV1;
  [TOPICS.messageRouted]: MessageRoutedV1;
  [TOPICS.messageNeedsTriage]: MessageNeedsTriageV1;
  [TOPICS.messageEvents]: MessageStatusChangedV1 | MessageOverdueV1;
  [TOPICS.slaWarning]: SlaWarningV1;
  [TOPICS.slaBreached]: SlaBreachedV1;
  [TOPICS.reportEvents]: ReportSubmissionEventV1;
}

type EventClass = new () => object;

/** Per topic, the event classes by their `type`. */
const SCHEMAS: { [T in Topic]: Record<TopicEvents[T]['type'], EventClass> } = {
  [TOPICS.messageReceived]: { 'message.received': MessageReceivedV1 },
  [TOPICS.messageRouted]: { 'message.routed': MessageRoutedV1 },
  [TOPICS.messageNeedsTriage]: { 'message.needs-triage': MessageNeedsTriageV1 },
  [TOPICS.messageEvents]: { 'message.status-changed': MessageStatusChangedV1, 'message.overdue': MessageOverdueV1 },
  [TOPICS.slaWarning]: { 'sla.warning': SlaWarningV1 },
  [TOPICS.slaBreached]: { 'sla.breached': SlaBreachedV1 },
  [TOPICS.reportEvents]: {
    'report.submission-at-risk': ReportSubmissionEventV1,
    'report.submission-overdue': ReportSubmissionEventV1,
    'report.submission-approved-late': ReportSubmissionEventV1,
  },
};

/**
 * Validates a payload against its topic's contract, as strictly on write (the outbox) as on read
 * (the consumers): an unknown type for the topic or an invalid field is an `InvalidEventError`.
 * The events of every message's path pass a plain check and come back as the object given (no
 * class instance); whatever that check does not accept, the class judges.
 */
export function parseTopicEvent<T extends Topic>(topic: T, payload: unknown): TopicEvents[T] {
  const { cls, type } = eventClass(topic, payload);
  const fast = typeof type === 'string' && (SCHEMAS[topic] as Record<string, EventClass>)[type] === cls ? FAST_CHECKS[type] : undefined;
  if (fast?.(payload as Record<string, unknown>)) return payload as TopicEvents[T];
  return parseEvent(cls, payload) as TopicEvents[T];
}

/**
 * `parseTopicEvent` always through the event's class: an instance, whose fields outside the
 * contract a whitelist can drop (what an admin may be shown of a dead letter).
 */
export function parseTopicEventInstance<T extends Topic>(topic: T, payload: unknown): TopicEvents[T] {
  return parseEvent(eventClass(topic, payload).cls, payload) as TopicEvents[T];
}

function eventClass(topic: Topic, payload: unknown): { cls: EventClass; type: unknown } {
  const type = typeof payload === 'object' && payload !== null ? (payload as { type?: unknown }).type : undefined;
  const schemas = SCHEMAS[topic] as Record<string, EventClass> | undefined;
  if (!schemas) throw new InvalidEventError(`unknown topic ${topic}`);
  const classes = Object.values(schemas);
  // A topic of one event type judges any payload by it, so the error names the fields that are wrong.
  const cls = classes.length === 1 ? classes[0] : typeof type === 'string' ? schemas[type] : undefined;
  if (!cls) throw new InvalidEventError(`${topic}: events of type ${JSON.stringify(type ?? null)} do not belong to this topic`);
  return { cls, type };
}

/** A validated event for the outbox, keyed by its message id so one message's events stay ordered (a submission's by its id). */
export interface TopicEvent {
  eventId: string;
  topic: Topic;
  key: string;
  payload: object;
  /** Kafka headers of its record besides the correlation id (which the outbox adds). */
  headers?: Record<string, string>;
}

/**
 * On a `message.received` record: the message was decided in the transaction that admitted it
 * (intake with CUR_TRIAGE_IN_INTAKE), so the triage consumer passes the record by without opening
 * a transaction. Set only when that transaction decided every message whose event it wrote.
 */
export const DECIDED_BY_HEADER = 'x-cur-decided-by';

/** The one way to produce an event: typed by its topic and validated before it is written. */
export function topicEvent<T extends Topic>(topic: T, event: TopicEvents[T]): TopicEvent {
  parseTopicEvent(topic, event);
  return { eventId: event.eventId, topic, key: 'messageId' in event ? event.messageId : event.submissionId, payload: event };
}
