/** Which features a model sees, and how they are weighted. Serialized with every model. */
export interface FeatureSettings {
  /** Word stems (PorterStemmerRu) of non-stop words. */
  stems: BlockSettings | null;
  /** Pairs of adjacent stems (stop words dropped first). */
  stemBigrams: BlockSettings | null;
  /**
   * Character n-grams, words padded with a space at each end. With `acrossWords` the n-grams run
   * over the whole normalized text, so that short phrases ("у подъезда") are seen too.
   */
  charNgrams: (BlockSettings & { min: number; max: number; acrossWords?: boolean }) | null;
  /**
   * Stems of words written with a capital letter inside a sentence in the original text: names of
   * towns, districts and streets, which decide who handles an appeal more than its topic does.
   * Optional for models saved before the block existed.
   */
  properNouns?: BlockSettings | null;
  /** 1 + ln(tf) instead of the raw count. */
  sublinearTf: boolean;
}

export interface BlockSettings {
  /** Features seen in fewer training documents are dropped. */
  minDf: number;
  /** Keep at most this many features of the block, the most frequent ones (by document frequency). */
  maxFeatures: number;
  /** The block is L2-normalized on its own, then scaled by this weight; the whole vector is L2-normalized last. */
  weight: number;
}

export const DEFAULT_FEATURES: FeatureSettings = {
  stems: { minDf: 1, maxFeatures: 200_000, weight: 1 },
  stemBigrams: { minDf: 2, maxFeatures: 200_000, weight: 0.6 },
  charNgrams: { min: 3, max: 5, minDf: 2, maxFeatures: 300_000, weight: 1 },
  // A small weight: in CV it helped routing to executors a little and left topic categories alone.
  properNouns: { minDf: 1, maxFeatures: 100_000, weight: 0.5 },
  sublinearTf: true,
};
