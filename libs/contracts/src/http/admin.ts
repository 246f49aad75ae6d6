/** The route table (`GET /api/v1/routing/rules`) and the access table (`GET /api/v1/admin/access`). Types only. */
import type { Named } from './messages';

export interface RoutingRuleView {
  id: string;
  /** The categories the rule covers by code, with names; empty with `groups` naming whole groups. */
  categories: { code: string; name: string }[];
  groups: string[];
  /** Empty: anywhere in the region. */
  territories: Named[];
  /** The organization, or null with `toTerritoryAdministration` for the administration of the message's territory. */
  organization: Named | null;
  toTerritoryAdministration: boolean;
}

export type AccessRuleView =
  { kind: 'public' } | { kind: 'api-key'; source: { field: string } | { fixed: string } } | { kind: 'signed-in' } | { kind: 'roles'; roles: string[] };

export interface RouteAccessView {
  method: string;
  path: string;
  access: AccessRuleView | null;
}

/** What an upload of the ПОС backoffice export did (`POST /api/v1/imports/pos/upload`). */
export interface PosImportResultView {
  imported: number;
  updated: number;
  skipped: number;
  errors: { row?: number; field: string; message: string }[];
  errorsOmitted: number;
  rejectedRows: number;
  unmappedOrganizations: string[];
}

/** `GET /api/v1/dead-letters`: events a consumer gave up on, newest first. */
export interface DeadLetterView {
  id: string;
  topic: string;
  /** The message id the event is keyed by. */
  key: string;
  consumer: string;
  partition: number | null;
  offset: string | null;
  error: string;
  attempts: number;
  deadLetteredAt: string;
  /** The correlation id of the request the event began with (in its record's headers; a replay sends it again): its log lines carry it. */
  correlationId: string | null;
  /** Only the fields its topic's contract declares; null with `payloadWithheld` saying why. */
  payload: object | null;
  payloadWithheld: string | null;
  replayable: boolean;
  replay: { at: string; by: string | null; reason: string | null } | null;
}

export interface DeadLetterPage {
  items: DeadLetterView[];
  nextCursor: string | null;
}

/** Something people must know about the running system (`GET /api/v1/notices`), for the caller's roles. */
export interface NoticeView {
  /** Stable for the same condition. */
  id: string;
  severity: 'info' | 'warning' | 'critical';
  title: string;
  text: string;
  audience: string[];
  since?: string;
}

export interface NoticeList {
  items: NoticeView[];
}
