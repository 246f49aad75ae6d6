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
 * still right at least `target` of the time: the widest automatic coverage the precision target
 * allows. Ties in probability go in or out together.
 */
export function thresholdForPrecision(decisions: readonly ScoredDecision[], target: number): ThresholdChoice {
  const sorted = [...decisions].sort((a, b) => b.probability - a.probability);
  let correct = 0;
  let best: ThresholdChoice = { threshold: Infinity, coverage: 0, precision: NaN, support: decisions.length };
  for (let i = 0; i < sorted.length; i++) {
    if (sorted[i].correct) correct++;
    const boundary = i + 1 === sorted.length || sorted[i + 1].probability < sorted[i].probability;
    if (!boundary) continue;
    const taken = i + 1;
    if (correct / taken >= target) {
      best = { threshold: sorted[i].probability, coverage: taken / sorted.length, precision: correct / taken, support: decisions.length };
    }
  }
  return best;
}
