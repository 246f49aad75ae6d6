import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

export type CommentStatus = 'visible' | 'hidden';

/** A comment as stored: the author only as a keyed hash. */
export interface CommentRow {
  id: string;
  engagementId: string;
  sectionId: string | null;
  parentId: string | null;
  authorKey: Buffer;
  text: string;
  status: CommentStatus;
  hiddenReason: string | null;
  hiddenBy: string | null;
  hiddenAt: Date | null;
  createdAt: Date;
}

/** A comment with its number of reports, for moderation. */
export interface ModeratedCommentRow extends CommentRow {
  reports: number;
}

const SELECT = `c.id, c.engagement_id AS "engagementId", c.section_id AS "sectionId", c.parent_id AS "parentId", c.author_key AS "authorKey",
  c.text, c.status, c.hidden_reason AS "hiddenReason", c.hidden_by AS "hiddenBy", c.hidden_at AS "hiddenAt", c.created_at AS "createdAt"`;

/** Comments on engagements, their reports and the engagements' author keys (raw SQL, as the engagements'). */
@Injectable()
export class EngagementCommentRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** The engagement's author key, made on first use; two first comments at once get the same one. */
  async authorKey(manager: EntityManager, engagementId: string): Promise<Buffer> {
    await manager.query(`INSERT INTO engagement_author_key (engagement_id, secret) VALUES ($1, $2) ON CONFLICT (engagement_id) DO NOTHING`, [
      engagementId,
      randomBytes(32),
    ]);
    const rows = await manager.query<{ secret: Buffer }[]>(`SELECT secret FROM engagement_author_key WHERE engagement_id = $1`, [engagementId]);
    return Buffer.from(rows[0].secret);
  }

  async insert(manager: EntityManager, row: Omit<CommentRow, 'status' | 'hiddenReason' | 'hiddenBy' | 'hiddenAt'>): Promise<void> {
    await manager.query(
      `INSERT INTO engagement_comment (id, engagement_id, section_id, parent_id, author_key, text, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [row.id, row.engagementId, row.sectionId, row.parentId, row.authorKey, row.text, row.createdAt],
    );
  }

  /** The comment of that engagement, locked for update when a manager is given with `lock`. */
  async find(manager: EntityManager, engagementId: string, id: string, lock = false): Promise<CommentRow | null> {
    const rows = await manager.query<CommentRow[]>(
      `SELECT ${SELECT} FROM engagement_comment c WHERE c.id = $1 AND c.engagement_id = $2${lock ? ' FOR UPDATE' : ''}`,
      [id, engagementId],
    );
    return rows[0] ? { ...rows[0], authorKey: Buffer.from(rows[0].authorKey) } : null;
  }

  /** False when this citizen has already reported the comment (the primary key decides). */
  async insertReport(manager: EntityManager, report: { commentId: string; reporterKey: Buffer; reason: string | null; createdAt: Date }): Promise<boolean> {
    const rows = await manager.query<unknown[]>(
      `INSERT INTO engagement_comment_report (comment_id, reporter_key, reason, created_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (comment_id, reporter_key) DO NOTHING RETURNING 1`,
      [report.commentId, report.reporterKey, report.reason, report.createdAt],
    );
    return rows.length > 0;
  }

  async countReports(manager: EntityManager, commentId: string): Promise<number> {
    const rows = await manager.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM engagement_comment_report WHERE comment_id = $1`, [commentId]);
    return rows[0].n;
  }

  async setStatus(
    manager: EntityManager,
    id: string,
    change: { status: CommentStatus; reason: string | null; by: string | null; at: Date | null },
  ): Promise<void> {
    await manager.query(`UPDATE engagement_comment SET status = $2, hidden_reason = $3, hidden_by = $4, hidden_at = $5 WHERE id = $1`, [
      id,
      change.status,
      change.reason,
      change.by,
      change.at,
    ]);
  }

  /** Every comment of the engagement, oldest first, with its reports counted. */
  async list(engagementId: string): Promise<ModeratedCommentRow[]> {
    const rows = await this.dataSource.query<ModeratedCommentRow[]>(
      `SELECT ${SELECT}, (SELECT count(*)::int FROM engagement_comment_report r WHERE r.comment_id = c.id) AS reports
       FROM engagement_comment c WHERE c.engagement_id = $1 ORDER BY c.created_at, c.id`,
      [engagementId],
    );
    return rows.map((r) => ({ ...r, authorKey: Buffer.from(r.authorKey) }));
  }

  /**
   * The free-text answers to these questions, each text once per ballot that gave it, sorted by
   * question and text: no ballot id, no hash, no time, and an order that says nothing of who or when.
   */
  textAnswers(engagementId: string, questionIds: string[]): Promise<{ questionId: string; text: string }[]> {
    if (!questionIds.length) return Promise.resolve([]);
    return this.dataSource.query(
      `SELECT a.key AS "questionId", a.value #>> '{}' AS text
       FROM engagement_ballot b, jsonb_each(b.answers) a
       WHERE b.engagement_id = $1 AND a.key = ANY($2) AND jsonb_typeof(a.value) = 'string' AND length(a.value #>> '{}') > 0
       ORDER BY 1, 2`,
      [engagementId, questionIds],
    );
  }
}
