/** One automatic decision: how sure the model was, and whether it was right. */
export interface ScoredDecision {
  probability: number;
  correct: boolean;
  /**
   * The independent pieces of evidence the decision rests on: a validation text made by combining
   * a few held-apart phrasings is not new evidence beyond those phrasings. Absent: the decision is
   * a piece of evidence of its own.
   */
  sources?: readonly string[];
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
  /** How many independent pieces of evidence those decisions rest on (distinct sources). */
  evidence: number;
}

/**
 * The lowest probability threshold at which the decisions taken (all those at or above it) are
 * still right at least `target` of the time — with `z` > 0, the Wilson lower bound of their
 * precision is, counted over the independent evidence the decisions rest on, not over the
 * decisions (ten combinations of three phrasings are three pieces of evidence, not ten). The
 * widest automatic coverage the precision target allows. Ties in probability go in or out together.
 */
export function thresholdForPrecision(decisions: readonly ScoredDecision[], target: number, z = 0): ThresholdChoice {
  const sorted = [...decisions].sort((a, b) => b.probability - a.probability);
  const evidence = new EvidenceCounter();
  let correct = 0;
  let best: ThresholdChoice = { threshold: Infinity, coverage: 0, precision: NaN, support: decisions.length, evidence: countEvidence(decisions) };
  for (let i = 0; i < sorted.length; i++) {
    if (sorted[i].correct) correct++;
    evidence.add(sorted[i]);
    const boundary = i + 1 === sorted.length || sorted[i + 1].probability < sorted[i].probability;
    if (!boundary) continue;
    const taken = i + 1;
    const precision = correct / taken;
    if (wilsonLowerBound(precision * evidence.count, evidence.count, z) >= target) {
      best = { ...best, threshold: sorted[i].probability, coverage: taken / sorted.length, precision };
    }
  }
  return best;
}

/**
 * The fewest independent decisions on which a precision target can be shown at all: even when
 * every one of them is right, the Wilson lower bound n / (n + z²) reaches `target` only from
 * n ≥ z²·target / (1 − target) on (52 for 95% at z = 1.645; 1 with z = 0, the plain share).
 * A threshold measured on less evidence than this would be a guess.
 */
export function minimumEvidence(target: number, z: number): number {
  if (target >= 1) return Infinity;
  return Math.max(1, Math.ceil((z * z * target) / (1 - target) - 1e-9));
}

/** Distinct sources among the decisions (a decision without sources counts as one of its own). */
export function countEvidence(decisions: readonly ScoredDecision[]): number {
  const counter = new EvidenceCounter();
  for (const d of decisions) counter.add(d);
  return counter.count;
}

class EvidenceCounter {
  private readonly seen = new Set<string>();
  private own = 0;

  add(decision: ScoredDecision): void {
    if (!decision.sources || decision.sources.length === 0) {
      this.own++;
      return;
    }
    for (const source of decision.sources) this.seen.add(source);
  }

  get count(): number {
    return this.own + this.seen.size;
  }
}

/**
 * The Wilson score lower bound of a proportion: with z > 0, a precision measured on few decisions
 * must clear the target with margin (z = 1.645: one-sided 95% confidence). z = 0 is the plain share.
 * `successes` may be fractional (a share of an effective number of trials).
 */
export function wilsonLowerBound(successes: number, trials: number, z: number): number {
  if (trials === 0) return 0;
  const p = successes / trials;
  if (z === 0) return p;
  const z2 = z * z;
  const centre = p + z2 / (2 * trials);
  const margin = z * Math.sqrt(Math.max(0, (p * (1 - p)) / trials) + z2 / (4 * trials * trials));
  return (centre - margin) / (1 + z2 / trials);
}
