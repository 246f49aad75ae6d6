import { createHmac, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { RegionCatalog } from '@cur/config';
import type { CommentAccepted, CommentReported, ModeratedComment, ModeratedComments } from '@cur/contracts';
import { EngagementCommentRepository, EngagementRepository, EngagementRow, ModeratedCommentRow } from '@cur/persistence';
import { Clock, DomainException, ErrorCode, hasRole, Principal } from '@cur/platform';
import { ENGAGEMENT_ACTOR } from './engagements.service';

/** The reason recorded when citizens' reports hide a comment. */
export const HIDDEN_BY_REPORTS = 'скрыт по жалобам';

const STATUS_TITLES = { visible: 'Опубликован', hidden: 'Скрыт' } as const;

const notFound = () => new DomainException(ErrorCode.NotFound, 'Обсуждение, голосование или опрос не найдено');
const commentNotFound = () => new DomainException(ErrorCode.NotFound, 'Комментарий не найден');

/**
 * Citizens' comments on engagements (issue 14): on a discussion's sections, or on a vote or a
 * survey as a whole, threaded; taken from the portal (its API key) while the engagement is open,
 * as ballots are. Citizens report comments, once each, and enough reports hide a comment on their
 * own; the engagement's organizers hide and show comments with a reason. Every hiding and showing
 * goes into the engagement's history.
 *
 * The author is kept only as an HMAC of the citizen's id under the engagement's author key, a
 * secret apart from the ballots' one: the ballots' is erased at closing, the comments stay and
 * one author's comments must still be told together for moderation (see the migration).
 */
@Injectable()
export class EngagementCommentsService {
  constructor(
    private readonly engagements: EngagementRepository,
    private readonly comments: EngagementCommentRepository,
    private readonly region: RegionCatalog,
    private readonly clock: Clock,
  ) {}

  /** A citizen's comment: 201 while the engagement is open (409 outside), 400 naming a wrong section or parent. */
  async add(id: string, input: { citizenId: string; sectionId?: string; parentId?: string; text: string }): Promise<CommentAccepted> {
    return this.comments.transaction(async (manager) => {
      // Shared with ballots, exclusive with closing and changes: no comment slips in as it closes.
      const row = await this.engagements.lock(manager, id, 'share');
      if (!row || row.status === 'draft') throw notFound();
      const now = this.clock.now();
      if (row.status !== 'published' || now >= row.closesAt) throw new DomainException(ErrorCode.Conflict, 'Обсуждение завершено: комментарий не принят');
      if (now < row.opensAt) throw new DomainException(ErrorCode.Conflict, 'Обсуждение ещё не началось: комментарий не принят');
      const text = input.text.trim();
      if (!text) throw invalid('text', 'Текст: не может быть пустым');
      let sectionId = input.sectionId ?? null;
      if (sectionId !== null && !row.document?.sections.some((s) => s.id === sectionId))
        throw invalid('sectionId', row.document ? 'Раздел: нет такого раздела в документе' : 'Раздел: у этого голосования или опроса нет документа');
      let parentId: string | null = null;
      if (input.parentId !== undefined) {
        const parent = UUID.test(input.parentId) ? await this.comments.find(manager, id, input.parentId) : null;
        if (!parent) throw invalid('parentId', 'Ответ: нет такого комментария в этом обсуждении');
        if (sectionId !== null && parent.sectionId !== sectionId) throw invalid('sectionId', 'Раздел: ответ относится к разделу исходного комментария');
        parentId = parent.id;
        sectionId = parent.sectionId;
      }
      const key = await this.comments.authorKey(manager, id);
      const comment = { id: randomUUID(), engagementId: id, sectionId, parentId, authorKey: pseudonym(key, input.citizenId), text, createdAt: now };
      await this.comments.insert(manager, comment);
      return { id: comment.id };
    });
  }

  /**
   * A citizen's report of a comment, counted once per citizen (the primary key decides, also for
   * reports sent at the same instant). The report that reaches the region's
   * `hideCommentAfterReports` hides a visible comment, in the history as `system:engagements`;
   * a comment an organizer has shown again stays shown as reports go on past it.
   */
  async report(id: string, commentId: string, input: { citizenId: string; reason?: string }): Promise<CommentReported> {
    const threshold = this.region.data.engagements.hideCommentAfterReports;
    return this.comments.transaction(async (manager) => {
      const row = await this.engagements.find(id, manager);
      if (!row || row.status === 'draft') throw notFound();
      // Reports of one comment wait for each other here: the count below is theirs alone.
      const comment = await this.comments.find(manager, id, commentId, true);
      if (!comment) throw commentNotFound();
      const now = this.clock.now();
      const key = await this.comments.authorKey(manager, id);
      const counted = await this.comments.insertReport(manager, {
        commentId,
        reporterKey: pseudonym(key, input.citizenId),
        reason: input.reason?.trim() || null,
        createdAt: now,
      });
      if (!counted) return { counted, hidden: comment.status === 'hidden' };
      const reports = await this.comments.countReports(manager, commentId);
      if (comment.status === 'visible' && reports === threshold) {
        await this.comments.setStatus(manager, commentId, { status: 'hidden', reason: HIDDEN_BY_REPORTS, by: ENGAGEMENT_ACTOR, at: now });
        await this.engagements.addEvent(manager, id, {
          type: 'comment-hidden',
          actor: ENGAGEMENT_ACTOR,
          reason: HIDDEN_BY_REPORTS,
          data: { commentId, reports },
          at: now,
        });
        return { counted, hidden: true };
      }
      return { counted, hidden: comment.status === 'hidden' };
    });
  }

  /** The whole thread for moderation: organizers their organization's, supervisors every one. */
  async list(id: string, by: Principal): Promise<ModeratedComments> {
    const row = await this.engagements.find(id);
    // Supervisors read every one; anyone else only their own organization's (none without one).
    const scope = hasRole(by, 'supervisor') ? null : (by.organizationId ?? '');
    if (!row || (scope !== null && row.organizerOrganizationId !== scope)) throw notFound();
    const rows = await this.comments.list(id);
    return { items: this.thread(row, rows), total: rows.length, hidden: rows.filter((r) => r.status === 'hidden').length };
  }

  hide(id: string, commentId: string, reason: string, by: Principal): Promise<ModeratedComments> {
    return this.moderate(id, commentId, 'hidden', reason, by);
  }

  show(id: string, commentId: string, reason: string, by: Principal): Promise<ModeratedComments> {
    return this.moderate(id, commentId, 'visible', reason, by);
  }

  /** An organizer of the engagement's organization hides or shows a comment, with a reason, in the history. */
  private async moderate(id: string, commentId: string, status: 'hidden' | 'visible', reason: string, by: Principal): Promise<ModeratedComments> {
    if (!by.organizationId) throw new DomainException(ErrorCode.Forbidden, 'Организатор должен быть привязан к организации');
    const now = this.clock.now();
    await this.comments.transaction(async (manager: EntityManager) => {
      const row = await this.engagements.find(id, manager);
      if (!row || row.organizerOrganizationId !== by.organizationId) throw notFound();
      const comment = await this.comments.find(manager, id, commentId, true);
      if (!comment) throw commentNotFound();
      if (comment.status === status) throw new DomainException(ErrorCode.Conflict, status === 'hidden' ? 'Комментарий уже скрыт' : 'Комментарий уже показан');
      const text = reason.trim();
      if (!text) throw invalid('reason', 'Причина: укажите');
      await this.comments.setStatus(
        manager,
        commentId,
        status === 'hidden' ? { status, reason: text, by: by.login, at: now } : { status, reason: null, by: null, at: null },
      );
      await this.engagements.addEvent(manager, id, {
        type: status === 'hidden' ? 'comment-hidden' : 'comment-shown',
        actor: by.login,
        reason: text,
        data: { commentId },
        at: now,
      });
    });
    return this.list(id, by);
  }

  /** Threads from a flat list, oldest first; authors as «Участник N» in order of their first comment. */
  private thread(row: EngagementRow, rows: ModeratedCommentRow[]): ModeratedComment[] {
    const authors = new Map<string, number>();
    const sections = new Map((row.document?.sections ?? []).map((s) => [s.id, s.title]));
    const nodes = new Map<string, ModeratedComment>();
    for (const r of rows) {
      const hex = r.authorKey.toString('hex');
      if (!authors.has(hex)) authors.set(hex, authors.size + 1);
      nodes.set(r.id, {
        id: r.id,
        sectionId: r.sectionId,
        sectionTitle: r.sectionId === null ? null : (sections.get(r.sectionId) ?? null),
        parentId: r.parentId,
        author: `Участник ${authors.get(hex)}`,
        text: r.text,
        status: r.status,
        statusTitle: STATUS_TITLES[r.status],
        hiddenReason: r.hiddenReason,
        hiddenBy: r.hiddenBy,
        hiddenAt: r.hiddenAt ? this.region.zone.format(r.hiddenAt) : null,
        reports: r.reports,
        createdAt: this.region.zone.format(r.createdAt),
        replies: [],
      });
    }
    const roots: ModeratedComment[] = [];
    for (const node of nodes.values()) {
      const parent = node.parentId === null ? undefined : nodes.get(node.parentId);
      (parent ? parent.replies : roots).push(node);
    }
    return roots;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const invalid = (field: string, message: string) =>
  new DomainException(ErrorCode.ValidationFailed, 'Комментарий не принят: проверьте поля', [{ field, message }]);

/** The citizen as this engagement's commenters and reporters are told apart: a keyed hash, never the id. */
function pseudonym(key: Buffer, citizenId: string): Buffer {
  return createHmac('sha256', key).update(citizenId.trim()).digest();
}
