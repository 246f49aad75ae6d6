const date = new Intl.DateTimeFormat('ru-RU', { timeZone: 'Europe/Moscow', day: '2-digit', month: '2-digit', year: 'numeric' });
const dateTime = new Intl.DateTimeFormat('ru-RU', {
  timeZone: 'Europe/Moscow',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** A date (YYYY-MM-DD) or an instant, as the region reads it. */
export function dateText(value: string | null): string {
  if (!value) return '—';
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return date.format(new Date(`${value}T12:00:00Z`));
  return dateTime.format(new Date(value));
}

/** A moment typed in a datetime-local field (Moscow time) as the API takes it; empty → undefined (now). */
export function instantOf(local: string): string | undefined {
  return local ? `${local.length === 16 ? `${local}:00` : local}+03:00` : undefined;
}
