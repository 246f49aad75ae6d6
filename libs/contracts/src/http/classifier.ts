/** Classifier versions as `GET /api/v1/classifier/models` returns them. Types only. */

/** How a model did on its validation data (out of fold), as libs/classifier measures it. */
export interface ValidationView {
  examples: number;
  accuracy: number;
  top3Accuracy: number;
  macroF1: number;
  macroF1Min10: number | null;
  /** Share of messages routed automatically by the chosen thresholds, and their precision. */
  automaticCoverage: number;
  automaticPrecision: number | null;
  folds?: number;
  globalThreshold?: number | null;
}

export interface HoldoutScoreView {
  examples: number;
  accuracy: number;
  macroF1: number;
}

export interface ClassifierModelMetrics {
  validation?: ValidationView | null;
  /** A retrained candidate against the model it challenged, on operators' held-back corrections. */
  holdout?: { candidate: HoldoutScoreView; active: HoldoutScoreView | null; activeVersion: number | null };
  /** Why the candidate was or was not activated. */
  verdict?: string;
  examplesUntil?: string;
}

export interface ClassifierModelEventView {
  type: string;
  /** The change in words («Введена в действие»). */
  typeTitle: string;
  fromStatus: string | null;
  toStatus: string;
  actor: string;
  /** The actor named for a screen (a person's name, or what a system does). */
  actorName: string;
  reason: string | null;
  at: string;
}

export interface ClassifierModelView {
  id: string;
  rubricator: string;
  version: number;
  status: 'candidate' | 'active' | 'retired' | 'rejected';
  origin: 'bootstrap' | 'retrain';
  labels: number;
  trainingExamples: number;
  trainingCorrections: number;
  metrics: ClassifierModelMetrics;
  createdAt: string;
  createdBy: string;
  createdByName: string;
  activatedAt: string | null;
  history: ClassifierModelEventView[];
}
