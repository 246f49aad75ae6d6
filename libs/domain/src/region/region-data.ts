import { Channel, Importance } from '../message/channel';
import { DurationSpec } from '../deadlines/duration';

/** Plain region data, produced by the config loader after validation. No framework types here. */
export type TerritoryKind = 'city_district' | 'municipal_district';
export interface Territory {
  id: string;
  name: string;
  kind: TerritoryKind;
  oktmo?: string;
  /** Other spellings and case forms met in texts ("в Таганроге", "г. Таганрог"). */
  aliases: string[];
}

export type OrganizationKind = 'cur' | 'executive_body' | 'institution' | 'municipality';
export interface Organization {
  id: string;
  name: string;
  kind: OrganizationKind;
  parentId?: string;
  territoryId?: string;
  /** Names under which the organization appears in ПОС exports. */
  aliases: string[];
}

export type Rubricator = 'pos' | 'im';
export interface Category {
  code: string;
  name: string;
  rubricator: Rubricator;
  group?: string;
  keywords: string[];
  /** Answer term for this category; falls back to the channel default. */
  deadline?: DurationSpec;
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

export interface ChannelDeadlines {
  pos: DurationSpec;
  appeal: DurationSpec;
  social: Record<Importance, DurationSpec>;
}

export interface OfficeHours {
  /** Minutes after midnight, local time. */
  opensAt: number;
  closesAt: number;
}

export type CalendarDayKind = 'holiday' | 'day_off' | 'shortened' | 'working_weekend';
export interface CalendarDay {
  date: string; // YYYY-MM-DD
  kind: CalendarDayKind;
  name?: string;
}

export interface RegionData {
  code: string;
  name: string;
  timezoneOffsetMinutes: number;
  timezone: string;
  officeHours: OfficeHours;
  coordinatorOrganizationId: string;
  territories: Territory[];
  organizations: Organization[];
  categories: Category[];
  routingRules: RoutingRule[];
  deadlines: ChannelDeadlines;
  calendar: CalendarDay[];
  /** Years for which the calendar holds a decree. */
  calendarYears: number[];
  classifier: ClassifierSettings;
  /** Project-written phrasings per category code, for the bootstrap model. */
  classifierSeed: Record<string, string[]>;
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
