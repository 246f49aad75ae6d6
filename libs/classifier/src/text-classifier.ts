import { RankedLabel } from './evaluation/metrics';
import { FeatureSettings } from './features/feature-settings';
import { SparseVector } from './features/sparse';
import { Vectorizer, VectorizerState } from './features/vectorizer';
import { LinearModel, softmax } from './models/linear-model';
import { bestOutcome, outcomeIndex } from './training/outcomes';

export const MODEL_FORMAT = 'cur-text-classifier';
export const MODEL_FORMAT_VERSION = 1;

/** How a model was trained; stored with it so any model can be retrained the same way. */
export interface TrainingOptions {
  features: FeatureSettings;
  /** 'blend' mixes logistic regression and complement naive Bayes (see `blendWeight`). */
  algorithm: 'linear-svm' | 'logistic-regression' | 'complement-nb' | 'blend';
  /** Optional for options saved before the linear SVM existed. */
  linearSvm?: { c: number; fullCAtExamplesPerClass: number; epochs: number };
  logisticRegression: { epochs: number; minUpdates: number; l2: number; learningRate: number };
  complementNb: { alpha: number };
  /** Share of logistic regression in the blend (by calibrated log-probability); NB gets the rest. */
  blendWeight: number;
  /** Class weight (n / (K·n_c))^power: 0 = none, 1 = fully balanced. */
  classWeightPower: number;
  /**
   * Probabilities are calibrated and thresholds chosen on out-of-fold decisions: the training
   * material is split in this many folds (stratified; texts given a `fold` keep it) and each fold
   * is predicted by a model trained on the others. The shipped model is then trained on everything.
   */
  calibrationFolds: number;
  /** Precision the automatic routing of each category must reach on validation data. */
  targetPrecision: number;
  /**
   * What a category gets when its out-of-fold decisions rest on too little independent evidence to
   * show the target (see `minimumEvidence`): the global threshold of all decisions pooled, or no
   * automatic routing at all (no evidence, no automation).
   */
  smallCategoryThreshold: 'pooled' | 'never';
  /**
   * Confidence required of the measured precision (z of the Wilson lower bound, one-sided):
   * thresholds chosen on a few validation decisions are optimistic, so the bound must clear the
   * target, not the share. It also sets how much evidence a category needs for a threshold of its own.
   */
  thresholdConfidenceZ: number;
  /**
   * Weights smaller than this share of their class's largest one are set to zero after training:
   * they change no decision, and the model file compresses to a fraction (0 = keep all).
   */
  pruneBelow?: number;
  /**
   * Labels that lead to the same outcome (e.g. categories routed to one organization) share a key
   * here: a decision takes the most probable outcome (its probability summed over its labels) and
   * the most probable label within it, is right when its outcome is, and meets the label's
   * threshold by the outcome's probability. Absent: every label is its own outcome. A caller may
   * decide with other keys for the case at hand (see `decide`).
   */
  outcomes?: Record<string, string>;
  seed: number;
}

export interface ThresholdInfo {
  /** Route automatically when the top probability is at least this; null = never. */
  threshold: number | null;
  /** 'category' when measured on the category's own validation predictions, 'pooled' otherwise. */
  basis: 'category' | 'pooled' | 'none';
  /** Validation decisions predicting the category. */
  support: number;
  /** Independent evidence behind them (distinct phrasings); absent in models made before it was counted. */
  evidence?: number;
  precision: number | null;
  coverage: number | null;
}

export interface ValidationSummary {
  examples: number;
  accuracy: number;
  top3Accuracy: number;
  macroF1: number;
  /** null when no class has 10 validation examples. */
  macroF1Min10: number | null;
  /** Share of validation messages routed automatically by the chosen thresholds, and their precision (by outcome, with outcomes). */
  automaticCoverage: number;
  automaticPrecision: number | null;
  /** How the figures were measured: out of fold over this many folds (absent: a held-out share, in older models). */
  folds?: number;
  /** The threshold of all decisions pooled, given to categories with too little evidence of their own (null: none reaches the target). */
  globalThreshold?: number | null;
  /** The independent evidence a category needs for a threshold of its own (see `minimumEvidence`). */
  minimumEvidence?: number;
}

export interface ModelFile {
  format: typeof MODEL_FORMAT;
  formatVersion: number;
  createdAt: string;
  labels: string[];
  options: TrainingOptions;
  training: { examples: number; perLabel: Record<string, number>; seconds: number };
  validation: ValidationSummary | null;
  vectorizer: VectorizerState;
  model: { features: number; classes: number; weights: string; bias: number[] };
  temperature: number;
  thresholds: Record<string, ThresholdInfo>;
}

export interface Decision {
  /** Best labels first, with calibrated probabilities. */
  ranked: RankedLabel[];
  /**
   * The label decided on: the top one, or with outcomes the most probable label of the most
   * probable outcome (not always the top label: two labels of one outcome may outweigh a third).
   */
  label: RankedLabel | undefined;
  /** The decided label's outcome probability (its own, without outcomes) reached the label's threshold. */
  automatic: boolean;
  threshold: number | null;
  /** What was compared with the threshold: the label's probability, or its outcome's. */
  confidence: number;
}

export class ModelFormatError extends Error {}

/** A trained classifier: vectorizer, linear scores, temperature and per-category thresholds. */
export class TextClassifier {
  private readonly thresholdByIndex: Float64Array;
  private readonly outcome: Int32Array;
  private readonly outcomesGiven = new WeakMap<object, Int32Array>();

  constructor(
    readonly labels: readonly string[],
    readonly vectorizer: Vectorizer,
    readonly model: LinearModel,
    readonly temperature: number,
    readonly thresholds: Readonly<Record<string, ThresholdInfo>>,
    readonly meta: Pick<ModelFile, 'createdAt' | 'options' | 'training' | 'validation'>,
  ) {
    this.thresholdByIndex = Float64Array.from(labels, (label) => thresholds[label]?.threshold ?? Infinity);
    this.outcome = outcomeIndex(labels, meta.options.outcomes);
  }

  /** Calibrated probability of every label, in `labels` order. */
  probabilities(text: string): Float64Array {
    return this.probabilitiesOf(this.vectorizer.transform(text));
  }

  probabilitiesOf(x: SparseVector): Float64Array {
    return softmax(this.model.scores(x), this.temperature);
  }

  rank(text: string, k = 3): RankedLabel[] {
    return topK(this.labels, this.probabilities(text), k);
  }

  /**
   * The top-k labels and the decision: automatic when the decided label's outcome probability
   * reaches its threshold. `outcomes` (label → key) replaces the training's outcomes for this
   * decision, e.g. the organizations the categories reach for the message's territory; the
   * thresholds stay those measured in training. Pass the same object for the same case: its index is kept.
   */
  decide(text: string, k = 3, outcomes?: Readonly<Record<string, string>>): Decision {
    const probabilities = this.probabilities(text);
    const ranked = topK(this.labels, probabilities, k);
    if (ranked.length === 0) return { ranked, label: undefined, automatic: false, threshold: null, confidence: 0 };
    const best = bestOutcome(probabilities, outcomes ? this.indexOf(outcomes) : this.outcome);
    const threshold = this.thresholdByIndex[best.label];
    const label = { label: this.labels[best.label], probability: probabilities[best.label] };
    return { ranked, label, automatic: best.probability >= threshold, threshold: Number.isFinite(threshold) ? threshold : null, confidence: best.probability };
  }

  private indexOf(outcomes: Readonly<Record<string, string>>): Int32Array {
    let index = this.outcomesGiven.get(outcomes);
    if (!index) {
      index = outcomeIndex(this.labels, outcomes);
      this.outcomesGiven.set(outcomes, index);
    }
    return index;
  }

  /** The model file; `{ weights: false }` leaves the weights out (empty), for a caller that hands them over as an array. */
  toJSON(parts: { weights?: boolean } = {}): ModelFile {
    return {
      format: MODEL_FORMAT,
      formatVersion: MODEL_FORMAT_VERSION,
      createdAt: this.meta.createdAt,
      labels: [...this.labels],
      options: this.meta.options,
      training: this.meta.training,
      validation: this.meta.validation,
      vectorizer: this.vectorizer.toState(),
      model: {
        features: this.model.features,
        classes: this.model.classes,
        weights:
          parts.weights === false
            ? ''
            : Buffer.from(this.model.weights.buffer, this.model.weights.byteOffset, this.model.weights.byteLength).toString('base64'),
        bias: Array.from(this.model.bias),
      },
      temperature: this.temperature,
      thresholds: { ...this.thresholds },
    };
  }

  /** Reads a model file; `weights`, when given, are used as they are instead of the file's (see toJSON). */
  static fromJSON(file: unknown, givenWeights?: Float32Array): TextClassifier {
    const f = file as Partial<ModelFile> | null;
    if (!f || typeof f !== 'object' || f.format !== MODEL_FORMAT) throw new ModelFormatError(`not a ${MODEL_FORMAT} model file`);
    if (f.formatVersion !== MODEL_FORMAT_VERSION) {
      throw new ModelFormatError(`model format version ${String(f.formatVersion)} is not supported (expected ${MODEL_FORMAT_VERSION})`);
    }
    if (!Array.isArray(f.labels) || !f.vectorizer || !f.model || typeof f.temperature !== 'number' || !f.options) {
      throw new ModelFormatError('model file is incomplete');
    }
    let weights = givenWeights;
    if (!weights) {
      const bytes = Buffer.from(f.model.weights, 'base64');
      weights = new Float32Array(bytes.byteLength / 4);
      new Uint8Array(weights.buffer).set(bytes);
    }
    const model = new LinearModel(f.model.features, f.model.classes, weights, Float64Array.from(f.model.bias));
    if (model.classes !== f.labels.length) throw new ModelFormatError(`model has ${model.classes} classes but ${f.labels.length} labels`);
    const vectorizer = Vectorizer.fromState(f.vectorizer);
    if (vectorizer.size !== model.features) throw new ModelFormatError(`model has ${model.features} features but the vectorizer ${vectorizer.size}`);
    return new TextClassifier(f.labels, vectorizer, model, f.temperature, f.thresholds ?? {}, {
      createdAt: f.createdAt ?? '',
      options: f.options,
      training: f.training ?? { examples: 0, perLabel: {}, seconds: 0 },
      validation: f.validation ?? null,
    });
  }
}

export function topK(labels: readonly string[], probabilities: ArrayLike<number>, k: number): RankedLabel[] {
  const best: number[] = [];
  for (let i = 0; i < probabilities.length; i++) {
    if (best.length < k || probabilities[i] > probabilities[best[best.length - 1]]) {
      let at = best.length < k ? best.length : k - 1;
      if (best.length < k) best.push(i);
      while (at > 0 && probabilities[best[at - 1]] < probabilities[i]) {
        best[at] = best[at - 1];
        at--;
      }
      best[at] = i;
    }
  }
  return best.map((i) => ({ label: labels[i], probability: probabilities[i] }));
}
