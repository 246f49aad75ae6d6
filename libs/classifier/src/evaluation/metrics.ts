import { thresholdForPrecision, ThresholdChoice } from './precision-threshold';

export interface RankedLabel {
  label: string;
  probability: number;
}

/** The model's ranking for one example with known label. */
export interface EvaluatedExample {
  gold: string;
  ranked: readonly RankedLabel[];
  /** Whether the model's own per-category threshold would route it automatically. */
  automatic?: boolean;
}

export interface ClassMetrics {
  label: string;
  support: number;
  predicted: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface Confusion {
  gold: string;
  predicted: string;
  count: number;
}

export interface EvaluationReport {
  examples: number;
  accuracy: number;
  top3Accuracy: number;
  /** Macro-F1 over every class that occurs in the gold labels or the predictions. */
  macroF1: number;
  /** Macro-F1 over the classes with at least 10 gold examples; NaN (null in JSON) when there are none. */
  macroF1Min10: number;
  perClass: ClassMetrics[];
  confusions: Confusion[];
  /** Per precision target, the widest share routed automatically with one global threshold. */
  coverageAtPrecision: Record<string, ThresholdChoice>;
  /** What the model's own per-category thresholds do here (when it has them). */
  modelThresholds?: { coverage: number; precision: number };
}

export const PRECISION_TARGETS = [0.9, 0.95] as const;

export function evaluate(examples: readonly EvaluatedExample[], options: { minSupport?: number; confusions?: number } = {}): EvaluationReport {
  const minSupport = options.minSupport ?? 10;
  const support = new Map<string, number>();
  const predicted = new Map<string, number>();
  const truePositive = new Map<string, number>();
  const confusion = new Map<string, number>();
  let correct = 0;
  let correct3 = 0;
  for (const example of examples) {
    const top = example.ranked[0]?.label;
    increment(support, example.gold);
    if (top !== undefined) increment(predicted, top);
    if (top === example.gold) {
      correct++;
      increment(truePositive, top);
    } else if (top !== undefined) {
      increment(confusion, JSON.stringify([example.gold, top]));
    }
    if (example.ranked.slice(0, 3).some((r) => r.label === example.gold)) correct3++;
  }
  const labels = [...new Set([...support.keys(), ...predicted.keys()])];
  const perClass = labels
    .map((label): ClassMetrics => {
      const tp = truePositive.get(label) ?? 0;
      const s = support.get(label) ?? 0;
      const p = predicted.get(label) ?? 0;
      const precision = p ? tp / p : 0;
      const recall = s ? tp / s : 0;
      return { label, support: s, predicted: p, precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0 };
    })
    .sort((a, b) => b.support - a.support || a.label.localeCompare(b.label));
  const frequent = perClass.filter((c) => c.support >= minSupport);
  const n = examples.length;
  const coverageAtPrecision: Record<string, ThresholdChoice> = {};
  const decisions = examples.map((e) => ({ probability: e.ranked[0]?.probability ?? 0, correct: e.ranked[0]?.label === e.gold }));
  for (const target of PRECISION_TARGETS) coverageAtPrecision[String(target)] = thresholdForPrecision(decisions, target);
  const report: EvaluationReport = {
    examples: n,
    accuracy: n ? correct / n : 0,
    top3Accuracy: n ? correct3 / n : 0,
    macroF1: mean(perClass.map((c) => c.f1)),
    // No class with ≥ 10 examples: undefined rather than a misleading 0 (null in JSON).
    macroF1Min10: frequent.length ? mean(frequent.map((c) => c.f1)) : NaN,
    perClass,
    confusions: [...confusion]
      .map(([key, count]) => {
        const [gold, predictedLabel] = JSON.parse(key) as [string, string];
        return { gold, predicted: predictedLabel, count };
      })
      .sort((a, b) => b.count - a.count || a.gold.localeCompare(b.gold) || a.predicted.localeCompare(b.predicted))
      .slice(0, options.confusions ?? 10),
    coverageAtPrecision,
  };
  if (examples.some((e) => e.automatic !== undefined)) {
    const automatic = examples.filter((e) => e.automatic);
    report.modelThresholds = {
      coverage: n ? automatic.length / n : 0,
      precision: automatic.length ? automatic.filter((e) => e.ranked[0]?.label === e.gold).length / automatic.length : NaN,
    };
  }
  return report;
}

function increment(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function mean(values: readonly number[]): number {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;
}
