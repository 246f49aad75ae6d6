/**
 * What each kind of history entry means, in Russian, for screens and the catalog: the codes are
 * written by the life cycle's callers (triage, workflow, import, the deadline watch, intake): a new
 * kind of entry gets its title here, or the console shows the neutral «Изменение».
 */
export const HISTORY_TITLES: Record<string, string> = {
  received: 'Поступило',
  imported: 'Загружено из выгрузки ПОС',
  'import-updated': 'Обновлено из выгрузки ПОС',
  routed: 'Направлено в организацию',
  'needs-triage': 'Передано на разбор оператору',
  categorized: 'Выбраны категория и организация',
  'moderation-accepted': 'Принято модератором',
  'importance-changed': 'Изменена важность',
  merged: 'Объединено как дубль',
  'duplicate-attached': 'Присоединён дубль',
  rejected: 'Отклонено',
  reopened: 'Повторное рассмотрение',
  taken: 'Взято в работу',
  'clarification-requested': 'Запрошены уточнения у заявителя',
  'clarification-received': 'Уточнения получены',
  'interim-answer': 'Промежуточный ответ',
  'executor-assigned': 'Назначен исполнитель',
  'answer-drafted': 'Ответ передан на согласование',
  'answer-returned': 'Ответ возвращён на доработку',
  answered: 'Ответ отправлен',
  rated: 'Оценка заявителя',
  redirected: 'Перенаправлено',
  'extension-requested': 'Запрошено продление срока',
  'extension-approved': 'Продление срока утверждено',
  'extension-rejected': 'Продление срока не утверждено',
  'clocks-started': 'Запущены сроки',
  'due-computed': 'Рассчитан срок ответа',
  overdue: 'Срок ответа истёк',
};

/** The title of a history entry's type; an unknown code (written by a newer version) reads as a neutral word, never as the code. */
export function historyTitle(type: string): string {
  return Object.hasOwn(HISTORY_TITLES, type) ? HISTORY_TITLES[type] : 'Изменение';
}
