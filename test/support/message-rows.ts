import { randomUUID } from 'node:crypto';
import { NewMessage } from '@cur/persistence';

/**
 * A new message's row as stored, at `at`, with every field a test does not give empty: new, not
 * routed, no due date, its external id its id. Tests that write rows directly (not through intake)
 * give only what they are about.
 */
export function messageRow(fields: Pick<NewMessage, 'channel' | 'source' | 'text'> & Partial<NewMessage>, at: Date = new Date()): NewMessage {
  const id = fields.id ?? randomUUID();
  return {
    id,
    region: '61',
    externalId: id,
    territoryId: null,
    territoryRaw: null,
    importance: 'normal',
    categoryCode: null,
    categoryHint: null,
    sourceCategory: null,
    sourceSubcategory: null,
    sourceFact: null,
    organizationId: null,
    organizationRaw: null,
    status: 'new',
    statusChangedAt: at,
    createdAt: at,
    receivedAt: at,
    dueAt: null,
    answeredAt: null,
    overdue: false,
    classification: null,
    url: null,
    pos: null,
    ...fields,
  };
}
