/** How a model did on the held-back corrections. */
export interface HoldoutScore {
  examples: number;
  accuracy: number;
  macroF1: number;
}

export interface ActivationVerdict {
  activate: boolean;
  /** The status the candidate is left in when it is not activated. */
  otherwise: 'candidate' | 'rejected';
  reason: string;
}

/**
 * Whether a retrained candidate replaces the active model. It must be judged on enough held-back
 * corrections, which neither model was trained on, and be not worse than the active model there
 * (accuracy at least as high). Too little evidence leaves it a candidate for a person to decide.
 */
export function judgeCandidate(candidate: HoldoutScore, active: HoldoutScore | null, minHoldout: number): ActivationVerdict {
  if (!active) return { activate: true, otherwise: 'candidate', reason: 'нет активной модели' };
  if (candidate.examples < minHoldout) {
    return {
      activate: false,
      otherwise: 'candidate',
      reason: `для сравнения нужно не меньше ${minHoldout} отложенных исправлений, есть ${candidate.examples}`,
    };
  }
  const a = pct(candidate.accuracy);
  const b = pct(active.accuracy);
  if (candidate.accuracy >= active.accuracy) {
    return { activate: true, otherwise: 'candidate', reason: `точность на отложенных исправлениях ${a} против ${b} у активной модели` };
  }
  return { activate: false, otherwise: 'rejected', reason: `точность на отложенных исправлениях ${a} хуже, чем ${b} у активной модели` };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
