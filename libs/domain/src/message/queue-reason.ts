import type { MessageStatus } from './message-status';

/** Why a message waits for a ЦУР operator instead of going to an organization by itself. */
export type QueueReason = 'no_category' | 'low_confidence' | 'no_route' | 'no_content' | 'moderation';

export const QUEUE_REASON_TITLES: Record<QueueReason, string> = {
  no_category: 'Категория не определена',
  low_confidence: 'Классификатор не уверен',
  no_route: 'Нет правила маршрутизации',
  no_content: 'Нет содержания',
  moderation: 'Модерация',
};

/**
 * The reason of a message in the queue: moderation by its status; for one that needs triage, what
 * triage recorded, or (messages triaged before the reason was recorded, or sent back to the queue by
 * a person) what its suggestions tell: none means no category, some means the classifier was unsure.
 */
export function queueReasonOf(status: MessageStatus, classification: { queueReason?: QueueReason; suggestions?: unknown[] } | null): QueueReason | null {
  if (status === 'moderation') return 'moderation';
  if (status !== 'needs_triage') return null;
  if (classification?.queueReason) return classification.queueReason;
  return classification?.suggestions?.length ? 'low_confidence' : 'no_category';
}
