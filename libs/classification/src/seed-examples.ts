import { DEFAULT_TRAINING, LabelledText, seededRandom, shuffle, TextClassifier, TrainingOptions, trainTextClassifier } from '@cur/classifier';
import { RegionData, Rubricator } from '@cur/domain';

/** How many keyword-combination texts are made per category and part, on top of the single phrases. */
const COMBINATIONS_PER_CATEGORY = 12;
/** Share of each category's keywords and phrasings kept apart to calibrate and choose thresholds. */
const VALIDATION_SHARE = 0.25;

export interface SeedSet {
  train: LabelledText[];
  /** Wordings the model is not trained on at first: calibration measured on new phrasings, not on copies. */
  validation: LabelledText[];
}

/**
 * The bootstrap training set of a rubricator, from project-written material only: each category's
 * name (and group), its keywords, the hand-written phrasings of classifier-seed.json, and short
 * texts combining two or three of them, so that the model sees a category's words together.
 *
 * A quarter of each category's keywords and phrasings is kept apart, with combinations made only
 * among themselves, as the validation set: thresholds are then measured on wordings the model has
 * not seen. Deterministic: the same config gives the same sets.
 */
export function seedExamples(data: RegionData, rubricator: Rubricator): SeedSet {
  const random = seededRandom(20261123);
  const train: LabelledText[] = [];
  const validation: LabelledText[] = [];
  for (const category of data.categories.filter((c) => c.rubricator === rubricator)) {
    const label = category.code;
    const pool = [...category.keywords, ...(data.classifierSeed[label] ?? [])];
    if (pool.length === 0) continue;
    shuffle(pool, random);
    const held = pool.length >= 4 ? Math.round(pool.length * VALIDATION_SHARE) : 0;
    const [kept, apart] = [pool.slice(held), pool.slice(0, held)];
    const names = [category.name, ...(category.group ? [`${category.group}: ${category.name}`] : [])];
    for (const text of [...names, ...kept, ...combinations(kept, random)]) train.push({ text, label });
    for (const text of [...apart, ...combinations(apart, random)]) validation.push({ text, label });
  }
  return { train, validation };
}

function combinations(pool: readonly string[], random: () => number): string[] {
  if (pool.length < 2) return [];
  const texts: string[] = [];
  for (let i = 0; i < COMBINATIONS_PER_CATEGORY; i++) {
    const size = 2 + Math.floor(random() * 2);
    const picked = new Set<string>();
    while (picked.size < Math.min(size, pool.length)) picked.add(pool[Math.floor(random() * pool.length)]);
    texts.push([...picked].join('. '));
  }
  return texts;
}

/** The product's bootstrap model of a rubricator: trained on the seed, calibrated on its held-apart part. */
export function trainSeedModel(data: RegionData, rubricator: Rubricator, now = new Date()): TextClassifier {
  const seed = seedExamples(data, rubricator);
  return trainTextClassifier(seed.train, seedTrainingOptions(data), now, seed.validation);
}

export function seedTrainingOptions(data: RegionData): TrainingOptions {
  return { ...DEFAULT_TRAINING, targetPrecision: data.classifier.targetPrecision };
}
