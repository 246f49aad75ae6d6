import { PorterStemmerRu } from '../text/russian-stemmer';
import { Category, Rubricator } from '../region/region-data';
import { normalizeForMatching, words } from '../text/normalize';

export interface Suggestion {
  code: string;
  score: number;
  /** Share of the top-3 score mass: a rough confidence for people, not a calibrated probability. */
  probability: number;
}

export interface Classification {
  suggestions: Suggestion[];
  /** The winning category when the classifier is sure enough to route without an operator. */
  confident?: Suggestion;
  method: 'hint' | 'keywords' | 'model';
}

interface Keyword {
  stems: string[];
}

/**
 * Config-driven keyword classifier: a keyword (word or phrase) scores when all its stems occur in
 * the message; longer phrases weigh more. The learned model replaces it (issue 3).
 */
export class KeywordClassifier {
  private readonly index = new Map<Rubricator, { category: Category; keywords: Keyword[] }[]>();
  private readonly byName = new Map<string, Category>();

  constructor(
    categories: readonly Category[],
    private readonly thresholds: { minScore: number; minMargin: number },
  ) {
    for (const category of categories) {
      const entries = this.index.get(category.rubricator) ?? [];
      entries.push({
        category,
        keywords: category.keywords.map((k) => ({ stems: words(k).map(stem) })).filter((k) => k.stems.length > 0),
      });
      this.index.set(category.rubricator, entries);
      // Keyed per rubricator: a ПОС category and an ИМ topic may share a name.
      this.byName.set(`${category.rubricator}:${normalizeForMatching(category.code)}`, category);
      this.byName.set(`${category.rubricator}:${normalizeForMatching(category.name)}`, category);
    }
  }

  /** The category the source named (by code or name), when it is one of the rubricator's. */
  hinted(rubricator: Rubricator, hint?: string): Classification | undefined {
    const category = hint ? this.byName.get(`${rubricator}:${normalizeForMatching(hint)}`) : undefined;
    if (!category) return undefined;
    const suggestion = { code: category.code, score: Infinity, probability: 1 };
    return { suggestions: [suggestion], confident: suggestion, method: 'hint' };
  }

  classify(text: string, rubricator: Rubricator, hint?: string): Classification {
    const hinted = this.hinted(rubricator, hint);
    if (hinted) return hinted;
    const stems = new Set(words(text).map(stem));
    const scored: { code: string; score: number }[] = [];
    for (const { category, keywords } of this.index.get(rubricator) ?? []) {
      let score = 0;
      for (const keyword of keywords) {
        if (keyword.stems.every((s) => stems.has(s))) score += keyword.stems.length;
      }
      if (score > 0) scored.push({ code: category.code, score });
    }
    scored.sort((a, b) => b.score - a.score || a.code.localeCompare(b.code));
    const top = scored.slice(0, 3);
    const mass = top.reduce((sum, s) => sum + s.score, 0);
    const suggestions = top.map((s) => ({ ...s, probability: round(s.score / mass) }));
    const [first, second] = suggestions;
    const sure =
      first !== undefined && first.score >= this.thresholds.minScore && (first.score - (second?.score ?? 0)) / first.score >= this.thresholds.minMargin;
    return { suggestions, confident: sure ? first : undefined, method: 'keywords' };
  }
}

function stem(word: string): string {
  return PorterStemmerRu.stem(word);
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
