/** One automatic decision: how sure the model was, and whether it was right. */
export interface ScoredDecision {
  probability: number;
  correct: boolean;
}

export interface ThresholdChoice {
  /** Decisions with probability ≥ threshold are taken automatically; Infinity when none may be. */
  threshold: number;
  /** Share of the decisions at or above the threshold. */
  coverage: number;
  /** Precision of the decisions at or above the threshold (NaN when there are none). */
  precision: number;
  /** How many decisions the choice rests on. */
  support: number;
}

/**
 * The lowest probability threshold at which the decisions taken (all those at or above it) are
 * still right at least `target` of the time (with `z` > 0: the lower confidence bound of their
 * precision is), the widest automatic coverage the precision target allows. Ties in probability go
 * in or out together.
 */
export function thresholdForPrecision(decisions: readonly ScoredDecision[], target: number, z = 0): ThresholdChoice {
  const sorted = [...decisions].sort((a, b) => b.probability - a.probability);
  let correct = 0;
  let best: ThresholdChoice = { threshold: Infinity, coverage: 0, precision: NaN, support: decisions.length };
  for (let i = 0; i < sorted.length; i++) {
    if (sorted[i].correct) correct++;
    const boundary = i + 1 === sorted.length || sorted[i + 1].probability < sorted[i].probability;
    if (!boundary) continue;
    const taken = i + 1;
    if (wilsonLowerBound(correct, taken, z) >= target) {
      best = { threshold: sorted[i].probability, coverage: taken / sorted.length, precision: correct / taken, support: decisions.length };
    }
  }
  return best;
}

/**
 * The Wilson score lower bound of a proportion: with z > 0, a precision measured on few decisions
 * must clear the target with margin (z = 1.64: one-sided 95% confidence). z = 0 is the plain share.
 */
export function wilsonLowerBound(successes: number, trials: number, z: number): number {
  if (trials === 0) return 0;
  const p = successes / trials;
  if (z === 0) return p;
  const z2 = z * z;
  const centre = p + z2 / (2 * trials);
  const margin = z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  return (centre - margin) / (1 + z2 / trials);
}
