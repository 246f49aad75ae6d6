import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DurationSpec, DurationUnit, durationText } from '@cur/calendar';
import { RegionCatalog } from '@cur/config';
import { envelope, MessageStatusChangedV1, TOPICS } from '@cur/contracts';
import { canTransition, ClockEvent, isOpen, MessageStatus, STATUS_TITLES } from '@cur/domain';
import { OutboxRelay } from '@cur/messaging';
import { AuthRepository, ExtensionRequestEntity, MessageEntity, MessageRepository, OutboxEvent, outboxEvent, OutboxRepository, SlaRepository } from '@cur/persistence';
import { MessageAccess } from '@cur/auth';
import { Clock, DomainException, ErrorCode, hasRole, Principal } from '@cur/platform';
import { ClockService } from '@cur/sla';

export type RedirectDirection = 'down' | 'up' | 'competence';

/** Statuses in which the organization holds the message and may act on it. */
const HANDLING: readonly MessageStatus[] = ['assigned', 'in_progress', 'awaiting_applicant', 'interim_answer', 'postponed', 'reopened'];

interface Change {
  to: MessageStatus;
  /** The transition checked, when the message passes through a status on its way (redirected → assigned). */
  via?: MessageStatus;
  type: string;
  reason: string;
  data?: Record<string, unknown>;
  clockEvents: ClockEvent[];
  /** Other message fields that change with the status. */
  fields?: Partial<Pick<MessageEntity, 'organizationId' | 'answeredAt' | 'assignee' | 'rating' | 'ratedAt'>>;
  events?: OutboxEvent[];
}

/**
 * The agency side of a message: take to work, ask the applicant, interim and final answers,
 * redirects, extensions, re-consideration. Each action is one transaction: the message row
 * locked, the transition checked, clocks moved, history (who, when, why, before/after) and events
 * written together, so nothing is half-done.
 */
@Injectable()
export class WorkflowService {
  constructor(
    private readonly messages: MessageRepository,
    private readonly sla: SlaRepository,
    private readonly outbox: OutboxRepository,
    private readonly relay: OutboxRelay,
    private readonly clocks: ClockService,
    private readonly region: RegionCatalog,
    private readonly clock: Clock,
    private readonly access: MessageAccess,
    private readonly users: AuthRepository,
  ) {}

  take(id: string, by: Principal) {
    const actor = by.login;
    return this.act(id, by, (message, now) => {
      this.expect(message, ['assigned', 'reopened', 'postponed', 'interim_answer']);
      return {
        to: 'in_progress',
        type: 'taken',
        reason: 'Взято в работу',
        // Whoever takes an unassigned message becomes its executor.
        fields: message.assignee ? {} : { assignee: actor },
        data: message.assignee ? undefined : { assignee: { before: null, after: actor } },
        clockEvents: [{ type: 'status', at: now, from: message.status, to: 'in_progress', by: actor }],
      };
    });
  }

  askApplicant(id: string, reason: string, by: Principal) {
    const actor = by.login;
    return this.act(id, by, (message, now) => {
      this.expect(message, ['assigned', 'in_progress', 'interim_answer', 'postponed', 'reopened']);
      return { to: 'awaiting_applicant', type: 'clarification-requested', reason, clockEvents: [{ type: 'status', at: now, from: message.status, to: 'awaiting_applicant', by: actor }] };
    });
  }

  applicantAnswered(id: string, reason: string | undefined, by: Principal) {
    const actor = by.login;
    return this.act(id, by, (message, now) => {
      this.expect(message, ['awaiting_applicant']);
      return { to: 'in_progress', type: 'clarification-received', reason: reason ?? 'Заявитель дал уточнения', clockEvents: [{ type: 'status', at: now, from: message.status, to: 'in_progress', by: actor }] };
    });
  }

  interimAnswer(id: string, text: string, by: Principal) {
    const actor = by.login;
    return this.act(id, by, (message, now) => {
      this.expect(message, HANDLING);
      return {
        to: 'interim_answer',
        type: 'interim-answer',
        reason: 'Промежуточный ответ заявителю',
        data: { text },
        clockEvents: [
          { type: 'status', at: now, from: message.status, to: 'interim_answer', by: actor },
          { type: 'interim_answer', at: now, by: actor },
        ],
      };
    });
  }

  /** Sends the answer. Where the region requires approval, only a head sends directly; an executor drafts. */
  answer(id: string, text: string, by: Principal) {
    const actor = by.login;
    return this.act(id, by, (message, now) => {
      this.expect(message, HANDLING);
      if (this.region.data.workflow.answerApproval && !hasRole(by, 'head')) {
        throw new DomainException(ErrorCode.Forbidden, 'Ответ исполнителя отправляется после согласования руководителем: подготовьте проект ответа');
      }
      return {
        to: 'answered',
        type: 'answered',
        reason: 'Ответ отправлен заявителю',
        data: { text },
        fields: { answeredAt: now },
        clockEvents: [{ type: 'answered', at: now, by: actor }],
      };
    });
  }

  /** The head gives the message to an executor of the organization (or takes it back with null). */
  assign(id: string, login: string | null, reason: string | undefined, by: Principal) {
    const actor = by.login;
    return this.act(id, by, async (message, _now, manager) => {
      this.expect(message, [...HANDLING, 'answer_draft', 'approval']);
      let assignee: string | null = null;
      if (login !== null) {
        const user = await this.users.findUserByLogin(login, manager);
        if (!user || !user.active || user.organizationId !== message.organizationId || !user.roles.some((r) => r === 'executor' || r === 'head')) {
          throw new DomainException(ErrorCode.ValidationFailed, 'Исполнитель не найден в этой организации', [{ field: 'login', message: `нет активного исполнителя «${login}» в организации сообщения` }]);
        }
        assignee = user.login;
      }
      if (assignee === message.assignee) throw new DomainException(ErrorCode.Conflict, assignee ? 'Этот исполнитель уже назначен' : 'Исполнитель не назначен');
      return {
        to: message.status,
        type: 'executor-assigned',
        reason: reason ?? (assignee ? `Назначен исполнитель ${assignee}` : 'Исполнитель снят'),
        data: { assignee: { before: message.assignee, after: assignee } },
        fields: { assignee },
        clockEvents: [],
      } satisfies Change;
    });
  }

  /** An executor's answer, for the head's approval; the clock keeps running meanwhile. */
  draftAnswer(id: string, text: string, by: Principal) {
    const actor = by.login;
    return this.act(id, by, (message, now) => {
      this.expect(message, [...HANDLING, 'answer_draft']);
      return {
        to: 'approval',
        via: 'answer_draft',
        type: 'answer-drafted',
        reason: 'Проект ответа передан на согласование',
        data: { text },
        clockEvents: [{ type: 'status', at: now, from: message.status, to: 'approval', by: actor }],
      };
    });
  }

  /** The head approves the draft: it is sent as drafted. Someone other than its author approves. */
  approveAnswer(id: string, reason: string | undefined, by: Principal) {
    const actor = by.login;
    return this.act(id, by, async (message, now, manager) => {
      this.expect(message, ['approval']);
      const draft = await this.lastDraft(manager, id);
      if (draft.actor === actor) throw new DomainException(ErrorCode.Forbidden, 'Проект ответа согласует не тот, кто его подготовил');
      return {
        to: 'answered',
        type: 'answered',
        reason: reason ?? 'Ответ согласован и отправлен заявителю',
        data: { text: draft.text, draftedBy: draft.actor, approvedBy: actor },
        fields: { answeredAt: now },
        clockEvents: [{ type: 'answered', at: now, by: actor }],
      };
    });
  }

  /** The head sends the draft back for rework, saying why. */
  returnAnswer(id: string, reason: string, by: Principal) {
    const actor = by.login;
    return this.act(id, by, (message, now) => {
      this.expect(message, ['approval']);
      return { to: 'answer_draft', type: 'answer-returned', reason, clockEvents: [{ type: 'status', at: now, from: message.status, to: 'answer_draft', by: actor }] };
    });
  }

  /**
   * The applicant's rating of the answer (1–5), reported by the source the message came from. A
   * low one (per region settings) is flagged for ЦУР's re-consideration review.
   */
  async rate(command: { source: string; externalId: string; score: number; comment?: string; ratedAt: Date }) {
    const now = this.clock.now();
    const actor = `source:${command.source}`;
    const result = await this.messages.transaction(async (manager) => {
      const [found] = await this.messages.findBySourceKeys(manager, command.source, [command.externalId]);
      if (!found) throw new DomainException(ErrorCode.NotFound, 'Сообщение с таким source и externalId не найдено');
      const message = (await this.messages.lockById(manager, found.id))!;
      if (message.status === 'rated' && message.rating === command.score) return { id: message.id, status: message.status, rating: message.rating, low: message.rating <= this.region.data.workflow.lowRatingAtMost };
      this.expect(message, ['answered', 'rated']);
      const low = command.score <= this.region.data.workflow.lowRatingAtMost;
      await this.messages.update(manager, message.id, { status: 'rated', statusChangedAt: now, rating: command.score, ratedAt: command.ratedAt });
      await this.messages.addHistory(manager, [
        {
          messageId: message.id,
          type: 'rated',
          fromStatus: message.status,
          toStatus: 'rated',
          actor,
          reason: command.comment ?? `Оценка заявителя: ${command.score}`,
          data: { score: command.score, ratedAt: command.ratedAt.toISOString(), low, before: { rating: message.rating }, after: { rating: command.score } },
          at: now,
        },
      ]);
      await this.outbox.add(manager, [outboxEvent(TOPICS.messageEvents, this.statusEvent(message, 'rated', actor, 'rated', now))], now);
      return { id: message.id, status: 'rated' as const, rating: command.score, low };
    });
    this.relay.kick();
    return result;
  }

  private async lastDraft(manager: EntityManager, id: string): Promise<{ text: string; actor: string }> {
    const rows: { data: { text?: string } | null; actor: string }[] = await manager.query(
      `SELECT data, actor FROM message_event WHERE message_id = $1 AND type = 'answer-drafted' ORDER BY id DESC LIMIT 1`,
      [id],
    );
    const text = rows[0]?.data?.text;
    if (!text) throw new DomainException(ErrorCode.Conflict, 'Нет проекта ответа для согласования');
    return { text, actor: rows[0].actor };
  }

  reconsider(id: string, reason: string, by: Principal) {
    const actor = by.login;
    return this.act(id, by, (message, now) => {
      this.expect(message, ['answered', 'rated', 'closed']);
      return { to: 'reopened', type: 'reopened', reason, clockEvents: [{ type: 'reopened', at: now, by: actor }] };
    }, 'moderate');
  }

  reject(id: string, reason: string, by: Principal) {
    const actor = by.login;
    return this.act(id, by, (message, now) => {
      this.expect(message, ['new', 'needs_triage', 'moderation']);
      return { to: 'rejected', type: 'rejected', reason, clockEvents: [{ type: 'closed', at: now, reason: 'rejected', by: actor }] };
    }, 'moderate');
  }

  /**
   * Down to a subordinate, up to the parent, or (59-ФЗ) to the competent body. The policy limits
   * how many times; what the clocks do at the new organization is the policy's too.
   */
  redirect(id: string, command: { organizationId: string; direction: RedirectDirection; reason: string }, by: Principal) {
    const actor = by.login;
    return this.act(id, by, async (message, now, manager) => {
      this.expect(message, HANDLING);
      const target = this.region.organization(command.organizationId);
      if (!target) throw new DomainException(ErrorCode.ValidationFailed, 'Неизвестная организация', [{ field: 'organizationId', message: `нет организации «${command.organizationId}»` }]);
      if (target.id === message.organizationId) throw new DomainException(ErrorCode.ValidationFailed, 'Сообщение уже в этой организации', [{ field: 'organizationId', message: 'укажите другую организацию' }]);
      const current = message.organizationId;
      if (command.direction === 'down' && !this.region.isBelow(target.id, current)) {
        throw new DomainException(ErrorCode.ValidationFailed, 'Не подведомственная организация', [{ field: 'organizationId', message: `«${target.name}» не подчинена текущей организации` }]);
      }
      if (command.direction === 'up' && !this.region.isBelow(current, target.id)) {
        throw new DomainException(ErrorCode.ValidationFailed, 'Не вышестоящая организация', [{ field: 'organizationId', message: `«${target.name}» не вышестоящая для текущей организации` }]);
      }
      const policy = this.clocks.policyOf(message);
      const done = (await manager.query(`SELECT count(*)::int AS n FROM message_event WHERE message_id = $1 AND type = 'redirected'`, [id]))[0].n as number;
      if (done >= policy.redirects.max) {
        throw new DomainException(ErrorCode.Conflict, `Лимит перенаправлений (${policy.redirects.max}) исчерпан: верните сообщение в ЦУР для решения`);
      }
      // The new organization starts afresh: no executor of the old one, no request the old one filed.
      const withdrawn = (await this.sla.extensionsOf(manager, id)).filter((r) => r.status === 'pending');
      for (const r of withdrawn) {
        await this.sla.updateExtension(manager, r.id, { status: 'rejected', decidedBy: actor, decidedAt: now, decisionReason: 'Сообщение перенаправлено в другую организацию' });
      }
      return {
        to: 'assigned',
        via: 'redirected',
        type: 'redirected',
        reason: command.reason,
        data: {
          direction: command.direction,
          fromOrganizationId: current,
          toOrganizationId: target.id,
          clocks: command.direction === 'competence' ? policy.redirects.clocks : 'continue',
          redirectNumber: done + 1,
          ...(message.assignee ? { assignee: { before: message.assignee, after: null } } : {}),
          ...(withdrawn.length ? { withdrawnExtensionRequests: withdrawn.map((r) => r.id) } : {}),
        },
        fields: { organizationId: target.id, assignee: null },
        clockEvents: [{ type: 'redirected', at: now, organizationId: target.id, direction: command.direction, by: actor }],
      };
    });
  }

  async requestExtension(id: string, command: { amount: number; unit?: DurationUnit; reason: string }, by: Principal) {
    const actor = by.login;
    const now = this.clock.now();
    const request = await this.messages.transaction(async (manager) => {
      const message = await this.lock(manager, id, by, 'handle');
      this.expect(message, HANDLING);
      const { policy, clock, due } = await this.extendable(manager, message, now);
      const rules = policy.extensions!;
      const unit = command.unit ?? rules.maxTerm.unit;
      if (unit !== rules.maxTerm.unit) throw new DomainException(ErrorCode.ValidationFailed, 'Единица продления', [{ field: 'unit', message: `продление по политике «${policy.id}» — в единицах ${rules.maxTerm.unit}` }]);
      if (command.amount > rules.maxTerm.amount) {
        throw new DomainException(ErrorCode.ValidationFailed, 'Слишком длинное продление', [{ field: 'amount', message: `не более ${durationText(rules.maxTerm)} (политика «${policy.id}»)` }]);
      }
      const row: ExtensionRequestEntity = {
        id: randomUUID(),
        messageId: id,
        clockId: clock.id,
        amount: command.amount,
        unit,
        reason: command.reason,
        status: 'pending',
        requestedBy: actor,
        requestedAt: now,
        decidedBy: null,
        decidedAt: null,
        decisionReason: null,
        previousDueAt: due,
        newDueAt: null,
      };
      const pending = (await this.sla.extensionsOf(manager, id)).some((r) => r.status === 'pending');
      if (pending) throw new DomainException(ErrorCode.Conflict, 'Уже есть запрос на продление, ожидающий решения');
      await this.sla.insertExtension(manager, row);
      await this.messages.addHistory(manager, [
        { messageId: id, type: 'extension-requested', fromStatus: message.status, toStatus: message.status, actor, reason: command.reason, data: { requestId: row.id, term: { amount: row.amount, unit }, dueAt: due.toISOString(), approvedBy: rules.approvedBy }, at: now },
      ]);
      return row;
    });
    return this.extensionView(request);
  }

  /**
   * The approver (the head, or ЦУР, per policy) is someone other than the requester; the term
   * must still be running: an expired term cannot be extended after the fact.
   */
  async decideExtension(id: string, requestId: string, decision: { approve: boolean; reason?: string }, by: Principal) {
    const actor = by.login;
    const now = this.clock.now();
    const result = await this.messages.transaction(async (manager) => {
      const message = await this.messages.lockById(manager, id);
      this.access.assertReadable(by, message);
      this.assertMayDecideExtension(by, message as MessageEntity);
      const request = (await this.sla.extensionsOf(manager, id)).find((r) => r.id === requestId);
      if (!request) throw new DomainException(ErrorCode.NotFound, 'Запрос на продление не найден');
      if (request.status !== 'pending') throw new DomainException(ErrorCode.Conflict, `Запрос уже рассмотрен (${request.status === 'approved' ? 'утверждён' : 'отклонён'})`);
      if (request.requestedBy === actor) throw new DomainException(ErrorCode.Forbidden, 'Запрос на продление утверждает не тот, кто его подал');
      if (!decision.approve) {
        await this.sla.updateExtension(manager, requestId, { status: 'rejected', decidedBy: actor, decidedAt: now, decisionReason: decision.reason ?? null });
        await this.messages.addHistory(manager, [
          { messageId: id, type: 'extension-rejected', fromStatus: message.status, toStatus: message.status, actor, reason: decision.reason ?? 'Продление не утверждено', data: { requestId }, at: now },
        ]);
        return { ...request, status: 'rejected' as const, decidedBy: actor, decidedAt: now, decisionReason: decision.reason ?? null };
      }
      this.expect(message, HANDLING);
      const { policy, clock } = await this.extendable(manager, message, now);
      if (clock.id !== request.clockId) throw new DomainException(ErrorCode.Conflict, 'Срок, к которому относился запрос, уже сменился: подайте новый запрос');
      const term: DurationSpec = { amount: request.amount, unit: request.unit };
      const to: MessageStatus = canTransition(message.status, 'postponed') ? 'postponed' : message.status;
      const outcome = await this.clocks.apply(manager, { ...message, status: to }, { type: 'extended', at: now, term, by: actor, reason: request.reason, requestId }, now);
      await this.sla.updateExtension(manager, requestId, { status: 'approved', decidedBy: actor, decidedAt: now, decisionReason: decision.reason ?? null, newDueAt: outcome.dueAt });
      await this.messages.update(manager, id, { status: to, statusChangedAt: now, dueAt: outcome.dueAt });
      await this.messages.addHistory(manager, [
        {
          messageId: id,
          type: 'extension-approved',
          fromStatus: message.status,
          toStatus: to,
          actor,
          reason: decision.reason ?? `Срок продлён на ${durationText(term)}`,
          data: { requestId, term, before: { dueAt: request.previousDueAt.toISOString() }, after: { dueAt: outcome.dueAt?.toISOString() ?? null }, notifyApplicant: policy.extensions!.notifyApplicant },
          at: now,
        },
      ]);
      await this.outbox.add(manager, [outboxEvent(TOPICS.messageEvents, this.statusEvent(message, to, actor, 'extension-approved', now))], now);
      return { ...request, status: 'approved' as const, decidedBy: actor, decidedAt: now, decisionReason: decision.reason ?? null, newDueAt: outcome.dueAt };
    });
    this.relay.kick();
    return this.extensionView(result);
  }

  async extensions(id: string, by: Principal) {
    const message = await this.messages.findRow(id);
    this.access.assertReadable(by, message);
    const rows = await this.sla.listExtensions(id);
    return { items: rows.map((r) => this.extensionView(r)) };
  }

  /**
   * Who approves an extension, per policy: the head of the handling organization or of an
   * organization above it, or a ЦУР operator ("coordinator").
   */
  private assertMayDecideExtension(by: Principal, message: MessageEntity): void {
    const approvedBy = this.clocks.policyOf(message).extensions?.approvedBy ?? 'head';
    const allowed =
      approvedBy === 'coordinator'
        ? hasRole(by, 'operator')
        : hasRole(by, 'head') && by.organizationId !== null && (by.organizationId === message.organizationId || this.region.isBelow(message.organizationId, by.organizationId));
    if (!allowed) {
      throw new DomainException(ErrorCode.Forbidden, approvedBy === 'coordinator' ? 'Продление по этой политике утверждает ЦУР' : 'Продление утверждает руководитель организации, рассматривающей сообщение');
    }
  }

  /** The running final-answer clock an extension would move, with the policy's limits checked. */
  private async extendable(manager: EntityManager, message: MessageEntity, now: Date) {
    const policy = this.clocks.policyOf(message);
    const rules = policy.extensions;
    if (!rules || rules.max === 0) throw new DomainException(ErrorCode.Conflict, `Политика «${policy.id}» не предусматривает продления срока`);
    const clocks = await this.sla.clocksOf(manager, message.id);
    const clock = clocks.filter((c) => c.kind === 'final_answer' && (c.status === 'running' || c.status === 'paused')).sort((a, b) => b.generation - a.generation)[0];
    if (!clock) throw new DomainException(ErrorCode.Conflict, 'Срок ответа не идёт: продлевать нечего');
    if (clock.blockedYear !== null) throw new DomainException(ErrorCode.Conflict, `Срок ещё не рассчитан (нет производственного календаря на ${clock.blockedYear} год): продлевать нечего`);
    if (clock.status === 'paused' || !clock.dueAt) throw new DomainException(ErrorCode.Conflict, 'Срок приостановлен: продление возможно после возобновления');
    if (clock.dueAt < now) throw new DomainException(ErrorCode.Conflict, 'Срок ответа уже истёк: продлить истёкший срок нельзя');
    // The clock's own count: extensions carried over when a reclassification replaced the clock count too.
    if (clock.extensions >= rules.max) throw new DomainException(ErrorCode.Conflict, `Лимит продлений (${rules.max}) по политике «${policy.id}» исчерпан`);
    return { policy, clock, due: clock.dueAt };
  }

  private extensionView(r: ExtensionRequestEntity) {
    const z = this.region.zone;
    return {
      id: r.id,
      messageId: r.messageId,
      term: { amount: r.amount, unit: r.unit, text: durationText({ amount: r.amount, unit: r.unit }) },
      reason: r.reason,
      status: r.status,
      requestedBy: r.requestedBy,
      requestedAt: z.format(r.requestedAt),
      decidedBy: r.decidedBy,
      decidedAt: r.decidedAt ? z.format(r.decidedAt) : null,
      decisionReason: r.decisionReason,
      previousDueAt: z.format(r.previousDueAt),
      newDueAt: r.newDueAt ? z.format(r.newDueAt) : null,
    };
  }

  /** One state change: lock, check, move the clocks, write message, history and event together. */
  private async act(id: string, by: Principal, decide: (message: MessageEntity, now: Date, manager: EntityManager) => Change | Promise<Change>, rule: 'handle' | 'moderate' = 'handle') {
    const actor = by.login;
    const now = this.clock.now();
    const result = await this.messages.transaction(async (manager) => {
      const message = await this.lock(manager, id, by, rule);
      const change = await decide(message, now, manager);
      const checked = change.via ?? change.to;
      if (checked !== message.status && !canTransition(message.status, checked)) {
        throw new DomainException(ErrorCode.Conflict, `Из статуса «${STATUS_TITLES[message.status]}» нельзя перейти в «${STATUS_TITLES[checked]}»`);
      }
      const next = { ...message, ...change.fields, status: change.to };
      let dueAt = message.dueAt;
      let overdue = message.overdue;
      for (const event of change.clockEvents) {
        const outcome = await this.clocks.apply(manager, next, event, now);
        dueAt = outcome.dueAt;
        if (outcome.freshAnswerClock) overdue = false;
      }
      await this.messages.update(manager, id, { ...change.fields, status: change.to, ...(change.to !== message.status ? { statusChangedAt: now } : {}), dueAt, overdue });
      await this.messages.addHistory(manager, [
        {
          messageId: id,
          type: change.type,
          fromStatus: message.status,
          toStatus: change.to,
          actor,
          reason: change.reason,
          data: { ...change.data, before: { dueAt: message.dueAt?.toISOString() ?? null, organizationId: message.organizationId }, after: { dueAt: dueAt?.toISOString() ?? null, organizationId: next.organizationId } },
          at: now,
        },
      ]);
      // A status event only when the status changes (an assignment does not change it).
      const events = [...(change.to !== message.status ? [outboxEvent(TOPICS.messageEvents, this.statusEvent(message, change.to, actor, change.type, now))] : []), ...(change.events ?? [])];
      if (events.length) await this.outbox.add(manager, events, now);
      return { id, status: change.to, organizationId: next.organizationId, dueAt: dueAt ? this.region.zone.format(dueAt) : null };
    });
    this.relay.kick();
    return result;
  }

  private statusEvent(message: MessageEntity, to: MessageStatus, actor: string, reason: string, now: Date): MessageStatusChangedV1 {
    return { ...envelope('message.status-changed', message.region, message.id, now), fromStatus: message.status, toStatus: to, actor, reason };
  }

  /**
   * The message locked, once the principal may act on it: the handling organization's staff, or
   * ЦУР operators for moderation and re-consideration. Checked under the lock, so a redirect that
   * just moved the message away cannot be raced.
   */
  private async lock(manager: EntityManager, id: string, by: Principal, rule: 'handle' | 'moderate'): Promise<MessageEntity> {
    const message = await this.messages.lockById(manager, id);
    if (rule === 'moderate') {
      if (!message || !hasRole(by, 'operator')) throw new DomainException(ErrorCode.NotFound, 'Сообщение не найдено');
    } else {
      this.access.assertHandles(by, message);
    }
    return message!;
  }

  private expect(message: MessageEntity, statuses: readonly MessageStatus[]): void {
    if (!statuses.includes(message.status)) {
      throw new DomainException(ErrorCode.Conflict, `Действие недоступно в статусе «${STATUS_TITLES[message.status]}»${isOpen(message.status) ? '' : ' (сообщение закрыто)'}`);
    }
  }
}
