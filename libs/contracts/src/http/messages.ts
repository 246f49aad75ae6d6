/**
 * What the message endpoints return (`GET /api/v1/messages`, `GET /api/v1/messages/:id`). The
 * console imports these types, so a change here that breaks a screen fails the console's build.
 * Types only: nothing in this file may need a runtime import.
 */
import type { ConsoleView, QueueReason } from '@cur/domain';

export interface Named {
  id: string;
  name: string;
}

/** Why a message waits in the operator's queue. */
export type { QueueReason };

/** One row of a list. */
export interface MessageSummary {
  id: string;
  channel: string;
  channelTitle: string;
  status: string;
  statusTitle: string;
  importance: string;
  assignee: string | null;
  rating: number | null;
  duplicateOf: string | null;
  category: { code: string; name: string } | null;
  sourceCategory: string | null;
  territory: Named | null;
  organization: Named | null;
  dueAt: string | null;
  overdue: boolean;
  createdAt: string;
  receivedAt: string;
  /** The text's beginning (160 characters), for a list's line. */
  preview: string | null;
  /** In the operator's queue (needs_triage, moderation): why it is there; null elsewhere. */
  queueReason: QueueReason | null;
  queueReasonTitle: string | null;
  /**
   * In a search (`q`): the matched fragment of the text, plain text with each match between
   * \u0001 and \u0002 (the client escapes the text, then marks the matches); null when the match was
   * not in the text (a number, a phone).
   */
  highlight?: string | null;
}

/** `GET /api/v1/messages/:id/similar`: possible duplicates, most similar first. */
export interface SimilarPage {
  items: (MessageSummary & { similarity: number })[];
}

export interface MessagePage {
  items: MessageSummary[];
  nextCursor: string | null;
}

/** An action the caller may take on the message now, as the message life cycle decides. */
export interface MessageActionRef {
  action: string;
  title: string;
}

export interface ApplicantView {
  name: string | null;
  phone: string | null;
  email: string | null;
  epguId: string | null;
  /** True when the caller sees the masked form only. */
  masked: boolean;
}

/** How a screen names an actor or an assignee: a person by name (the login on hover), a system by what it does. */
export interface Person {
  name: string;
  /** The person's organization; absent for systems and people without one. */
  organization?: Named;
  system: boolean;
}

export interface HistoryEntry {
  at: string;
  type: string;
  /** The change in Russian («Направлено в организацию»). */
  typeTitle: string;
  fromStatus: string | null;
  toStatus: string | null;
  actor: string;
  reason: string | null;
  data: Record<string, unknown> | null;
}

export interface ClassificationView {
  method?: string;
  modelVersion?: string | null;
  threshold?: number | null;
  suggestions?: { code: string; probability: number }[];
  ruleId?: string;
  policyId?: string;
  queueReason?: QueueReason;
}

export interface MessageDetail extends MessageSummary {
  source: string;
  externalId: string | null;
  text: string;
  url: string | null;
  territoryRaw: string | null;
  organizationRaw: string | null;
  sourceSubcategory: string | null;
  sourceFact: string | null;
  classification: ClassificationView | null;
  pos: Record<string, unknown> | null;
  applicant: ApplicantView | null;
  history: HistoryEntry[];
  actions: MessageActionRef[];
  /** Names for every login the card shows (assignee, history actors), keyed by login. */
  people: Record<string, Person>;
}

/** `GET /api/v1/messages/:id/personal-data-access`: who was shown the applicant's personal data, for those who audit it. */
export interface PersonalDataAccessPage {
  items: {
    at: string;
    /** The login. */
    actor: string;
    organization: Named | null;
    /** Why it was shown: `message-view` (the card opened), `search` (a search matched it). */
    purpose: string;
    /** The applicant's fields shown: `name`, `phone`, `email`, `epguId`. */
    fields: string[];
  }[];
  /** Names for the actors, keyed by login. */
  people: Record<string, Person>;
}

/** A node of the category tree: a rubricator, a group of it, or a category (a leaf, with its code). */
export interface CategoryNode {
  id: string;
  name: string;
  code: string | null;
  children: CategoryNode[];
}

/** The region's names for screens (`GET /api/v1/catalog`): every code the API returns, in Russian. */
export interface Catalog {
  region: { code: string; name: string };
  categories: { code: string; name: string; rubricator: string; group: string | null }[];
  categoryTree: CategoryNode[];
  territories: Named[];
  organizations: (Named & { parentId: string | null; kind: string; territoryId: string | null })[];
  organizationKinds: Record<string, string>;
  statuses: Record<string, string>;
  channels: Record<string, string>;
  importances: Record<string, string>;
  /** Message actions' titles by action name. */
  actions: Record<string, string>;
  historyTypes: Record<string, string>;
  clockKinds: Record<string, string>;
  clockStates: Record<string, string>;
  /** Role codes and their Russian titles. */
  roles: Record<string, string>;
  systemActors: Record<string, string>;
}

/** The signed-in user (`GET /api/v1/auth/me`). */
export interface MeView {
  login: string;
  name: string;
  roles: string[];
  roleTitles: string[];
  organization: Named | null;
  /** The console's views this user may open, in the order of its menu. */
  views: ConsoleView[];
  /**
   * The routes behind a role rule that this user may call, as `METHOD /path` (e.g.
   * `POST /api/v1/classifier/retrain`): the console offers an action only where the server takes it.
   */
  permissions: string[];
}

export type { ConsoleView };

/** An error body of every endpoint. */
export interface ErrorBody {
  statusCode?: number;
  code?: string;
  message: string;
  errors?: { field: string; message: string }[];
}

/** `POST /api/v1/messages/bulk`: one action on many messages, each changed on its own. */
export type BulkAction = 'categorize' | 'route' | 'importance' | 'reject' | 'merge';

export type BulkItemResult =
  { id: string; ok: true; status: string } | { id: string; ok: false; code: string; message: string; errors?: { field: string; message: string }[] };

export interface BulkResult {
  action: BulkAction;
  at: string;
  total: number;
  succeeded: number;
  failed: number;
  results: BulkItemResult[];
}

/** The events of `GET /api/v1/events/stream` (server-sent events), by event name. */
export interface LiveMessageEvent {
  id: string;
  messageId: string;
  type: string;
  fromStatus: string | null;
  status: string | null;
  organizationId: string | null;
  at: string;
}

export interface LiveDeadlineWarning {
  id: string;
  messageId: string;
  organizationId: string | null;
  kind: string;
  fraction: number;
  dueAt: string;
  reachedAt: string;
}

/** `GET /api/v1/answer-templates?categoryCode=`: the category's own templates first, then those for every category. */
export interface AnswerTemplateView {
  id: string;
  categoryCode: string | null;
  category: { code: string; name: string } | null;
  title: string;
  body: string;
  version: number;
  createdBy: string;
  createdAt: string;
  updatedBy: string;
  updatedAt: string;
}

/** `GET /api/v1/answer-templates/:id/history`: the template (also once removed) and what admins did to it, oldest first. */
export interface AnswerTemplateHistory {
  template: AnswerTemplateView;
  items: AnswerTemplateEvent[];
  /** Names for the actors. */
  people: Record<string, Person>;
}

/** One change of a template: `before`/`after` hold only the fields it changed (categoryCode, title, body, active). */
export interface AnswerTemplateEvent {
  at: string;
  type: 'created' | 'updated' | 'removed';
  actor: string;
  reason: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/** `GET /api/v1/saved-views`: a user's own named list views; `query` is the list's query string. */
export interface SavedViewView {
  id: string;
  name: string;
  query: string;
  createdAt: string;
  updatedAt: string;
}
