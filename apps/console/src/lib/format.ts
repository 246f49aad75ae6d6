/** Dates as the region reads them: Moscow time, Russian. */
const ZONE = 'Europe/Moscow';
const dateTime = new Intl.DateTimeFormat('ru-RU', { timeZone: ZONE, day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit' });
const fullDateTime = new Intl.DateTimeFormat('ru-RU', {
  timeZone: ZONE,
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

export const formatDateTime = (iso: string) => dateTime.format(new Date(iso));
export const formatFullDateTime = (iso: string) => fullDateTime.format(new Date(iso));

export type Urgency = 'overdue' | 'soon' | 'later' | 'none';

/** Time left to a due instant in words («3 ч», «просрочено»), and how urgent it is. */
export function timeLeft(dueAt: string | null, overdue: boolean, now = Date.now()): { text: string; urgency: Urgency } {
  if (!dueAt) return { text: '—', urgency: 'none' };
  const ms = new Date(dueAt).getTime() - now;
  if (overdue || ms < 0) return { text: 'просрочено', urgency: 'overdue' };
  const text = ms < 3600e3 ? `${Math.max(1, Math.round(ms / 60e3))} мин` : ms < 48 * 3600e3 ? `${Math.round(ms / 3600e3)} ч` : `${Math.round(ms / 864e5)} дн.`;
  return { text, urgency: ms < 4 * 3600e3 ? 'soon' : 'later' };
}

/** The first non-empty line of a text, for a list. */
export function firstLine(text: string | null): string {
  if (!text) return '';
  return (
    text
      .split(/\r?\n/)
      .find((l) => l.trim())
      ?.trim() ?? ''
  );
}
