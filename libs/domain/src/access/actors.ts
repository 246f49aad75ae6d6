/**
 * Who, other than a person, writes history: the services' own actors (`system:…`) and the systems
 * that send messages in (`intake:<source>`), load exports (`import:<source>`) or report ratings
 * (`source:<source>`). Screens show these names; a person's login is shown by their name from the
 * user table instead.
 */
export const SYSTEM_ACTOR_NAMES: Record<string, string> = {
  'system:triage': 'Автоматическая сортировка',
  'system:sla': 'Контроль сроков',
  'system:reports': 'Формирование сводок',
  'system:nightly-retrain': 'Ночное переобучение классификатора',
  'system:bootstrap': 'Начальная настройка',
  'system:demo': 'Демонстрационные данные',
  'system:engagements': 'Контроль сроков обсуждений и голосований',
};

const SOURCE_ACTORS: Record<string, string> = {
  intake: 'Приём сообщений',
  import: 'Загрузка выгрузки',
  source: 'Система-источник',
};

/** The name of an actor that is not a person, or null for a person's login. */
export function systemActorName(actor: string): string | null {
  if (Object.hasOwn(SYSTEM_ACTOR_NAMES, actor)) return SYSTEM_ACTOR_NAMES[actor];
  const colon = actor.indexOf(':');
  if (colon < 0) return null;
  const [kind, rest] = [actor.slice(0, colon), actor.slice(colon + 1)];
  if (kind === 'system') return 'Система';
  return Object.hasOwn(SOURCE_ACTORS, kind) ? `${SOURCE_ACTORS[kind]} (${rest})` : null;
}
