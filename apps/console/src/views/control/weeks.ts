const day = new Intl.DateTimeFormat('ru-RU', { timeZone: 'Europe/Moscow', day: '2-digit', month: '2-digit' });

/** «неделя с 01.12» for a week's Monday (YYYY-MM-DD, the region's date). */
export const weekTitle = (weekStart: string) => `неделя с ${day.format(new Date(`${weekStart}T12:00:00Z`))}`;
export const weekLabel = (weekStart: string) => `с ${day.format(new Date(`${weekStart}T12:00:00Z`))}`;
