import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** A history entry as the live updates send it, with the organization handling its message now. */
export interface LiveMessageEventRow {
  id: string;
  messageId: string;
  type: string;
  fromStatus: string | null;
  toStatus: string | null;
  organizationId: string | null;
  at: Date;
}

/** A deadline warning as the live updates send it. */
export interface LiveWarningRow {
  id: string;
  messageId: string;
  organizationId: string | null;
  kind: string;
  fraction: number;
  dueAt: Date;
  reachedAt: Date;
}

const EVENT_COLUMNS = `e.id::text AS id, e.message_id AS "messageId", e.type, e.from_status AS "fromStatus", e.to_status AS "toStatus",
  m.organization_id AS "organizationId", e.at`;
const WARNING_COLUMNS = `w.id::text AS id, w.message_id AS "messageId", w.organization_id AS "organizationId", w.kind, w.fraction,
  w.due_at AS "dueAt", w.reached_at AS "reachedAt"`;

/**
 * What the live updates tail reads: message history and deadline warnings by their bigint ids, in
 * order. The message's organization comes with each entry in the same query (one lookup per batch).
 */
@Injectable()
export class LiveEventRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The newest ids: where a tail starts. */
  async lastIds(): Promise<{ event: string; warning: string }> {
    const [row] = await this.dataSource.query<{ event: string; warning: string }[]>(
      `SELECT (SELECT coalesce(max(id), 0) FROM message_event)::text AS event, (SELECT coalesce(max(id), 0) FROM sla_warning)::text AS warning`,
    );
    return row;
  }

  /** History entries after an id, up to another (inclusive; null = no bound), oldest first. */
  async eventsAfter(after: string, upTo: string | null, limit: number): Promise<LiveMessageEventRow[]> {
    const rows = await this.dataSource.query<LiveMessageEventRow[]>(
      `SELECT ${EVENT_COLUMNS} FROM message_event e JOIN message m ON m.id = e.message_id
        WHERE e.id > $1::bigint AND ($2::bigint IS NULL OR e.id <= $2::bigint) ORDER BY e.id LIMIT $3`,
      [after, upTo, limit],
    );
    return rows.map(withDates);
  }

  async eventsByIds(ids: string[]): Promise<LiveMessageEventRow[]> {
    if (ids.length === 0) return [];
    const rows = await this.dataSource.query<LiveMessageEventRow[]>(
      `SELECT ${EVENT_COLUMNS} FROM message_event e JOIN message m ON m.id = e.message_id WHERE e.id = ANY($1::bigint[]) ORDER BY e.id`,
      [ids],
    );
    return rows.map(withDates);
  }

  async warningsAfter(after: string, upTo: string | null, limit: number): Promise<LiveWarningRow[]> {
    const rows = await this.dataSource.query<LiveWarningRow[]>(
      `SELECT ${WARNING_COLUMNS} FROM sla_warning w WHERE w.id > $1::bigint AND ($2::bigint IS NULL OR w.id <= $2::bigint) ORDER BY w.id LIMIT $3`,
      [after, upTo, limit],
    );
    return rows.map(withWarningDates);
  }

  async warningsByIds(ids: string[]): Promise<LiveWarningRow[]> {
    if (ids.length === 0) return [];
    const rows = await this.dataSource.query<LiveWarningRow[]>(`SELECT ${WARNING_COLUMNS} FROM sla_warning w WHERE w.id = ANY($1::bigint[]) ORDER BY w.id`, [
      ids,
    ]);
    return rows.map(withWarningDates);
  }

  /** Of these sessions, the ones still alive (not revoked, not expired). */
  async liveSessions(ids: string[], now: Date): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.dataSource.query<{ id: string }[]>(
      `SELECT id FROM auth_session WHERE id = ANY($1::uuid[]) AND revoked_at IS NULL AND expires_at > $2`,
      [ids, now],
    );
    return new Set(rows.map((r) => r.id));
  }
}

// Raw queries: the timestamps and the real made into one shape whatever the driver returns.
function withDates(row: LiveMessageEventRow): LiveMessageEventRow {
  return { ...row, at: new Date(row.at) };
}

function withWarningDates(row: LiveWarningRow): LiveWarningRow {
  return { ...row, fraction: Number(row.fraction), dueAt: new Date(row.dueAt), reachedAt: new Date(row.reachedAt) };
}
