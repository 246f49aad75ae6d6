/** Lower case, ё→е, HTML tags and entities removed, whitespace collapsed. */
export function normalizeForMatching(text: string): string {
  return text
    .replace(/<[^>]*>/g, ' ')
    .replace(/&[a-z#0-9]+;/gi, ' ')
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/\s+/g, ' ')
    .trim();
}

const WORD = /[\p{L}]+(?:-[\p{L}]+)*/gu;

export function words(text: string): string[] {
  return normalizeForMatching(text).match(WORD) ?? [];
}
