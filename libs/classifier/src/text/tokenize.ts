import { PLACEHOLDERS } from './normalize';
import { RUSSIAN_STOP_WORDS } from './stop-words';

// The stemmer alone: loading all of `natural` pulls in ESM-only data packages (see libs/domain).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const PorterStemmerRu = require('natural/lib/natural/stemmers/porter_stemmer_ru') as { stem(word: string): string };

const TOKEN = /_(?:url|email|phone|num)_|\p{L}+/gu;
const PLACEHOLDER_SET: ReadonlySet<string> = new Set(Object.values(PLACEHOLDERS));

/** Words of normalized text, in order; placeholders are words of their own. */
export function tokenize(normalized: string): string[] {
  return normalized.match(TOKEN) ?? [];
}

export function isPlaceholder(token: string): boolean {
  return PLACEHOLDER_SET.has(token);
}

export function isStopWord(token: string): boolean {
  return RUSSIAN_STOP_WORDS.has(token);
}

/**
 * PorterStemmerRu with a bounded memo: a citizen-appeal vocabulary is small and Zipfian, so most
 * lookups hit the cache, which is what makes thousands of messages per second possible.
 */
export class Stemmer {
  private readonly cache = new Map<string, string>();

  constructor(private readonly capacity = 200_000) {}

  stem(word: string): string {
    const cached = this.cache.get(word);
    if (cached !== undefined) return cached;
    const stem = isPlaceholder(word) || !/[а-я]/.test(word) ? word : PorterStemmerRu.stem(word);
    if (this.cache.size >= this.capacity) this.cache.clear();
    this.cache.set(word, stem);
    return stem;
  }
}
