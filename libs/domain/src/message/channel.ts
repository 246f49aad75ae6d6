/** Where a message came from. Deadlines and legal rules differ per channel (DOMAIN.md §2). */
export const CHANNELS = ['pos', 'appeal', 'social'] as const;
export type Channel = (typeof CHANNELS)[number];

export const IMPORTANCES = ['normal', 'high'] as const;
export type Importance = (typeof IMPORTANCES)[number];
export const IMPORTANCE_TITLES: Record<Importance, string> = { normal: 'Обычная', high: 'Высокая' };

export const CHANNEL_TITLES: Record<Channel, string> = {
  pos: 'Сообщение ПОС',
  appeal: 'Обращение (59-ФЗ)',
  social: 'Публичное сообщение',
};
