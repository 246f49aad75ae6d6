import { evaluate, EvaluatedExample, EvaluationReport } from '../evaluation/metrics';
import { TrainingOptions } from '../text-classifier';
import { DEFAULT_TRAINING, LabelledText, stratifiedFolds, trainTextClassifier } from './train';

export interface FoldResult {
  fold: number;
  examples: number;
  accuracy: number;
  top3Accuracy: number;
  macroF1: number;
  macroF1Min10: number;
  trainSeconds: number;
}

/**
 * The headline metrics are means over the folds, each fold scored as the held-out file it is (so
 * "classes with ≥ 10 examples" counts within the fold, as it would in a held-out file). Per-class
 * figures, confusions and coverage come from all out-of-fold predictions pooled; `pooled` repeats
 * the headline metrics computed that way.
 */
export interface CrossValidationReport extends EvaluationReport {
  folds: FoldResult[];
  pooled: Pick<EvaluationReport, 'accuracy' | 'top3Accuracy' | 'macroF1' | 'macroF1Min10'>;
}

/**
 * Stratified k-fold cross-validation: each example is predicted once, by the model trained
 * (exactly as `train` does) on the other folds.
 */
export function crossValidate(
  examples: readonly LabelledText[],
  folds: number,
  options: TrainingOptions = DEFAULT_TRAINING,
  onFold?: (result: FoldResult) => void,
): CrossValidationReport {
  if (!Number.isInteger(folds) || folds < 2) throw new RangeError(`folds must be an integer ≥ 2, got ${folds}`);
  const fold = stratifiedFolds(
    examples.map((e) => e.label),
    folds,
    options.seed,
  );
  const pooled = new Array<EvaluatedExample>(examples.length);
  const perFold: FoldResult[] = [];
  for (let f = 0; f < folds; f++) {
    const train = examples.filter((_, i) => fold[i] !== f);
    const testIndices = examples.map((_, i) => i).filter((i) => fold[i] === f);
    const started = process.hrtime.bigint();
    const classifier = trainTextClassifier(train, options);
    const trainSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    for (const i of testIndices) {
      const decision = classifier.decide(examples[i].text, 3);
      pooled[i] = { gold: examples[i].label, ranked: decision.ranked, automatic: decision.automatic };
    }
    const report = evaluate(testIndices.map((i) => pooled[i]));
    const result: FoldResult = {
      fold: f + 1,
      examples: testIndices.length,
      accuracy: report.accuracy,
      top3Accuracy: report.top3Accuracy,
      macroF1: report.macroF1,
      macroF1Min10: report.macroF1Min10,
      trainSeconds,
    };
    perFold.push(result);
    onFold?.(result);
  }
  const all = evaluate(pooled);
  // Folds without a class of ≥ 10 examples have no macroF1Min10; the mean is over the folds that have one.
  const mean = (key: keyof FoldResult) => {
    const values = perFold.map((r) => r[key]).filter((v) => !Number.isNaN(v));
    return values.length ? values.reduce((a, b) => a + b, 0) / values.length : NaN;
  };
  return {
    ...all,
    accuracy: mean('accuracy'),
    top3Accuracy: mean('top3Accuracy'),
    macroF1: mean('macroF1'),
    macroF1Min10: mean('macroF1Min10'),
    folds: perFold,
    pooled: { accuracy: all.accuracy, top3Accuracy: all.top3Accuracy, macroF1: all.macroF1, macroF1Min10: all.macroF1Min10 },
  };
}
