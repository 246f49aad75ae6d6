import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { MissingCalendarYearError, workingDurationText } from '@cur/calendar';
import { RegionCatalog } from '@cur/config';
import type {
  BallotAccepted,
  EngagementAction,
  EngagementBreachList,
  EngagementDeadlines,
  EngagementHistory,
  EngagementList,
  EngagementResults,
  EngagementThemes,
  EngagementView,
  PublicEngagementResults,
} from '@cur/contracts';
import {
  ballotProblems,
  BallotInput,
  BallotProblem,
  definitionProblems,
  ENGAGEMENT_KIND_TITLES,
  ENGAGEMENT_STATUS_TITLES,
  EngagementKind,
  EngagementStatus,
  frozenChangeProblems,
  OptionDef,
  QuestionDef,
  VoteRules,
} from '@cur/domain';
import { AuthRepository, EngagementBreachRow, EngagementRepository, EngagementRow, EngagementStage } from '@cur/persistence';
import { Clock, DomainException, ErrorCode, hasRole, Principal } from '@cur/platform';

/** Who closes engagements on time. */
export const ENGAGEMENT_ACTOR = 'system:engagements';

const EVENT_TITLES: Record<string, string> = {
  created: 'Создано',
  updated: 'Изменено',
  published: 'Опубликовано',
  closed: 'Завершено по сроку',
  'closed-early': 'Завершено досрочно',
  'result-published': 'Итоги опубликованы',
  'decision-recorded': 'Решение записано',
  'result-due-soon': 'Срок публикации итогов на исходе',
  'result-overdue': 'Срок публикации итогов нарушен',
  'decision-due-soon': 'Срок принятия решения на исходе',
  'decision-overdue': 'Срок принятия решения нарушен',
  'comment-hidden': 'Комментарий скрыт',
  'comment-shown': 'Комментарий показан',
};

const STAGE_TITLES: Record<EngagementStage, string> = { result: 'публикация итогов', decision: 'решение по итогам' };

/** What an organizer sends to create or change an engagement (already checked field by field by the DTO). */
export interface EngagementDraft {
  kind: EngagementKind;
  title: string;
  description?: string | null;
  theme: string;
  territoryIds?: string[];
  opensAt: string;
  closesAt: string;
  maxChoices?: number;
  budgetLimit?: number | null;
  minSpendShare?: number | null;
  options?: { id?: string; title: string; cost?: number | null }[];
  questions?: (Omit<QuestionDef, 'id' | 'choices'> & { id?: string; choices?: { id?: string; title: string }[] })[];
  document?: { title: string; sections: { id?: string; title: string; text: string }[] } | null;
}

const invalid = (problems: BallotProblem[], message = 'Проверьте поля') => new DomainException(ErrorCode.ValidationFailed, message, problems);

/**
 * Discussions, votes and surveys (order No. 733, items 1.3, 2.3, 4): an organizer's engagement from
 * draft to the decision on its result, and the citizens' ballots. Organizers manage their own
 * organization's; supervisors read every one; anyone else is refused by the controller's roles.
 * A ballot is stored under an HMAC of the citizen's id with the engagement's own secret, unique per
 * engagement, and the secret is erased at closing.
 */
@Injectable()
export class EngagementsService {
  constructor(
    private readonly engagements: EngagementRepository,
    private readonly region: RegionCatalog,
    private readonly clock: Clock,
    private readonly users: AuthRepository,
  ) {}

  themes(): EngagementThemes {
    return { items: this.region.data.engagements.themes.map((t) => ({ ...t })) };
  }

  async list(by: Principal, status?: EngagementStatus): Promise<EngagementList> {
    const rows = await this.engagements.list({ organizationIds: this.scope(by), status });
    const counts = await this.engagements.countsByEngagement(rows.map((r) => r.id));
    return { items: rows.map((r) => this.view(r, counts.get(r.id) ?? 0, by)) };
  }

  async get(id: string, by: Principal): Promise<EngagementView> {
    const row = await this.readable(id, by);
    return this.view(row, await this.engagements.countBallots(id), by);
  }

  async create(draft: EngagementDraft, by: Principal): Promise<EngagementView> {
    const organizationId = this.organizerOf(by);
    const now = this.clock.now();
    const row: EngagementRow = {
      id: randomUUID(),
      status: 'draft',
      organizerOrganizationId: organizationId,
      ...this.definition(draft),
      closedAt: null,
      closeReason: null,
      result: null,
      resultText: null,
      resultPublishedAt: null,
      decision: null,
      decidedAt: null,
      resultDueAt: null,
      resultWarnAt: null,
      resultWarnedAt: null,
      decisionDueAt: null,
      decisionWarnAt: null,
      decisionWarnedAt: null,
      version: 1,
      createdBy: by.login,
      createdAt: now,
      updatedAt: now,
    };
    await this.engagements.transaction(async (manager) => {
      await this.engagements.insert(manager, row);
      await this.engagements.addEvent(manager, row.id, { type: 'created', actor: by.login, reason: null, data: null, at: now });
    });
    return this.view(row, 0, by);
  }

  /**
   * A draft changes freely. Once published: the kind never; the opening time not once it has come;
   * the options, costs, limits and questions not once a ballot exists (the rules people voted
   * under stay as they were). Closed engagements do not change.
   */
  async update(id: string, draft: EngagementDraft & { version?: number; reason?: string }, by: Principal): Promise<EngagementView> {
    const now = this.clock.now();
    const ballots = await this.change(id, by, async (manager, row) => {
      if (draft.version !== undefined && draft.version !== row.version)
        throw new DomainException(ErrorCode.Conflict, 'Пока вы редактировали, его изменили: откройте заново', [
          { field: 'version', message: `текущая версия ${row.version}` },
        ]);
      if (row.status !== 'draft' && row.status !== 'published')
        throw new DomainException(ErrorCode.Conflict, `${ENGAGEMENT_STATUS_TITLES[row.status]}: менять уже нельзя`);
      if (draft.kind !== row.kind) throw invalid([{ field: 'kind', message: 'Вид: менять нельзя, создайте новое' }]);
      const next = this.definition(draft, row);
      const count = await this.engagements.countBallots(id, manager);
      if (row.status === 'published') {
        const problems: BallotProblem[] = [];
        if (count > 0) problems.push(...frozenChangeProblems(this.rules(row), this.rules(next)));
        if (row.opensAt <= now && next.opensAt.getTime() !== row.opensAt.getTime())
          problems.push({ field: 'opensAt', message: 'приём голосов уже начался: время начала не меняется' });
        if (next.closesAt <= now) problems.push({ field: 'closesAt', message: 'должно быть в будущем' });
        problems.push(...definitionProblems(this.rules(next)));
        if (problems.length) throw new DomainException(ErrorCode.Conflict, 'Изменение невозможно', problems);
      }
      await this.engagements.update(manager, id, { ...next, updatedAt: now });
      await this.engagements.addEvent(manager, id, { type: 'updated', actor: by.login, reason: draft.reason ?? null, data: null, at: now });
      return count;
    });
    return this.view((await this.engagements.find(id))!, ballots, by);
  }

  async publish(id: string, by: Principal): Promise<EngagementView> {
    const now = this.clock.now();
    await this.change(id, by, async (manager, row) => {
      if (row.status !== 'draft') throw new DomainException(ErrorCode.Conflict, 'Опубликовать можно только черновик');
      const problems = definitionProblems(this.rules(row));
      if (row.closesAt <= now) problems.push({ field: 'closesAt', message: 'должно быть в будущем' });
      if (problems.length) throw invalid(problems, 'Перед публикацией исправьте поля');
      await this.engagements.insertSecret(manager, id, randomBytes(32));
      await this.engagements.update(manager, id, { status: 'published', updatedAt: now });
      await this.engagements.addEvent(manager, id, { type: 'published', actor: by.login, reason: null, data: null, at: now });
    });
    return this.get(id, by);
  }

  /** Early closing, with a reason; on time, the watch closes it (`closeDue`). */
  async close(id: string, reason: string, by: Principal): Promise<EngagementView> {
    const now = this.clock.now();
    await this.change(id, by, async (manager, row) => {
      if (row.status !== 'published') throw new DomainException(ErrorCode.Conflict, 'Завершить можно только опубликованное');
      await this.closeRow(manager, row, now, 'closed-early', by.login, reason);
    });
    return this.get(id, by);
  }

  /** The published engagements whose time is up, each closed at its own `closesAt`; returns how many. */
  async closeDue(): Promise<number> {
    const now = this.clock.now();
    let closed = 0;
    for (const id of await this.engagements.dueToClose(now)) {
      await this.engagements.transaction(async (manager) => {
        const row = await this.engagements.lock(manager, id, 'update');
        if (!row || row.status !== 'published' || row.closesAt > now) return;
        await this.closeRow(manager, row, row.closesAt, 'closed', ENGAGEMENT_ACTOR, null);
        closed++;
      });
    }
    return closed;
  }

  async publishResult(id: string, text: string | undefined, by: Principal): Promise<EngagementView> {
    const now = this.clock.now();
    // Counted before the transaction: its queries use the pool, and the embedded database has one
    // connection, which the transaction would hold. A closed engagement takes no more ballots, so
    // the counts cannot change in between.
    const result = await this.count(await this.readable(id, by));
    await this.change(id, by, async (manager, row) => {
      if (row.status !== 'closed') throw new DomainException(ErrorCode.Conflict, 'Итоги публикуются после завершения');
      await this.completeStep(manager, row, 'result', now);
      const decision = this.term(row, 'decision', now);
      await this.engagements.update(manager, id, {
        status: 'result_published',
        result: result as unknown as Record<string, unknown>,
        resultText: text ?? null,
        resultPublishedAt: now,
        decisionDueAt: decision?.dueAt ?? null,
        decisionWarnAt: decision?.warnAt ?? null,
        updatedAt: now,
      });
      await this.engagements.addEvent(manager, id, {
        type: 'result-published',
        actor: by.login,
        reason: null,
        data: { totalBallots: result.totalBallots },
        at: now,
      });
    });
    return this.get(id, by);
  }

  async recordDecision(id: string, decision: { text: string; documentRef: string }, by: Principal): Promise<EngagementView> {
    const now = this.clock.now();
    await this.change(id, by, async (manager, row) => {
      if (row.status !== 'result_published') throw new DomainException(ErrorCode.Conflict, 'Решение записывается после публикации итогов');
      await this.completeStep(manager, row, 'decision', now);
      await this.engagements.update(manager, id, {
        status: 'decided',
        decision: { ...decision, decidedBy: by.login, decidedAt: this.region.zone.format(now) },
        decidedAt: now,
        updatedAt: now,
      });
      await this.engagements.addEvent(manager, id, {
        type: 'decision-recorded',
        actor: by.login,
        reason: null,
        data: { documentRef: decision.documentRef },
        at: now,
      });
    });
    return this.get(id, by);
  }

  /** Counts so far (or as published): never a ballot, never who. */
  async results(id: string, by: Principal): Promise<EngagementResults> {
    const row = await this.readable(id, by);
    return this.count(row);
  }

  /** The published result for anyone (a public page): only once published, only what the organizer published. */
  async publicResults(id: string): Promise<PublicEngagementResults> {
    const row = await this.engagements.find(id);
    if (!row || (row.status !== 'result_published' && row.status !== 'decided') || !row.resultPublishedAt || !row.closedAt)
      throw new DomainException(ErrorCode.NotFound, 'Итоги не найдены или ещё не опубликованы');
    const z = this.region.zone;
    const view = this.view(row, 0, { login: '', roles: [], organizationId: null } as unknown as Principal);
    return {
      id: row.id,
      kind: row.kind,
      kindTitle: view.kindTitle,
      title: row.title,
      description: row.description,
      theme: view.theme,
      organizer: view.organizer,
      territories: view.territories,
      opensAt: view.opensAt,
      closedAt: z.format(row.closedAt),
      resultText: row.resultText,
      resultPublishedAt: z.format(row.resultPublishedAt),
      results: row.result as unknown as EngagementResults,
      decision: row.decision ? { text: row.decision.text, documentRef: row.decision.documentRef, decidedAt: row.decision.decidedAt } : null,
    };
  }

  async history(id: string, by: Principal): Promise<EngagementHistory> {
    await this.readable(id, by);
    const events = await this.engagements.events(id);
    return {
      items: events.map((e) => ({ ...e, typeTitle: EVENT_TITLES[e.type] ?? 'Изменение', at: this.region.zone.format(e.at) })),
      people: await this.users.people(
        events.map((e) => e.actor),
        (organizationId) => this.region.named(organizationId),
      ),
    };
  }

  /**
   * A citizen's ballot, from the portal (an API key): taken while the engagement is open, checked
   * against its rules (400 naming the field), once per citizen — a second one, even sent at the
   * same instant, is refused by the unique key (409) and nothing of it is counted.
   */
  async castBallot(id: string, citizenId: string, ballot: BallotInput): Promise<BallotAccepted> {
    return this.engagements.transaction(async (manager) => {
      const row = await this.engagements.lock(manager, id, 'share');
      if (!row || row.status === 'draft') throw new DomainException(ErrorCode.NotFound, 'Обсуждение, голосование или опрос не найдено');
      const now = this.clock.now();
      if (row.status !== 'published' || now >= row.closesAt) throw new DomainException(ErrorCode.Conflict, 'Приём завершён: голос не учтён');
      if (now < row.opensAt) throw new DomainException(ErrorCode.Conflict, 'Приём ещё не начался: голос не учтён');
      const problems = ballotProblems(this.rules(row), ballot);
      if (problems.length) throw invalid(problems, 'Голос не принят: проверьте поля');
      const secret = await this.engagements.secretOf(manager, id);
      if (!secret) throw new DomainException(ErrorCode.Conflict, 'Приём завершён: голос не учтён');
      const taken = await this.engagements.insertBallot(manager, {
        id: randomUUID(),
        engagementId: id,
        voterKey: createHmac('sha256', secret).update(citizenId.trim()).digest(),
        optionIds: ballot.optionIds ?? [],
        answers: ballot.answers ?? null,
        castHour: new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000),
      });
      if (!taken)
        throw new DomainException(ErrorCode.Conflict, 'Этот участник уже голосовал: повторный голос не учтён', [
          { field: 'citizenId', message: 'голос уже принят' },
        ]);
      return { accepted: true, engagementId: id };
    });
  }

  private async closeRow(manager: EntityManager, row: EngagementRow, at: Date, type: 'closed' | 'closed-early', actor: string, reason: string | null) {
    await this.engagements.eraseSecret(manager, row.id);
    const result = this.term(row, 'result', at);
    await this.engagements.update(manager, row.id, {
      status: 'closed',
      closedAt: at,
      closeReason: reason,
      resultDueAt: result?.dueAt ?? null,
      resultWarnAt: result?.warnAt ?? null,
      updatedAt: this.clock.now(),
    });
    await this.engagements.addEvent(manager, row.id, { type, actor, reason, data: null, at: this.clock.now() });
  }

  /**
   * The timing sweep: a step (the result, the decision) whose term is 75% gone gets a warning in
   * the history, one whose term has passed a breach (once), for the supervisors and the
   * discipline registry. Returns how many warnings and breaches it recorded.
   */
  async judgeSteps(): Promise<{ warned: number; breached: number }> {
    const now = this.clock.now();
    const outcome = { warned: 0, breached: 0 };
    for (const { id, stage } of await this.engagements.stepsDue(now)) {
      await this.engagements.transaction(async (manager) => {
        const row = await this.engagements.lock(manager, id, 'update');
        if (!row || row.status !== (stage === 'result' ? 'closed' : 'result_published')) return;
        const dueAt = stage === 'result' ? row.resultDueAt : row.decisionDueAt;
        const warned = stage === 'result' ? row.resultWarnedAt : row.decisionWarnedAt;
        if (!dueAt) return;
        if (now >= dueAt) {
          const recorded = await this.engagements.insertBreach(manager, {
            id: randomUUID(),
            engagementId: id,
            stage,
            organizationId: row.organizerOrganizationId,
            dueAt,
            detectedAt: now,
            completedAt: null,
            latenessWorkingMs: null,
          });
          if (recorded) {
            outcome.breached++;
            await this.engagements.addEvent(manager, id, {
              type: `${stage}-overdue`,
              actor: ENGAGEMENT_ACTOR,
              reason: null,
              data: { dueAt: this.region.zone.format(dueAt) },
              at: now,
            });
          }
        } else if (!warned) {
          outcome.warned++;
          await this.engagements.addEvent(manager, id, {
            type: `${stage}-due-soon`,
            actor: ENGAGEMENT_ACTOR,
            reason: null,
            data: { dueAt: this.region.zone.format(dueAt) },
            at: now,
          });
        }
        if (!warned) await this.engagements.update(manager, id, stage === 'result' ? { resultWarnedAt: now } : { decisionWarnedAt: now });
      });
    }
    return outcome;
  }

  /** The steps still to do, for the deadline views: the soonest first; each on time, at risk (past 75%) or overdue. */
  async deadlines(by: Principal): Promise<EngagementDeadlines> {
    const now = this.clock.now();
    const z = this.region.zone;
    const rows = (await this.engagements.list({ organizationIds: this.scope(by) })).filter(
      (r) => (r.status === 'closed' && r.resultDueAt) || (r.status === 'result_published' && r.decisionDueAt),
    );
    const items = rows.map((r) => {
      const stage: EngagementStage = r.status === 'closed' ? 'result' : 'decision';
      const dueAt = (stage === 'result' ? r.resultDueAt : r.decisionDueAt)!;
      const warnAt = (stage === 'result' ? r.resultWarnAt : r.decisionWarnAt) ?? dueAt;
      const state = now >= dueAt ? ('overdue' as const) : now >= warnAt ? ('at_risk' as const) : ('on_time' as const);
      return {
        id: r.id,
        title: r.title,
        kindTitle: ENGAGEMENT_KIND_TITLES[r.kind],
        organizer: this.organizerName(r.organizerOrganizationId),
        stage,
        stageTitle: STAGE_TITLES[stage],
        dueAt: z.format(dueAt),
        state,
        left: now >= dueAt ? null : workingDurationText(this.region.workingTime(r.organizerOrganizationId).workingTimeBetween(now, dueAt)),
      };
    });
    return { items: items.sort((a, b) => a.dueAt.localeCompare(b.dueAt)) };
  }

  /** Steps done late or not yet done past their term, for the discipline registry. */
  async breaches(by: Principal): Promise<EngagementBreachList> {
    const rows = await this.engagements.breaches({ organizationIds: this.scope(by) });
    const titles = new Map<string, string>();
    for (const id of new Set(rows.map((r) => r.engagementId))) titles.set(id, (await this.engagements.find(id))?.title ?? '');
    return { items: rows.map((b) => this.breachView(b, titles.get(b.engagementId) ?? '')) };
  }

  private breachView(b: EngagementBreachRow, title: string) {
    const z = this.region.zone;
    return {
      id: b.id,
      engagementId: b.engagementId,
      engagementTitle: title,
      stage: b.stage,
      stageTitle: STAGE_TITLES[b.stage],
      organization: this.organizerName(b.organizationId),
      dueAt: z.format(b.dueAt),
      detectedAt: z.format(b.detectedAt),
      completedAt: b.completedAt ? z.format(b.completedAt) : null,
      lateness: b.latenessWorkingMs === null ? null : { workingMs: b.latenessWorkingMs, text: workingDurationText(b.latenessWorkingMs) },
    };
  }

  /** A step done: after its term, the breach gets its lateness (recorded now if the sweep had not yet). */
  private async completeStep(manager: EntityManager, row: EngagementRow, stage: EngagementStage, now: Date): Promise<void> {
    const dueAt = stage === 'result' ? row.resultDueAt : row.decisionDueAt;
    if (!dueAt || now <= dueAt) return;
    const lateness = this.region.workingTime(row.organizerOrganizationId).workingTimeBetween(dueAt, now);
    const recorded = await this.engagements.insertBreach(manager, {
      id: randomUUID(),
      engagementId: row.id,
      stage,
      organizationId: row.organizerOrganizationId,
      dueAt,
      detectedAt: now,
      completedAt: now,
      latenessWorkingMs: lateness,
    });
    if (!recorded) await this.engagements.completeBreach(manager, row.id, stage, now, lateness);
  }

  /**
   * A step's term from `from` on the production calendar: the region's working days for the kind
   * (region.json `engagements`), warned at 75% of its office time; none while the calendar lacks
   * a year it needs (the calendar's notice says so).
   */
  private term(row: EngagementRow, stage: EngagementStage, from: Date): { dueAt: Date; warnAt: Date } | null {
    const timing = this.region.data.engagements.timing[row.kind];
    const time = this.region.workingTime(row.organizerOrganizationId);
    try {
      const dueAt = time.addWorkingDays(from, stage === 'result' ? timing.resultWorkingDays : timing.decisionWorkingDays);
      return { dueAt, warnAt: time.addWorkingTime(from, Math.round(time.workingTimeBetween(from, dueAt) * 0.75)) };
    } catch (error) {
      if (error instanceof MissingCalendarYearError) return null;
      throw error;
    }
  }

  private organizerName(organizationId: string) {
    return this.region.named(organizationId) ?? { id: organizationId, name: organizationId };
  }

  private async count(row: EngagementRow): Promise<EngagementResults> {
    const choice = row.questions.filter((q) => q.type !== 'text').map((q) => q.id);
    const texts = row.questions.filter((q) => q.type === 'text').map((q) => q.id);
    const [total, votes, answers, hours] = await Promise.all([
      this.engagements.countBallots(row.id),
      this.engagements.optionCounts(row.id),
      this.engagements.answerCounts(row.id, choice, texts),
      this.engagements.byHour(row.id),
    ]);
    return {
      totalBallots: total,
      options: row.options.map((o) => ({ id: o.id, title: o.title, votes: votes.find((v) => v.optionId === o.id)?.votes ?? 0, cost: o.cost })),
      questions: row.questions.map((q) => ({
        id: q.id,
        title: q.title,
        type: q.type,
        answers: Object.fromEntries(answers.filter((a) => a.questionId === q.id).map((a) => [a.value, a.n])),
      })),
      byHour: hours.map((h) => ({ hour: this.region.zone.format(h.hour), ballots: h.ballots })),
    };
  }

  /** A change of an engagement by its organizer, on its locked row. */
  private async change<T>(id: string, by: Principal, work: (manager: EntityManager, row: EngagementRow) => Promise<T>): Promise<T> {
    const organizationId = this.organizerOf(by);
    return this.engagements.transaction(async (manager) => {
      const row = await this.engagements.lock(manager, id, 'update');
      if (!row || row.organizerOrganizationId !== organizationId) throw new DomainException(ErrorCode.NotFound, 'Обсуждение, голосование или опрос не найдено');
      return work(manager, row);
    });
  }

  /** The organizer's organization: engagements are run by an organization (order No. 733, item 1.3). */
  private organizerOf(by: Principal): string {
    if (!hasRole(by, 'organizer')) throw new DomainException(ErrorCode.Forbidden, 'Обсуждения, голосования и опросы ведут организаторы');
    if (!by.organizationId) throw new DomainException(ErrorCode.Forbidden, 'Организатор должен быть привязан к организации');
    return by.organizationId;
  }

  /** Null: every organization's (supervisors); else the organizer's own. */
  private scope(by: Principal): string[] | null {
    if (hasRole(by, 'supervisor')) return null;
    return [this.organizerOf(by)];
  }

  private async readable(id: string, by: Principal): Promise<EngagementRow> {
    const scope = this.scope(by);
    const row = await this.engagements.find(id);
    if (!row || (scope && !scope.includes(row.organizerOrganizationId)))
      throw new DomainException(ErrorCode.NotFound, 'Обсуждение, голосование или опрос не найдено');
    return row;
  }

  /** The stored definition of a draft: ids kept where given (a new version of a document keeps its sections), made where not. */
  private definition(draft: EngagementDraft, before?: EngagementRow) {
    const problems: BallotProblem[] = [];
    const themes = this.region.data.engagements.themes;
    if (!themes.some((t) => t.id === draft.theme))
      problems.push({ field: 'theme', message: `Тема: нет в утверждённом перечне (${themes.map((t) => t.id).join(', ')})` });
    (draft.territoryIds ?? []).forEach((t, i) => {
      if (!this.region.data.territories.some((x) => x.id === t)) problems.push({ field: `territoryIds.${i}`, message: 'Территория: нет такой территории' });
    });
    const opensAt = new Date(draft.opensAt);
    const closesAt = new Date(draft.closesAt);
    if (!(closesAt > opensAt)) problems.push({ field: 'closesAt', message: 'Окончание: должно быть позже начала' });
    if (problems.length) throw invalid(problems);
    const vote: VoteRules | null =
      draft.kind === 'vote' ? { maxChoices: draft.maxChoices ?? 1, budgetLimit: draft.budgetLimit ?? null, minSpendShare: draft.minSpendShare ?? null } : null;
    const options: OptionDef[] = (draft.options ?? []).map((o) => ({ id: o.id ?? randomUUID(), title: o.title.trim(), cost: o.cost ?? null }));
    const questions: QuestionDef[] = (draft.questions ?? []).map(({ choices, ...q }) => ({
      ...q,
      id: q.id ?? randomUUID(),
      ...(choices ? { choices: choices.map((c) => ({ id: c.id ?? randomUUID(), title: c.title.trim() })) } : {}),
    }));
    const document = draft.document
      ? {
          title: draft.document.title,
          version: (before?.document?.version ?? 0) + 1,
          sections: draft.document.sections.map((s) => ({ id: s.id ?? randomUUID(), title: s.title, text: s.text })),
        }
      : null;
    return {
      kind: draft.kind,
      title: draft.title.trim(),
      description: draft.description ?? null,
      theme: draft.theme,
      territoryIds: draft.territoryIds ?? [],
      opensAt,
      closesAt,
      options,
      vote,
      questions,
      document,
    };
  }

  private rules(row: Pick<EngagementRow, 'kind' | 'options' | 'vote' | 'questions' | 'opensAt' | 'closesAt'>) {
    return { kind: row.kind, options: row.options, vote: row.vote, questions: row.questions, opensAt: row.opensAt, closesAt: row.closesAt };
  }

  private view(row: EngagementRow, ballots: number, by: Principal): EngagementView {
    const z = this.region.zone;
    const now = this.clock.now();
    const theme = this.region.data.engagements.themes.find((t) => t.id === row.theme);
    const mine = hasRole(by, 'organizer') && by.organizationId === row.organizerOrganizationId;
    const actions: EngagementAction[] = !mine
      ? []
      : row.status === 'draft'
        ? ['edit', 'publish']
        : row.status === 'published'
          ? ['edit', 'close']
          : row.status === 'closed'
            ? ['publish-result']
            : row.status === 'result_published'
              ? ['record-decision']
              : [];
    return {
      id: row.id,
      kind: row.kind,
      kindTitle: ENGAGEMENT_KIND_TITLES[row.kind],
      status: row.status,
      statusTitle: ENGAGEMENT_STATUS_TITLES[row.status],
      title: row.title,
      description: row.description,
      theme: { id: row.theme, title: theme?.title ?? row.theme },
      organizer: this.organizerName(row.organizerOrganizationId),
      territories: row.territoryIds.map((t) => ({ id: t, name: this.region.data.territories.find((x) => x.id === t)?.name ?? t })),
      opensAt: z.format(row.opensAt),
      closesAt: z.format(row.closesAt),
      open: row.status === 'published' && now >= row.opensAt && now < row.closesAt,
      options: row.options,
      vote: row.vote,
      questions: row.questions,
      document: row.document,
      ballots,
      rulesFrozen: ballots > 0,
      closedAt: row.closedAt ? z.format(row.closedAt) : null,
      closeReason: row.closeReason,
      resultText: row.resultText,
      resultPublishedAt: row.resultPublishedAt ? z.format(row.resultPublishedAt) : null,
      decision: row.decision,
      timing: {
        resultDueAt: row.resultDueAt ? z.format(row.resultDueAt) : null,
        decisionDueAt: row.decisionDueAt ? z.format(row.decisionDueAt) : null,
        overdue:
          (row.status === 'closed' && !!row.resultDueAt && now >= row.resultDueAt) ||
          (row.status === 'result_published' && !!row.decisionDueAt && now >= row.decisionDueAt),
      },
      version: row.version,
      createdBy: row.createdBy,
      createdAt: z.format(row.createdAt),
      updatedAt: z.format(row.updatedAt),
      actions,
    };
  }
}
