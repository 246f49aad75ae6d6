import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Answer, EngagementKind, EngagementStatus, OptionDef, QuestionDef, VoteRules } from '@cur/domain';

/** An engagement as stored. */
export interface EngagementRow {
  id: string;
  kind: EngagementKind;
  status: EngagementStatus;
  title: string;
  description: string | null;
  theme: string;
  organizerOrganizationId: string;
  territoryIds: string[];
  opensAt: Date;
  closesAt: Date;
  options: OptionDef[];
  vote: VoteRules | null;
  questions: QuestionDef[];
  document: { title: string; version: number; sections: { id: string; title: string; text: string }[] } | null;
  closedAt: Date | null;
  closeReason: string | null;
  result: Record<string, unknown> | null;
  resultText: string | null;
  resultPublishedAt: Date | null;
  decision: { text: string; documentRef: string; decidedBy: string; decidedAt: string } | null;
  decidedAt: Date | null;
  /** The timing (order No. 733, item 4): null until the step's term starts, or while the calendar lacks its year. */
  resultDueAt: Date | null;
  resultWarnAt: Date | null;
  resultWarnedAt: Date | null;
  decisionDueAt: Date | null;
  decisionWarnAt: Date | null;
  decisionWarnedAt: Date | null;
  version: number;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

const COLUMNS: Record<keyof EngagementRow, string> = {
  id: 'id',
  kind: 'kind',
  status: 'status',
  title: 'title',
  description: 'description',
  theme: 'theme',
  organizerOrganizationId: 'organizer_organization_id',
  territoryIds: 'territory_ids',
  opensAt: 'opens_at',
  closesAt: 'closes_at',
  options: 'options',
  vote: 'vote',
  questions: 'questions',
  document: 'document',
  closedAt: 'closed_at',
  closeReason: 'close_reason',
  result: 'result',
  resultText: 'result_text',
  resultPublishedAt: 'result_published_at',
  decision: 'decision',
  decidedAt: 'decided_at',
  resultDueAt: 'result_due_at',
  resultWarnAt: 'result_warn_at',
  resultWarnedAt: 'result_warned_at',
  decisionDueAt: 'decision_due_at',
  decisionWarnAt: 'decision_warn_at',
  decisionWarnedAt: 'decision_warned_at',
  version: 'version',
  createdBy: 'created_by',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
};
const JSON_COLUMNS = new Set<keyof EngagementRow>(['options', 'vote', 'questions', 'document', 'result', 'decision']);
const SELECT = Object.entries(COLUMNS)
  .map(([field, column]) => `e.${column} AS "${field}"`)
  .join(', ');

export interface EngagementEventRow {
  type: string;
  actor: string;
  reason: string | null;
  data: Record<string, unknown> | null;
  at: Date;
}

export type EngagementStage = 'result' | 'decision';

export interface EngagementBreachRow {
  id: string;
  engagementId: string;
  stage: EngagementStage;
  organizationId: string;
  dueAt: Date;
  detectedAt: Date;
  completedAt: Date | null;
  latenessWorkingMs: number | null;
}

export interface NewBallot {
  id: string;
  engagementId: string;
  voterKey: Buffer;
  optionIds: string[];
  answers: Record<string, Answer> | null;
  castHour: Date;
}

/** Engagements, their history, their secrets and their ballots (raw SQL: a ballot is a few columns, counted by the million). */
@Injectable()
export class EngagementRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async insert(manager: EntityManager, row: EngagementRow): Promise<void> {
    const fields = Object.keys(COLUMNS) as (keyof EngagementRow)[];
    await manager.query(
      `INSERT INTO engagement (${fields.map((f) => COLUMNS[f]).join(', ')}) VALUES (${fields.map((_, i) => `$${i + 1}`).join(', ')})`,
      fields.map((f) => (JSON_COLUMNS.has(f) && row[f] !== null ? JSON.stringify(row[f]) : row[f])),
    );
  }

  /** Changes some fields and bumps the version. */
  async update(manager: EntityManager, id: string, changes: Partial<EngagementRow>): Promise<void> {
    const fields = (Object.keys(changes) as (keyof EngagementRow)[]).filter((f) => f !== 'id' && f !== 'version');
    const values = fields.map((f) => (JSON_COLUMNS.has(f) && changes[f] !== null ? JSON.stringify(changes[f]) : changes[f]));
    await manager.query(`UPDATE engagement SET ${[...fields.map((f, i) => `${COLUMNS[f]} = $${i + 2}`), 'version = version + 1'].join(', ')} WHERE id = $1`, [
      id,
      ...values,
    ]);
  }

  /**
   * The row, locked: `update` for a change of the engagement (a ballot waits for it), `share` for
   * a ballot (many ballots at once, none while the engagement changes or closes).
   */
  async lock(manager: EntityManager, id: string, mode: 'update' | 'share'): Promise<EngagementRow | null> {
    const rows = await manager.query<EngagementRow[]>(`SELECT ${SELECT} FROM engagement e WHERE e.id = $1 FOR ${mode === 'update' ? 'UPDATE' : 'SHARE'}`, [id]);
    return rows[0] ?? null;
  }

  /** Inside a transaction, pass its manager: the embedded database has one connection, which the transaction holds. */
  async find(id: string, manager: EntityManager = this.dataSource.manager): Promise<EngagementRow | null> {
    const rows = await manager.query<EngagementRow[]>(`SELECT ${SELECT} FROM engagement e WHERE e.id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** Newest first; `organizationIds` null: all. */
  list(filter: { organizationIds: string[] | null; status?: EngagementStatus }): Promise<EngagementRow[]> {
    return this.dataSource.query<EngagementRow[]>(
      `SELECT ${SELECT} FROM engagement e
       WHERE ($1::text[] IS NULL OR e.organizer_organization_id = ANY($1)) AND ($2::text IS NULL OR e.status = $2)
       ORDER BY e.created_at DESC, e.id LIMIT 500`,
      [filter.organizationIds, filter.status ?? null],
    );
  }

  /** Engagements with a step (result, decision) still to do whose warning instant has come. */
  async stepsDue(now: Date): Promise<{ id: string; stage: EngagementStage }[]> {
    return this.dataSource.query(
      `SELECT id, 'result' AS stage FROM engagement e
       WHERE status = 'closed' AND result_warn_at <= $1
         AND (result_warned_at IS NULL OR (result_due_at <= $1 AND NOT EXISTS (SELECT 1 FROM engagement_breach b WHERE b.engagement_id = e.id AND b.stage = 'result')))
       UNION ALL
       SELECT id, 'decision' AS stage FROM engagement e
       WHERE status = 'result_published' AND decision_warn_at <= $1
         AND (decision_warned_at IS NULL OR (decision_due_at <= $1 AND NOT EXISTS (SELECT 1 FROM engagement_breach b WHERE b.engagement_id = e.id AND b.stage = 'decision')))`,
      [now],
    );
  }

  /** Records a breach once per engagement and stage; false when it was already recorded. */
  async insertBreach(manager: EntityManager, breach: EngagementBreachRow): Promise<boolean> {
    const rows = await manager.query<unknown[]>(
      `INSERT INTO engagement_breach (id, engagement_id, stage, organization_id, due_at, detected_at, completed_at, lateness_working_ms)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT ON CONSTRAINT uq_engagement_breach_stage DO NOTHING RETURNING 1`,
      [breach.id, breach.engagementId, breach.stage, breach.organizationId, breach.dueAt, breach.detectedAt, breach.completedAt, breach.latenessWorkingMs],
    );
    return rows.length > 0;
  }

  /** A late step done: its breach gets the instant and the lateness. */
  async completeBreach(manager: EntityManager, engagementId: string, stage: EngagementStage, completedAt: Date, latenessWorkingMs: number): Promise<void> {
    await manager.query(
      `UPDATE engagement_breach SET completed_at = $3, lateness_working_ms = $4 WHERE engagement_id = $1 AND stage = $2 AND completed_at IS NULL`,
      [engagementId, stage, completedAt, latenessWorkingMs],
    );
  }

  /** Breaches, newest first; `organizationIds` null: all. */
  breaches(filter: { organizationIds: string[] | null; engagementId?: string }): Promise<EngagementBreachRow[]> {
    return this.dataSource.query(
      `SELECT id, engagement_id AS "engagementId", stage, organization_id AS "organizationId", due_at AS "dueAt", detected_at AS "detectedAt",
              completed_at AS "completedAt", lateness_working_ms::float8 AS "latenessWorkingMs"
       FROM engagement_breach
       WHERE ($1::text[] IS NULL OR organization_id = ANY($1)) AND ($2::uuid IS NULL OR engagement_id = $2)
       ORDER BY due_at DESC, id LIMIT 1000`,
      [filter.organizationIds, filter.engagementId ?? null],
    );
  }

  /**
   * Engagements with a step in [from, to): closed, result published or decision recorded in the
   * month, with their ballots; `organizationIds` null: all organizers.
   */
  monthEngagements(from: Date, to: Date, organizationIds: string[] | null): Promise<(EngagementRow & { ballots: number })[]> {
    return this.dataSource.query(
      `SELECT ${SELECT}, (SELECT count(*)::int FROM engagement_ballot b WHERE b.engagement_id = e.id) AS ballots
       FROM engagement e
       WHERE ($3::text[] IS NULL OR e.organizer_organization_id = ANY($3))
         AND ((e.closed_at >= $1 AND e.closed_at < $2) OR (e.result_published_at >= $1 AND e.result_published_at < $2) OR (e.decided_at >= $1 AND e.decided_at < $2))
       ORDER BY e.closed_at, e.title`,
      [from, to, organizationIds],
    );
  }

  /** Published engagements whose closing time has come. */
  async dueToClose(now: Date): Promise<string[]> {
    const rows = await this.dataSource.query<{ id: string }[]>(`SELECT id FROM engagement WHERE status = 'published' AND closes_at <= $1 ORDER BY closes_at`, [
      now,
    ]);
    return rows.map((r) => r.id);
  }

  async addEvent(manager: EntityManager, engagementId: string, event: EngagementEventRow): Promise<void> {
    await manager.query(`INSERT INTO engagement_event (engagement_id, type, actor, reason, data, at) VALUES ($1, $2, $3, $4, $5, $6)`, [
      engagementId,
      event.type,
      event.actor,
      event.reason,
      event.data === null ? null : JSON.stringify(event.data),
      event.at,
    ]);
  }

  events(engagementId: string): Promise<EngagementEventRow[]> {
    return this.dataSource.query<EngagementEventRow[]>(`SELECT type, actor, reason, data, at FROM engagement_event WHERE engagement_id = $1 ORDER BY id`, [
      engagementId,
    ]);
  }

  async insertSecret(manager: EntityManager, engagementId: string, secret: Buffer): Promise<void> {
    await manager.query(`INSERT INTO engagement_secret (engagement_id, secret) VALUES ($1, $2)`, [engagementId, secret]);
  }

  async secretOf(manager: EntityManager, engagementId: string): Promise<Buffer | null> {
    const rows = await manager.query<{ secret: Buffer }[]>(`SELECT secret FROM engagement_secret WHERE engagement_id = $1`, [engagementId]);
    return rows[0] ? Buffer.from(rows[0].secret) : null;
  }

  /** At closing: from then on no ballot can be tied to a citizen id, by anyone. */
  async eraseSecret(manager: EntityManager, engagementId: string): Promise<void> {
    await manager.query(`DELETE FROM engagement_secret WHERE engagement_id = $1`, [engagementId]);
  }

  /** False when this citizen's ballot is already there: the unique key decides, also for ballots sent at the same instant. */
  async insertBallot(manager: EntityManager, ballot: NewBallot): Promise<boolean> {
    const rows = await manager.query<unknown[]>(
      `INSERT INTO engagement_ballot (id, engagement_id, voter_key, option_ids, answers, cast_hour) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT ON CONSTRAINT uq_engagement_ballot_voter DO NOTHING RETURNING 1`,
      [ballot.id, ballot.engagementId, ballot.voterKey, ballot.optionIds, ballot.answers === null ? null : JSON.stringify(ballot.answers), ballot.castHour],
    );
    return rows.length > 0;
  }

  async countBallots(engagementId: string, manager: EntityManager = this.dataSource.manager): Promise<number> {
    const rows = await manager.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM engagement_ballot WHERE engagement_id = $1`, [engagementId]);
    return rows[0].n;
  }

  async countsByEngagement(ids: string[]): Promise<Map<string, number>> {
    if (!ids.length) return new Map();
    const rows = await this.dataSource.query<{ id: string; n: number }[]>(
      `SELECT engagement_id AS id, count(*)::int AS n FROM engagement_ballot WHERE engagement_id = ANY($1) GROUP BY 1`,
      [ids],
    );
    return new Map(rows.map((r) => [r.id, r.n]));
  }

  /** Votes per option. */
  optionCounts(engagementId: string): Promise<{ optionId: string; votes: number }[]> {
    return this.dataSource.query(
      `SELECT o AS "optionId", count(*)::int AS votes FROM engagement_ballot b, unnest(b.option_ids) o WHERE b.engagement_id = $1 GROUP BY o`,
      [engagementId],
    );
  }

  /**
   * Answers per question and value, choice and scale questions only (`countable`); free-text
   * questions get the number of ballots that answered them (`texts`).
   */
  async answerCounts(engagementId: string, countable: string[], texts: string[]): Promise<{ questionId: string; value: string; n: number }[]> {
    const counted = countable.length
      ? await this.dataSource.query<{ questionId: string; value: string; n: number }[]>(
          `SELECT a.key AS "questionId", v.value, count(*)::int AS n
           FROM engagement_ballot b, jsonb_each(b.answers) a,
                LATERAL jsonb_array_elements_text(CASE jsonb_typeof(a.value) WHEN 'array' THEN a.value ELSE jsonb_build_array(a.value) END) v(value)
           WHERE b.engagement_id = $1 AND a.key = ANY($2)
           GROUP BY 1, 2`,
          [engagementId, countable],
        )
      : [];
    const answered = texts.length
      ? await this.dataSource.query<{ questionId: string; value: string; n: number }[]>(
          `SELECT q AS "questionId", 'answered' AS value, count(*)::int AS n
           FROM engagement_ballot b, unnest($2::text[]) q
           WHERE b.engagement_id = $1 AND b.answers ? q
           GROUP BY 1`,
          [engagementId, texts],
        )
      : [];
    return [...counted, ...answered];
  }

  /** Ballots per hour cast. */
  byHour(engagementId: string): Promise<{ hour: Date; ballots: number }[]> {
    return this.dataSource.query(`SELECT cast_hour AS hour, count(*)::int AS ballots FROM engagement_ballot WHERE engagement_id = $1 GROUP BY 1 ORDER BY 1`, [
      engagementId,
    ]);
  }
}
