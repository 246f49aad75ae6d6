import type { CalendarYear, DeadlineSemantics, OfficeSchedule } from '@cur/calendar';
import { Channel } from '../message/channel';
import type { DisciplineRules } from '../discipline/discipline';
import type { SlaPolicies } from '../sla/sla-policy';

/** Plain region data, produced by the config loader after validation. No framework types here. */
export type TerritoryKind = 'city_district' | 'municipal_district';
export interface Territory {
  id: string;
  name: string;
  kind: TerritoryKind;
  oktmo?: string;
  /** Resident population (Rosstat's estimate; soft data): puts its municipality in a ratings peer group. */
  population?: number;
  /** Other spellings and case forms met in texts ("в Таганроге", "г. Таганрог"). */
  aliases: string[];
}

export type OrganizationKind = 'cur' | 'executive_body' | 'institution' | 'municipality';

/** One kind of organization, as a filter or a tree shows it. */
export const ORGANIZATION_KIND_TITLES: Record<OrganizationKind, string> = {
  cur: 'Центр управления регионом',
  executive_body: 'Орган исполнительной власти',
  institution: 'Учреждение',
  municipality: 'Администрация муниципального образования',
};

/** Organizations that answer citizens' messages. ЦУР coordinates and routes: a message handed to it waits for nobody. */
export function handlesMessages(organization: Pick<Organization, 'kind'>): boolean {
  return organization.kind !== 'cur';
}
export interface Organization {
  id: string;
  name: string;
  kind: OrganizationKind;
  parentId?: string;
  territoryId?: string;
  /** Names under which the organization appears in ПОС exports. */
  aliases: string[];
  /** Its own office hours, when they differ from the region's. */
  officeSchedule?: OfficeSchedule;
}

export type Rubricator = 'pos' | 'im';
export const RUBRICATOR_TITLES: Record<Rubricator, string> = { pos: 'Рубрикатор ПОС', im: 'Рубрикатор соцсетей (ИМ)' };
export interface Category {
  code: string;
  name: string;
  rubricator: Rubricator;
  group?: string;
  keywords: string[];
}

export interface RoutingRule {
  id: string;
  /** Exact category codes this rule covers; empty = any category of the group(s). */
  categories: string[];
  /** Category groups this rule covers. */
  groups: string[];
  /** Territory ids; empty = anywhere in the region. */
  territories: string[];
  /** An organization id, or "$territory" for the administration of the message's territory. */
  organization: string;
}

export interface WorkflowSettings {
  /** An executor's answer needs the head's approval before it is sent. */
  answerApproval: boolean;
  /** Ratings at or below this flag the answer for re-consideration review. */
  lowRatingAtMost: number;
}

/** Which messages the card suggests as duplicates of one another. */
export interface DuplicateSettings {
  /** Received at most this many days apart; a closed one only if closed within as many days. */
  windowDays: number;
  /** The least trigram similarity of the texts (pg_trgm), 0..1. */
  minSimilarity: number;
}

/** Discussions, votes and surveys (order No. 733, items 1.3, 2.3, 4). */
export interface EngagementSettings {
  /** The approved list of themes (item 2.3): an engagement takes one. */
  themes: { id: string; title: string }[];
  /** Working days from closing to publishing the result, and from publishing it to recording the decision, per kind. */
  timing: Record<'discussion' | 'vote' | 'survey', { resultWorkingDays: number; decisionWorkingDays: number }>;
  /** A comment reported this many times is hidden until a moderator looks at it. */
  hideCommentAfterReports: number;
}

export interface RegionData {
  code: string;
  name: string;
  /** IANA name; its UTC offset is checked to be constant over the calendar's years. */
  timezone: string;
  timezoneOffsetMinutes: number;
  /** The region's default office hours; organizations may have their own. */
  officeSchedule: OfficeSchedule;
  deadlineSemantics: DeadlineSemantics;
  /** What a date in a year without a decree does: refused, or counted by the Labour Code with a warning. */
  calendarMissingYear: 'refuse' | 'labour-code';
  coordinatorOrganizationId: string;
  territories: Territory[];
  organizations: Organization[];
  categories: Category[];
  routingRules: RoutingRule[];
  slaPolicies: SlaPolicies;
  discipline: DisciplineRules;
  /** The production calendar, one entry per year with a decree. */
  calendar: CalendarYear[];
  /** Its files are `config/calendar/<calendarFilePrefix>-<year>.json` (region.json `calendar`: "ru"). */
  calendarFilePrefix: string;
  classifier: ClassifierSettings;
  workflow: WorkflowSettings;
  duplicates: DuplicateSettings;
  /** Project-written phrasings per category code, for the bootstrap model. */
  classifierSeed: Record<string, string[]>;
  /** The organizations' league table (libs/reporting ratings). */
  ratings: RatingSettings;
  engagements: EngagementSettings;
}

/** The components of the ratings index, each scored 0..1 (libs/reporting/src/ratings/rating-formula.ts). */
export const RATING_COMPONENTS = ['onTime', 'overdue', 'reconsiderations', 'ratingMean', 'highRatings', 'timeToAnswer'] as const;
export type RatingComponent = (typeof RATING_COMPONENTS)[number];

/** A population band of municipalities, [min, max): a peer group of the league table. */
export interface PopulationBand {
  id: string;
  title: string;
  min?: number;
  max?: number;
}

export interface RatingSettings {
  /** Relative weights (any scale; the index divides by the sum of those with data). */
  weights: Record<RatingComponent, number>;
  targets: {
    /** Median time to answer of portal messages and appeals, in working days (federal target: 8). */
    answerWithinWorkingDays: number;
    /** Median time to answer of public messages, in working hours; absent: public messages have no time component. */
    answerWithinWorkingHours?: number;
    /** Share of ratings 4–5 (federal target: 0.6). */
    highRatingShareAtLeast: number;
  };
  /** Below this many judged messages (answered, or overdue at the end) an organization is listed without a rank. */
  minSample: number;
  populationBands: PopulationBand[];
}

export interface ClassifierSettings {
  minScore: number;
  minMargin: number;
  targetPrecision: number;
  holdoutShare: number;
  minHoldoutForActivation: number;
  retrainCron: string;
}

export const CHANNEL_RUBRICATOR: Record<Channel, Rubricator> = {
  pos: 'pos',
  appeal: 'pos',
  social: 'im',
};
