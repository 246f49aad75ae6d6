import { normalizeText } from '../text/normalize';
import { isPlaceholder, isStopWord, Stemmer, tokenize } from '../text/tokenize';
import { BlockSettings, FeatureSettings } from './feature-settings';
import { SparseVector } from './sparse';

type BlockName = 'stems' | 'stemBigrams' | 'charNgrams';
const BLOCKS: readonly BlockName[] = ['stems', 'stemBigrams', 'charNgrams'];

/** The terms of one text, per feature block. */
export interface AnalyzedText {
  stems: string[];
  stemBigrams: string[];
  charNgrams: string[];
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
      const terms = state.vocabulary[block];
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
    const df: Record<BlockName, Map<string, number>> = { stems: new Map(), stemBigrams: new Map(), charNgrams: new Map() };
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
      const blockSettings: BlockSettings | null = settings[block];
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

  transform(text: string): SparseVector {
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
    const values = new Float32Array(indices.length);
    const sublinear = this.state.settings.sublinearTf;
    const blockNorm = new Float64Array(BLOCKS.length);
    let block = 0;
    const weighted = new Float64Array(indices.length);
    for (let k = 0; k < indices.length; k++) {
      const i = indices[k];
      const tf = counts.get(i)!;
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
}

function analyze(text: string, settings: FeatureSettings, stemmer: Stemmer): AnalyzedText {
  const words = tokenize(normalizeText(text)).filter((w) => !isStopWord(w));
  const stems = words.map((w) => stemmer.stem(w));
  const stemBigrams: string[] = [];
  if (settings.stemBigrams) for (let i = 1; i < stems.length; i++) stemBigrams.push(stems[i - 1] + ' ' + stems[i]);
  const charNgrams: string[] = [];
  const chars = settings.charNgrams;
  if (chars) {
    for (const word of words) {
      if (isPlaceholder(word)) continue;
      const padded = ' ' + word + ' ';
      for (let n = chars.min; n <= chars.max; n++) {
        if (padded.length < n) break;
        for (let i = 0; i + n <= padded.length; i++) charNgrams.push(padded.substring(i, i + n));
      }
    }
  }
  return { stems: settings.stems ? stems : [], stemBigrams, charNgrams };
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
