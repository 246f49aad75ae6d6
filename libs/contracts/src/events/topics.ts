/** Kafka topics are contracts. Every event is keyed by message id so one message's events stay ordered (a summary's submission: by its id). */
export const TOPICS = {
  messageReceived: 'cur.message.received',
  messageRouted: 'cur.message.routed',
  messageNeedsTriage: 'cur.message.needs-triage',
  messageEvents: 'cur.message.events',
  slaWarning: 'cur.sla.warning',
  slaBreached: 'cur.sla.breached',
  reportEvents: 'cur.report.events',
} as const;
export type Topic = (typeof TOPICS)[keyof typeof TOPICS];

export function deadLetterTopic(topic: string): string {
  return `${topic}.dlq`;
}
