/** Russian wording shared by the engagement rules: roubles, counts and question names. */

const ROUBLES = new Intl.NumberFormat('ru-RU', { maximumFractionDigits: 2 });

/** «1 500 000 ₽»: ru-RU digit grouping (a no-break space between groups). */
export function roubles(amount: number): string {
  return `${ROUBLES.format(amount)}\u00a0₽`;
}

/** «1 вариант», «2 варианта», «5 вариантов». */
export function plural(n: number, one: string, few: string, many: string): string {
  const tens = n % 100;
  const units = n % 10;
  if (tens >= 11 && tens <= 14) return many;
  if (units === 1) return one;
  if (units >= 2 && units <= 4) return few;
  return many;
}

/** The genitive after «не больше N», «не меньше N»: «1 варианта», «2 вариантов», «21 варианта». */
export function genitive(n: number, one: string, many: string): string {
  return n % 10 === 1 && n % 100 !== 11 ? one : many;
}

/** A question named for the citizen: by its title, or by its place when the title is empty. */
export function questionName(title: string, index: number): string {
  const trimmed = title.trim();
  return trimmed ? `Вопрос «${trimmed}»` : `Вопрос № ${index + 1}`;
}
