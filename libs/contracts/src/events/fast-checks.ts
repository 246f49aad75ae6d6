import { isISO8601, isNumber, isUUID } from 'class-validator';
import { CHANNELS, MESSAGE_STATUSES } from '@cur/domain';

/**
 * Plain checks of the events every message passes through (received, status-changed, routed,
 * needs-triage), for the hot path: no class instance per event. Each accepts only what its
 * class's rules accept, using the same validator functions; anything it does not accept goes
 * to the class's validation, which decides and names the fields. So a check may be stricter
 * than its class, never looser (a unit test holds it to that on a corpus of good and bad events).
 */
type Check = (p: Record<string, unknown>) => boolean;

const STATUSES: ReadonlySet<unknown> = new Set(MESSAGE_STATUSES);
const METHODS: ReadonlySet<unknown> = new Set(['hint', 'keywords', 'model', 'operator', 'import']);
const QUEUE_REASONS: ReadonlySet<unknown> = new Set(['no_category', 'low_confidence', 'no_route', 'no_content']);
const CHANNEL_SET: ReadonlySet<unknown> = new Set(CHANNELS);

const str = (v: unknown): v is string => typeof v === 'string';
const instant = (v: unknown) => str(v) && (validInstants.has(v) || remember(v, isISO8601(v, { strict: true })));
const missing = (v: unknown) => v === undefined || v === null;

/**
 * Instants that passed the check. A batch's events carry the same few (its `now` as every
 * `occurredAt`, its due dates), and the strict ISO check (a long regex, then a date built to
 * catch 31 February) was the most of an event's check: 3% of intake's time. Only what passed is
 * kept, so nothing is accepted that the check would not accept.
 */
const validInstants = new Set<string>();

function remember(v: string, valid: boolean): boolean {
  if (!valid) return false;
  if (validInstants.size >= 1024) validInstants.clear();
  validInstants.add(v);
  return true;
}

function envelope(p: Record<string, unknown>, type: string): boolean {
  return p.type === type && p.version === 1 && isUUID(p.eventId) && instant(p.occurredAt) && str(p.region) && isUUID(p.messageId);
}

export const FAST_CHECKS: Record<string, Check> = {
  'message.received': (p) => envelope(p, 'message.received') && CHANNEL_SET.has(p.channel),
  'message.status-changed': (p) =>
    envelope(p, 'message.status-changed') &&
    (missing(p.fromStatus) || STATUSES.has(p.fromStatus)) &&
    STATUSES.has(p.toStatus) &&
    str(p.actor) &&
    (missing(p.reason) || str(p.reason)),
  'message.routed': (p) =>
    envelope(p, 'message.routed') && str(p.categoryCode) && str(p.organizationId) && (missing(p.dueAt) || instant(p.dueAt)) && METHODS.has(p.method),
  'message.needs-triage': (p) =>
    envelope(p, 'message.needs-triage') &&
    QUEUE_REASONS.has(p.reason) &&
    Array.isArray(p.suggestions) &&
    p.suggestions.every(
      (s: unknown) =>
        typeof s === 'object' &&
        s !== null &&
        !Array.isArray(s) &&
        str((s as Record<string, unknown>).code) &&
        isNumber((s as Record<string, unknown>).probability) &&
        ((s as Record<string, unknown>).probability as number) >= 0 &&
        ((s as Record<string, unknown>).probability as number) <= 1,
    ),
};
