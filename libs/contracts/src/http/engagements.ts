/**
 * Discussions, votes and surveys (issue 14; order No. 733, items 1.3, 2.3, 4): what the
 * organizers' API returns. A ballot is never returned: only counts.
 */
import type { Answer, EngagementKind, EngagementStatus, OptionDef, QuestionDef, VoteRules } from '@cur/domain';
import type { Named, Person } from './messages';

export type { Answer, EngagementKind, EngagementStatus, OptionDef, QuestionDef, VoteRules };

/** A discussion's draft document: sections comments are attached to; a new version keeps the sections' ids. */
export interface EngagementDocument {
  title: string;
  version: number;
  sections: { id: string; title: string; text: string }[];
}

export interface EngagementView {
  id: string;
  kind: EngagementKind;
  kindTitle: string;
  status: EngagementStatus;
  statusTitle: string;
  title: string;
  description: string | null;
  theme: { id: string; title: string };
  organizer: Named;
  /** Empty: the whole region. */
  territories: Named[];
  opensAt: string;
  closesAt: string;
  /** True while ballots are taken: published, and now within [opensAt, closesAt). */
  open: boolean;
  options: OptionDef[];
  vote: VoteRules | null;
  questions: QuestionDef[];
  document: EngagementDocument | null;
  ballots: number;
  /** True once a ballot exists: options, costs and limits can no longer change. */
  rulesFrozen: boolean;
  closedAt: string | null;
  closeReason: string | null;
  resultText: string | null;
  resultPublishedAt: string | null;
  decision: { text: string; documentRef: string; decidedBy: string; decidedAt: string } | null;
  /** The terms of order No. 733, item 4: the result after closing, the decision after the result; `overdue` while the current step is late. */
  timing: { resultDueAt: string | null; decisionDueAt: string | null; overdue: boolean };
  version: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  /** What the caller may do now (the console offers exactly these). */
  actions: EngagementAction[];
}

export type EngagementAction = 'edit' | 'publish' | 'close' | 'publish-result' | 'record-decision';

export interface EngagementList {
  items: EngagementView[];
}

export interface EngagementThemes {
  items: { id: string; title: string }[];
}

export interface EngagementEvent {
  type: string;
  typeTitle: string;
  actor: string;
  reason: string | null;
  data: Record<string, unknown> | null;
  at: string;
}

export interface EngagementHistory {
  items: EngagementEvent[];
  people: Record<string, Person>;
}

/** `GET /api/v1/engagements/:id/results`: counts only, never who chose what. */
export interface EngagementResults {
  totalBallots: number;
  options: { id: string; title: string; votes: number; cost: number | null }[];
  /** Per question: choice id → count (single, multiple), "1".."5" → count (scale), or `answered` (free text). */
  questions: { id: string; title: string; type: string; answers: Record<string, number> }[];
  /** Ballots per hour cast (the hour only is kept). */
  byHour: { hour: string; ballots: number }[];
}

/** `POST /api/v1/engagements/:id/ballots`: stored; nothing about the citizen is returned. */
export interface BallotAccepted {
  accepted: true;
  engagementId: string;
}

export type EngagementStage = 'result' | 'decision';

/** `GET /api/v1/engagements/deadlines`: the steps still to do, the soonest first. */
export interface EngagementDeadlines {
  items: {
    id: string;
    title: string;
    kindTitle: string;
    organizer: Named;
    stage: EngagementStage;
    stageTitle: string;
    dueAt: string;
    state: 'on_time' | 'at_risk' | 'overdue';
    /** Office time left, in words; null once overdue. */
    left: string | null;
  }[];
}

/** `GET /api/v1/engagements/breaches`: steps done late or not done by their term, for the discipline registry. */
export interface EngagementBreachList {
  items: {
    id: string;
    engagementId: string;
    engagementTitle: string;
    stage: EngagementStage;
    stageTitle: string;
    organization: Named;
    dueAt: string;
    detectedAt: string;
    completedAt: string | null;
    lateness: { workingMs: number; text: string } | null;
  }[];
}

/**
 * `GET /api/v1/public/engagements/:id`: what anyone may read once the result is published — no
 * personal data, no logins, the counts as published.
 */
export interface PublicEngagementResults {
  id: string;
  kind: EngagementKind;
  kindTitle: string;
  title: string;
  description: string | null;
  theme: { id: string; title: string };
  organizer: Named;
  territories: Named[];
  opensAt: string;
  closedAt: string;
  resultText: string | null;
  resultPublishedAt: string;
  results: EngagementResults;
  decision: { text: string; documentRef: string; decidedAt: string } | null;
}
