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
