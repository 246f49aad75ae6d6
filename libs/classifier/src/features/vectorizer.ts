import { normalizeText, stripMarkup } from '../text/normalize';
import { isPlaceholder, isStopWord, Stemmer, tokenize } from '../text/tokenize';
import { BlockSettings, FeatureSettings } from './feature-settings';
import { SparseVector } from './sparse';

type BlockName = 'stems' | 'stemBigrams' | 'charNgrams' | 'properNouns';
const BLOCKS: readonly BlockName[] = ['stems', 'stemBigrams', 'charNgrams', 'properNouns'];

/** The terms of one text, per feature block. */
export interface AnalyzedText {
  stems: string[];
  stemBigrams: string[];
  charNgrams: string[];
  properNouns: string[];
}

export interface VectorizerState {
  settings: FeatureSettings;
  /** Per block, its terms in index order; indices of a later block follow those of the earlier. */
  vocabulary: Record<BlockName, string[]>;
  /** Inverse document frequency per feature index. */
  idf: number[];
}

/**
 * Text → TF-IDF sparse vector over stems, stem bigrams and in-word character n-grams. Each block
 * is L2-normalized and weighted on its own so that the many character n-grams do not drown the
 * stems, then the whole vector is L2-normalized.
 */
export class Vectorizer {
  private readonly stemmer = new Stemmer();
  private readonly index: Record<BlockName, Map<string, number>>;
  private readonly blockEnd: number[];
  private readonly blockWeight: number[];
  private readonly idf: Float64Array;

  private constructor(private readonly state: VectorizerState) {
    let offset = 0;
    this.blockEnd = [];
    this.blockWeight = [];
    const index = {} as Record<BlockName, Map<string, number>>;
    for (const block of BLOCKS) {
      // Models saved before a block existed have no vocabulary for it.
      const terms = state.vocabulary[block] ?? [];
      const map = new Map<string, number>();
      for (let i = 0; i < terms.length; i++) map.set(terms[i], offset + i);
      index[block] = map;
      offset += terms.length;
      this.blockEnd.push(offset);
      this.blockWeight.push(state.settings[block]?.weight ?? 0);
    }
    this.index = index;
    this.idf = Float64Array.from(state.idf);
    if (this.idf.length !== offset) throw new Error(`vectorizer: ${offset} terms but ${this.idf.length} idf values`);
  }

  static fit(texts: readonly string[], settings: FeatureSettings): Vectorizer {
    const stemmer = new Stemmer();
    const df: Record<BlockName, Map<string, number>> = { stems: new Map(), stemBigrams: new Map(), charNgrams: new Map(), properNouns: new Map() };
    for (const text of texts) {
      const analyzed = analyze(text, settings, stemmer);
      for (const block of BLOCKS) {
        const counts = df[block];
        for (const term of new Set(analyzed[block])) counts.set(term, (counts.get(term) ?? 0) + 1);
      }
    }
    const n = texts.length;
    const vocabulary = {} as Record<BlockName, string[]>;
    const idf: number[] = [];
    for (const block of BLOCKS) {
      const blockSettings: BlockSettings | null = settings[block] ?? null;
      if (!blockSettings) {
        vocabulary[block] = [];
        continue;
      }
      const kept = [...df[block]].filter(([, count]) => count >= blockSettings.minDf);
      kept.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      kept.length = Math.min(kept.length, blockSettings.maxFeatures);
      vocabulary[block] = kept.map(([term]) => term);
      // Rounded as serialized, so that a model behaves the same before and after a save.
      for (const [, count] of kept) idf.push(round6(Math.log((1 + n) / (1 + count)) + 1));
    }
    return new Vectorizer({ settings, vocabulary, idf });
  }

  static fromState(state: VectorizerState): Vectorizer {
    return new Vectorizer(state);
  }

  get size(): number {
    return this.idf.length;
  }

  get settings(): FeatureSettings {
    return this.state.settings;
  }

  toState(): VectorizerState {
    return { ...this.state, idf: Array.from(this.idf) };
  }

  analyze(text: string): AnalyzedText {
    return analyze(text, this.state.settings, this.stemmer);
  }

  /**
   * Text → TF-IDF vector. The same features as `analyze` gives, gathered faster: what a word
   * contributes (its stem, its character n-grams found in the vocabulary) is cached per word, and
   * counts go into a reused dense scratch array instead of a map.
   */
  transform(text: string): SparseVector {
    const settings = this.state.settings;
    const normalized = normalizeText(text);
    const words = tokenize(normalized);
    const stems: string[] = [];
    for (const word of words) {
      if (isStopWord(word)) continue;
      const features = this.wordFeatures(word);
      stems.push(features.stem);
      if (features.stemIndex >= 0) this.count(features.stemIndex);
      for (let g = 0; g < features.grams.length; g++) this.count(features.grams[g]);
    }
    if (settings.charNgrams?.acrossWords) {
      for (const gram of characterNgrams([normalized], settings.charNgrams.min, settings.charNgrams.max)) {
        const index = this.index.charNgrams.get(gram);
        if (index !== undefined) this.count(index);
      }
    }
    if (settings.stemBigrams) {
      const bigrams = this.index.stemBigrams;
      for (let i = 1; i < stems.length; i++) {
        const index = bigrams.get(stems[i - 1] + ' ' + stems[i]);
        if (index !== undefined) this.count(index);
      }
    }
    if (settings.properNouns) {
      const properNouns = this.index.properNouns;
      for (const word of capitalizedWords(text)) {
        const index = properNouns.get(this.stemmer.stem(word));
        if (index !== undefined) this.count(index);
      }
    }
    return this.drain();
  }

  private readonly wordCache = new Map<string, WordFeatures>();
  private scratch = new Float64Array(0);
  private touched = new Int32Array(256);
  private touchedCount = 0;

  private wordFeatures(word: string): WordFeatures {
    const cached = this.wordCache.get(word);
    if (cached) return cached;
    const settings = this.state.settings;
    const stem = this.stemmer.stem(word);
    const stemIndex = settings.stems ? (this.index.stems.get(stem) ?? -1) : -1;
    const grams: number[] = [];
    const chars = settings.charNgrams;
    // Across-word n-grams depend on the neighbours, so they cannot be cached per word.
    if (chars && !chars.acrossWords && !isPlaceholder(word)) {
      for (const gram of characterNgrams([word], chars.min, chars.max)) {
        const index = this.index.charNgrams.get(gram);
        if (index !== undefined) grams.push(index);
      }
    }
    const features: WordFeatures = { stem, stemIndex, grams: Int32Array.from(grams) };
    if (this.wordCache.size >= WORD_CACHE_SIZE) this.wordCache.clear();
    this.wordCache.set(word, features);
    return features;
  }

  private count(index: number): void {
    if (this.scratch.length !== this.idf.length) this.scratch = new Float64Array(this.idf.length);
    if (this.scratch[index] === 0) {
      if (this.touchedCount === this.touched.length) {
        const grown = new Int32Array(this.touched.length * 2);
        grown.set(this.touched);
        this.touched = grown;
      }
      this.touched[this.touchedCount++] = index;
    }
    this.scratch[index]++;
  }

  /** The counted features as a weighted, normalized sparse vector; the scratch is left zeroed. */
  private drain(): SparseVector {
    const indices = this.touched.slice(0, this.touchedCount).sort();
    this.touchedCount = 0;
    const counts = new Float64Array(indices.length);
    for (let k = 0; k < indices.length; k++) {
      counts[k] = this.scratch[indices[k]];
      this.scratch[indices[k]] = 0;
    }
    return this.weigh(indices, counts);
  }

  /** TF-IDF with per-block L2 norms and weights, then the whole vector L2-normalized. */
  private weigh(indices: Int32Array, counts: Float64Array): SparseVector {
    const values = new Float32Array(indices.length);
    const sublinear = this.state.settings.sublinearTf;
    const blockNorm = new Float64Array(BLOCKS.length);
    let block = 0;
    const weighted = new Float64Array(indices.length);
    for (let k = 0; k < indices.length; k++) {
      const i = indices[k];
      const tf = counts[k];
      const value = (sublinear ? 1 + Math.log(tf) : tf) * this.idf[i];
      weighted[k] = value;
      while (i >= this.blockEnd[block]) block++;
      blockNorm[block] += value * value;
    }
    for (let b = 0; b < BLOCKS.length; b++) blockNorm[b] = blockNorm[b] > 0 ? this.blockWeight[b] / Math.sqrt(blockNorm[b]) : 0;
    block = 0;
    let total = 0;
    for (let k = 0; k < indices.length; k++) {
      while (indices[k] >= this.blockEnd[block]) block++;
      weighted[k] *= blockNorm[block];
      total += weighted[k] * weighted[k];
    }
    const scale = total > 0 ? 1 / Math.sqrt(total) : 0;
    for (let k = 0; k < indices.length; k++) values[k] = weighted[k] * scale;
    return { indices, values };
  }

  /** The plain path: analyze, look every term up. Kept as the reference the fast path is tested against. */
  transformReference(text: string): SparseVector {
    const analyzed = this.analyze(text);
    const counts = new Map<number, number>();
    for (const block of BLOCKS) {
      const map = this.index[block];
      for (const term of analyzed[block]) {
        const i = map.get(term);
        if (i !== undefined) counts.set(i, (counts.get(i) ?? 0) + 1);
      }
    }
    const indices = Int32Array.from(counts.keys()).sort();
    return this.weigh(
      indices,
      Float64Array.from(indices, (i) => counts.get(i)!),
    );
  }
}

/** What one word contributes, cached: its stem (for bigrams), the stem's index, its n-gram indices. */
interface WordFeatures {
  stem: string;
  stemIndex: number;
  grams: Int32Array;
}

const WORD_CACHE_SIZE = 100_000;

function analyze(text: string, settings: FeatureSettings, stemmer: Stemmer): AnalyzedText {
  const normalized = normalizeText(text);
  const words = tokenize(normalized).filter((w) => !isStopWord(w));
  const stems = words.map((w) => stemmer.stem(w));
  const stemBigrams: string[] = [];
  if (settings.stemBigrams) for (let i = 1; i < stems.length; i++) stemBigrams.push(stems[i - 1] + ' ' + stems[i]);
  const chars = settings.charNgrams;
  const charNgrams = chars ? characterNgrams(chars.acrossWords ? [normalized] : words.filter((w) => !isPlaceholder(w)), chars.min, chars.max) : [];
  const properNouns = settings.properNouns ? capitalizedWords(text).map((w) => stemmer.stem(w)) : [];
  return { stems: settings.stems ? stems : [], stemBigrams, charNgrams, properNouns };
}

/** All n-grams (min ≤ n ≤ max) of each piece padded with a space at each end. */
function characterNgrams(pieces: readonly string[], min: number, max: number): string[] {
  const grams: string[] = [];
  for (const piece of pieces) {
    const padded = ' ' + piece + ' ';
    for (let n = min; n <= max; n++) {
      if (padded.length < n) break;
      for (let i = 0; i + n <= padded.length; i++) grams.push(padded.substring(i, i + n));
    }
  }
  return grams;
}

const CAPITALIZED = /(?<![\p{L}\p{N}])[А-ЯЁ][а-яё]+(?:-[А-ЯЁа-яё][а-яё]+)?/gu;
// A sentence end, then only spaces, quotes, brackets or dashes. The dot of an address abbreviation
// ("г. Льгов", "ул. Ленина", "пос. Заречный") ends no sentence: names follow them most of all.
const SENTENCE_START = /(?:^|[!?…:;\n]|(?<!(?:^|[^\p{L}])(?:г|гор|ул|пр|просп|пос|п|д|с|сл|х|ст|обл|р-н|пер|мкр|пл|наб|ш|им))\.)[\s"'«„“(\-–—]*$/u;

/**
 * Words capitalized in the original text other than at the start of a sentence, lower-cased with
 * ё → е: mostly place and organisation names ("Льгов", "Железногорский", "Сеймский").
 */
export function capitalizedWords(text: string): string[] {
  const words: string[] = [];
  const plain = stripMarkup(text);
  for (const match of plain.matchAll(CAPITALIZED)) {
    const start = match.index ?? 0;
    // A short look back is enough: the longest abbreviation plus its dot and spacing.
    if (SENTENCE_START.test(plain.slice(Math.max(0, start - 12), start))) continue;
    const word = match[0].toLowerCase().replace(/ё/g, 'е');
    if (!isStopWord(word)) words.push(word);
  }
  return words;
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
