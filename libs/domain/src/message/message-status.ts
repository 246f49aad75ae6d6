/**
 * The internal life cycle (DOMAIN.md §3). ПОС statuses from imports are mapped onto it;
 * the original ПОС stage/status text is kept beside it.
 */
export const MESSAGE_STATUSES = [
  'new', // stored by intake, not yet triaged
  'needs_triage', // the classifier or the router was unsure: operator queue
  'moderation', // waiting for ЦУР moderation (ПОС)
  'rejected', // declined by moderation
  'assigned', // routed to a responsible organization
  'in_progress',
  'awaiting_applicant', // the organization asked the applicant for details; clocks may stand still (policy)
  'interim_answer',
  'postponed',
  'redirected',
  'answer_draft',
  'approval',
  'answered',
  'rated',
  'reopened',
  'closed',
] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

export const STATUS_TITLES: Record<MessageStatus, string> = {
  new: 'Поступило',
  needs_triage: 'Требует разбора',
  moderation: 'На модерации',
  rejected: 'Отклонено модератором',
  assigned: 'Назначен исполнитель',
  in_progress: 'В работе',
  awaiting_applicant: 'Запрошены уточнения у заявителя',
  interim_answer: 'Промежуточный ответ',
  postponed: 'Срок перенесён',
  redirected: 'Перенаправлено',
  answer_draft: 'Подготовлен ответ',
  approval: 'На согласовании',
  answered: 'Ответ отправлен',
  rated: 'Оценено заявителем',
  reopened: 'Повторное рассмотрение',
  closed: 'Закрыто',
};

/** Statuses in which the answer clock still runs: the message is "open". */
export const OPEN_STATUSES: readonly MessageStatus[] = [
  'new',
  'needs_triage',
  'moderation',
  'assigned',
  'in_progress',
  'awaiting_applicant',
  'interim_answer',
  'postponed',
  'redirected',
  'answer_draft',
  'approval',
  'reopened',
];

export function isOpen(status: MessageStatus): boolean {
  return OPEN_STATUSES.includes(status);
}

const TRANSITIONS: Record<MessageStatus, readonly MessageStatus[]> = {
  // closed straight from triage: a duplicate merged into another message
  new: ['needs_triage', 'moderation', 'assigned', 'rejected', 'closed'],
  needs_triage: ['assigned', 'rejected', 'moderation', 'closed'],
  moderation: ['assigned', 'rejected', 'needs_triage', 'closed'],
  rejected: ['moderation'],
  assigned: ['in_progress', 'redirected', 'postponed', 'interim_answer', 'answer_draft', 'needs_triage', 'awaiting_applicant', 'answered', 'closed'],
  in_progress: ['interim_answer', 'postponed', 'redirected', 'answer_draft', 'awaiting_applicant', 'answered'],
  awaiting_applicant: ['in_progress', 'answered'],
  interim_answer: ['in_progress', 'postponed', 'answer_draft', 'awaiting_applicant', 'redirected', 'answered'],
  postponed: ['in_progress', 'answer_draft', 'interim_answer', 'awaiting_applicant', 'redirected', 'answered'],
  redirected: ['assigned', 'needs_triage'],
  answer_draft: ['approval', 'in_progress'],
  approval: ['answered', 'answer_draft'],
  answered: ['rated', 'reopened', 'closed'],
  rated: ['reopened', 'closed'],
  reopened: ['in_progress', 'answer_draft', 'awaiting_applicant', 'interim_answer', 'redirected', 'answered'],
  closed: ['reopened'],
};

export function canTransition(from: MessageStatus, to: MessageStatus): boolean {
  return TRANSITIONS[from].includes(to);
}
