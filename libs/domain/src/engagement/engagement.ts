/**
 * Discussions, votes and surveys (order No. 733, items 1.3, 2.3 and 4): what an organizer sets up
 * and what a citizen's ballot may hold. Pure types and rules; storage and the API live elsewhere.
 */

export const ENGAGEMENT_KINDS = ['discussion', 'vote', 'survey'] as const;
export type EngagementKind = (typeof ENGAGEMENT_KINDS)[number];

export const ENGAGEMENT_KIND_TITLES: Record<EngagementKind, string> = {
  discussion: 'Обсуждение проекта документа',
  vote: 'Голосование',
  survey: 'Опрос',
};

/**
 * draft → published (open from `opensAt`) → closed (at `closesAt`, or early with a reason) →
 * result_published → decided (what was done about the result, by whom, with a document).
 */
export const ENGAGEMENT_STATUSES = ['draft', 'published', 'closed', 'result_published', 'decided'] as const;
export type EngagementStatus = (typeof ENGAGEMENT_STATUSES)[number];

export const ENGAGEMENT_STATUS_TITLES: Record<EngagementStatus, string> = {
  draft: 'Черновик',
  published: 'Опубликовано',
  closed: 'Завершено',
  result_published: 'Итоги опубликованы',
  decided: 'Решение принято',
};

/** A vote's options: a budget vote gives each a cost. */
export interface OptionDef {
  id: string;
  title: string;
  /** Roubles; set for every option of a budget vote, for none otherwise. */
  cost: number | null;
}

/** How a vote is cast. */
export interface VoteRules {
  /** 1: a single choice; more: up to that many options. */
  maxChoices: number;
  /** A budget vote: the chosen options' costs must fit it (null: not a budget vote). */
  budgetLimit: number | null;
  /** A budget vote's threshold (Decidim): the chosen options must spend at least this share of the limit, 0..1 (null: none). */
  minSpendShare: number | null;
}

export const QUESTION_TYPES = ['single', 'multiple', 'scale', 'text'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

/** A survey's question. `scale` is 1..5; `text` is free text up to `maxLength`. */
export interface QuestionDef {
  id: string;
  type: QuestionType;
  title: string;
  required: boolean;
  /** For single and multiple choice. */
  choices?: { id: string; title: string }[];
  /** For free text; default 2000. */
  maxLength?: number;
  /** Simple branching: the question is shown (and asked) only when the answer to `questionId` includes one of `choiceIds`. */
  showIf?: { questionId: string; choiceIds: string[] };
}

/** A survey answer: a choice id (single), choice ids (multiple), 1..5 (scale) or text. */
export type Answer = string | string[] | number;

/** What a citizen sends: options for a vote, answers for a survey (keyed by question id). */
export interface BallotInput {
  optionIds?: string[];
  answers?: Record<string, Answer>;
}

/** A refusal of a ballot, naming the field as the API reports it (`optionIds`, `answers.<questionId>`). */
export interface BallotProblem {
  field: string;
  message: string;
}

/** The engagement as far as checking a ballot needs it. */
export interface BallotRules {
  kind: EngagementKind;
  options: OptionDef[];
  vote: VoteRules | null;
  questions: QuestionDef[];
}
