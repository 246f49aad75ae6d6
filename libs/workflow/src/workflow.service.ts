import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { ExtensionRequestList, ExtensionRequestView } from '@cur/contracts';
import { DurationSpec, DurationUnit, durationText } from '@cur/calendar';
import { RegionCatalog } from '@cur/config';
import { canTransition, handlesMessages, MessageActionName } from '@cur/domain';
import { Changed, ClockService, Decision, DecisionContext, MessageLifecycle } from '@cur/lifecycle';
import { AuthRepository, ExtensionRequestEntity, MessageEntity, MessageRepository, SlaRepository } from '@cur/persistence';
import { MessageAccess } from '@cur/auth';
import { Clock, DomainException, ErrorCode, hasRole, Principal } from '@cur/platform';

export type RedirectDirection = 'down' | 'up' | 'competence';

/**
 * The agency side of a message: take to work, ask the applicant, interim and final answers,
 * redirects, extensions, re-consideration. Each action is one change through the message life
 * cycle (lock, the action's statuses, the transition, clocks, history with before/after, events),
 * so nothing is half-done and no action keeps its own copy of the status rules.
 */
@Injectable()
export class WorkflowService {
  constructor(
    private readonly lifecycle: MessageLifecycle,
    private readonly messages: MessageRepository,
    private readonly sla: SlaRepository,
    private readonly clocks: ClockService,
    private readonly region: RegionCatalog,
    private readonly clock: Clock,
    private readonly access: MessageAccess,
    private readonly users: AuthRepository,
  ) {}

  take(id: string, by: Principal) {
    return this.act('take', id, by, (message, { now }) => ({
      to: 'in_progress',
      type: 'taken',
      reason: 'Взято в работу',
      // Whoever takes an unassigned message becomes its executor.
      fields: message.assignee ? {} : { assignee: by.login },
      data: message.assignee ? undefined : { assignee: { before: null, after: by.login } },
      clockEvents: [{ type: 'status', at: now, from: message.status, to: 'in_progress', by: by.login }],
    }));
  }

  askApplicant(id: string, reason: string, by: Principal) {
    return this.act('ask-applicant', id, by, (message, { now }) => ({
      to: 'awaiting_applicant',
      type: 'clarification-requested',
      reason,
      clockEvents: [{ type: 'status', at: now, from: message.status, to: 'awaiting_applicant', by: by.login }],
    }));
  }

  applicantAnswered(id: string, reason: string | undefined, by: Principal) {
    return this.act('applicant-answered', id, by, (message, { now }) => ({
      to: 'in_progress',
      type: 'clarification-received',
      reason: reason ?? 'Заявитель дал уточнения',
      clockEvents: [{ type: 'status', at: now, from: message.status, to: 'in_progress', by: by.login }],
    }));
  }

  interimAnswer(id: string, text: string, by: Principal) {
    return this.act('interim-answer', id, by, (message, { now }) => ({
      to: 'interim_answer',
      type: 'interim-answer',
      reason: 'Промежуточный ответ заявителю',
      data: { text },
      clockEvents: [
        { type: 'status', at: now, from: message.status, to: 'interim_answer', by: by.login },
        { type: 'interim_answer', at: now, by: by.login },
      ],
    }));
  }

  /** Sends the answer. Where the region requires approval, only a head sends directly; an executor drafts. */
  answer(id: string, text: string, by: Principal) {
    return this.act('answer', id, by, (_message, { now }) => {
      if (this.region.data.workflow.answerApproval && !hasRole(by, 'head')) {
        throw new DomainException(ErrorCode.Forbidden, 'Ответ исполнителя отправляется после согласования руководителем: подготовьте проект ответа');
      }
      return {
        to: 'answered',
        type: 'answered',
        reason: 'Ответ отправлен заявителю',
        data: { text },
        fields: { answeredAt: now },
        clockEvents: [{ type: 'answered', at: now, by: by.login }],
      };
    });
  }

  /** The head gives the message to an executor of the organization (or takes it back with null). */
  assign(id: string, login: string | null, reason: string | undefined, by: Principal) {
    return this.act('assign', id, by, async (message, { manager }): Promise<Decision> => {
      let assignee: string | null = null;
      if (login !== null) {
        const user = await this.users.findUserByLogin(login, manager);
        if (!user || !user.active || user.organizationId !== message.organizationId || !user.roles.some((r) => r === 'executor' || r === 'head')) {
          throw new DomainException(ErrorCode.ValidationFailed, 'Исполнитель не найден в этой организации', [
            { field: 'login', message: `нет активного исполнителя «${login}» в организации сообщения` },
          ]);
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
      };
    });
  }

  /** An executor's answer, for the head's approval; the clock keeps running meanwhile. */
  draftAnswer(id: string, text: string, by: Principal) {
    return this.act('draft-answer', id, by, (message, { now }) => ({
      to: 'approval',
      via: 'answer_draft',
      type: 'answer-drafted',
      reason: 'Проект ответа передан на согласование',
      data: { text },
      clockEvents: [{ type: 'status', at: now, from: message.status, to: 'approval', by: by.login }],
    }));
  }

  /** The head approves the draft: it is sent as drafted. Someone other than its author approves. */
  approveAnswer(id: string, reason: string | undefined, by: Principal) {
    return this.act('approve-answer', id, by, async (_message, { now, manager }): Promise<Decision> => {
      const draft = await this.lastDraft(manager, id);
      if (draft.actor === by.login) throw new DomainException(ErrorCode.Forbidden, 'Проект ответа согласует не тот, кто его подготовил');
      return {
        to: 'answered',
        type: 'answered',
        reason: reason ?? 'Ответ согласован и отправлен заявителю',
        data: { text: draft.text, draftedBy: draft.actor, approvedBy: by.login },
        fields: { answeredAt: now },
        clockEvents: [{ type: 'answered', at: now, by: by.login }],
      };
    });
  }

  /** The head sends the draft back for rework, saying why. */
  returnAnswer(id: string, reason: string, by: Principal) {
    return this.act('return-answer', id, by, (message, { now }) => ({
      to: 'answer_draft',
      type: 'answer-returned',
      reason,
      clockEvents: [{ type: 'status', at: now, from: message.status, to: 'answer_draft', by: by.login }],
    }));
  }

  /**
   * The applicant's rating of the answer (1–5), reported by the source the message came from. A
   * low one (per region settings) is flagged for ЦУР's re-consideration review. The same rating
   * again changes nothing.
   */
  async rate(command: { source: string; externalId: string; score: number; comment?: string; ratedAt: Date }) {
    const [found] = await this.messages.transaction((manager) => this.messages.findBySourceKeys(manager, command.source, [command.externalId]));
    if (!found) throw new DomainException(ErrorCode.NotFound, 'Сообщение с таким source и externalId не найдено');
    const low = command.score <= this.region.data.workflow.lowRatingAtMost;
    const { message } = await this.lifecycle.change(
      found.id,
      `source:${command.source}`,
      (message) =>
        message.status === 'rated' && message.rating === command.score
          ? null
          : {
              to: 'rated',
              type: 'rated',
              reason: command.comment ?? `Оценка заявителя: ${command.score}`,
              data: { score: command.score, ratedAt: command.ratedAt.toISOString(), low },
              fields: { rating: command.score, ratedAt: command.ratedAt },
            },
      { action: 'rate' },
    );
    return { id: message.id, status: message.status, rating: command.score, low };
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
    return this.act('reconsider', id, by, (message, { now }) => {
      if (message.duplicateOf) throw new DomainException(ErrorCode.Conflict, 'Это дубль другого сообщения: повторное рассмотрение — по основному сообщению');
      return { to: 'reopened', type: 'reopened', reason, clockEvents: [{ type: 'reopened', at: now, by: by.login }] };
    });
  }

  reject(id: string, reason: string, by: Principal) {
    return this.act('reject', id, by, (_message, { now }) => ({
      to: 'rejected',
      type: 'rejected',
      reason,
      clockEvents: [{ type: 'closed', at: now, reason: 'rejected', by: by.login }],
    }));
  }

  /**
   * Down to a subordinate, up to the parent, or (59-ФЗ) to the competent body: only to an
   * organization that handles messages (never to ЦУР, where nobody would act on it). The policy
   * limits how many times; what the clocks do at the new organization is the policy's too.
   */
  redirect(id: string, command: { organizationId: string; direction: RedirectDirection; reason: string }, by: Principal) {
    return this.act('redirect', id, by, async (message, { now, manager }): Promise<Decision> => {
      const target = this.region.organization(command.organizationId);
      if (!target)
        throw new DomainException(ErrorCode.ValidationFailed, 'Неизвестная организация', [
          { field: 'organizationId', message: `нет организации «${command.organizationId}»` },
        ]);
      if (!handlesMessages(target)) {
        throw new DomainException(ErrorCode.ValidationFailed, 'Организация не рассматривает сообщения', [
          {
            field: 'organizationId',
            message: `«${target.name}» координирует работу и не рассматривает сообщения: выберите орган власти, учреждение или администрацию`,
          },
        ]);
      }
      if (target.id === message.organizationId)
        throw new DomainException(ErrorCode.ValidationFailed, 'Сообщение уже в этой организации', [
          { field: 'organizationId', message: 'укажите другую организацию' },
        ]);
      const current = message.organizationId;
      if (command.direction === 'down' && !this.region.isBelow(target.id, current)) {
        throw new DomainException(ErrorCode.ValidationFailed, 'Не подведомственная организация', [
          { field: 'organizationId', message: `«${target.name}» не подчинена текущей организации` },
        ]);
      }
      if (command.direction === 'up' && !this.region.isBelow(current, target.id)) {
        throw new DomainException(ErrorCode.ValidationFailed, 'Не вышестоящая организация', [
          { field: 'organizationId', message: `«${target.name}» не вышестоящая для текущей организации` },
        ]);
      }
      const policy = this.clocks.policyOf(message);
      const done = (await manager.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM message_event WHERE message_id = $1 AND type = 'redirected'`, [id]))[0]
        .n;
      if (done >= policy.redirects.max) {
        throw new DomainException(ErrorCode.Conflict, `Лимит перенаправлений (${policy.redirects.max}) исчерпан: верните сообщение в ЦУР для решения`);
      }
      // The new organization starts afresh: no executor of the old one, no request the old one filed.
      const withdrawn = (await this.sla.extensionsOf(manager, id)).filter((r) => r.status === 'pending');
      for (const r of withdrawn) {
        await this.sla.updateExtension(manager, r.id, {
          status: 'rejected',
          decidedBy: by.login,
          decidedAt: now,
          decisionReason: 'Сообщение перенаправлено в другую организацию',
        });
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
        clockEvents: [{ type: 'redirected', at: now, organizationId: target.id, direction: command.direction, by: by.login }],
      };
    });
  }

  /** A request to extend the answer term, for the approver; the status stays. */
  async requestExtension(id: string, command: { amount: number; unit?: DurationUnit; reason: string }, by: Principal) {
    let request!: ExtensionRequestEntity;
    await this.act('request-extension', id, by, async (message, { now, manager }): Promise<Decision> => {
      const { policy, clock, due } = await this.extendable(manager, message, now);
      const rules = policy.extensions!;
      const unit = command.unit ?? rules.maxTerm.unit;
      if (unit !== rules.maxTerm.unit)
        throw new DomainException(ErrorCode.ValidationFailed, 'Единица продления', [
          { field: 'unit', message: `продление по политике «${policy.id}» — в единицах ${rules.maxTerm.unit}` },
        ]);
      if (command.amount > rules.maxTerm.amount) {
        throw new DomainException(ErrorCode.ValidationFailed, 'Слишком длинное продление', [
          { field: 'amount', message: `не более ${durationText(rules.maxTerm)} (политика «${policy.id}»)` },
        ]);
      }
      if ((await this.sla.extensionsOf(manager, id)).some((r) => r.status === 'pending'))
        throw new DomainException(ErrorCode.Conflict, 'Уже есть запрос на продление, ожидающий решения');
      request = {
        id: randomUUID(),
        messageId: id,
        clockId: clock.id,
        amount: command.amount,
        unit,
        reason: command.reason,
        status: 'pending',
        requestedBy: by.login,
        requestedAt: now,
        decidedBy: null,
        decidedAt: null,
        decisionReason: null,
        previousDueAt: due,
        newDueAt: null,
      };
      await this.sla.insertExtension(manager, request);
      return {
        to: message.status,
        type: 'extension-requested',
        reason: command.reason,
        data: { requestId: request.id, term: { amount: request.amount, unit }, dueAt: due.toISOString(), approvedBy: rules.approvedBy },
      };
    });
    return this.extensionView(request);
  }

  /**
   * The approver (the head, or ЦУР, per policy) is someone other than the requester; the term
   * must still be running: an expired term cannot be extended after the fact.
   */
  async decideExtension(id: string, requestId: string, decision: { approve: boolean; reason?: string }, by: Principal) {
    let result!: ExtensionRequestEntity;
    await this.lifecycle.change(
      id,
      by.login,
      async (message, { now, manager }): Promise<Decision> => {
        const request = (await this.sla.extensionsOf(manager, id)).find((r) => r.id === requestId);
        if (!request) throw new DomainException(ErrorCode.NotFound, 'Запрос на продление не найден');
        if (request.status !== 'pending')
          throw new DomainException(ErrorCode.Conflict, `Запрос уже рассмотрен (${request.status === 'approved' ? 'утверждён' : 'отклонён'})`);
        if (request.requestedBy === by.login) throw new DomainException(ErrorCode.Forbidden, 'Запрос на продление утверждает не тот, кто его подал');
        const decided = { decidedBy: by.login, decidedAt: now, decisionReason: decision.reason ?? null };
        if (!decision.approve) {
          await this.sla.updateExtension(manager, requestId, { status: 'rejected', ...decided });
          result = { ...request, status: 'rejected', ...decided };
          return { to: message.status, type: 'extension-rejected', reason: decision.reason ?? 'Продление не утверждено', data: { requestId } };
        }
        this.lifecycle.assertAction('request-extension', message);
        const { policy, clock } = await this.extendable(manager, message, now);
        if (clock.id !== request.clockId)
          throw new DomainException(ErrorCode.Conflict, 'Срок, к которому относился запрос, уже сменился: подайте новый запрос');
        const term: DurationSpec = { amount: request.amount, unit: request.unit };
        return {
          to: canTransition(message.status, 'postponed') ? 'postponed' : message.status,
          type: 'extension-approved',
          reason: decision.reason ?? `Срок продлён на ${durationText(term)}`,
          data: { requestId, term, notifyApplicant: policy.extensions!.notifyApplicant },
          clockEvents: [{ type: 'extended', at: now, term, by: by.login, reason: request.reason, requestId }],
          afterwards: async (changed) => {
            await this.sla.updateExtension(manager, requestId, { status: 'approved', ...decided, newDueAt: changed.message.dueAt });
            result = { ...request, status: 'approved', ...decided, newDueAt: changed.message.dueAt };
          },
        };
      },
      {
        authorize: (message) => {
          this.access.assertReadable(by, message);
          if (!this.lifecycle.mayDecideExtension(by, message)) {
            const approvedBy = this.clocks.policyOf(message).extensions?.approvedBy ?? 'head';
            throw new DomainException(
              ErrorCode.Forbidden,
              approvedBy === 'coordinator'
                ? 'Продление по этой политике утверждает ЦУР'
                : 'Продление утверждает руководитель организации, рассматривающей сообщение',
            );
          }
        },
        action: 'decide-extension',
      },
    );
    return this.extensionView(result);
  }

  async extensions(id: string, by: Principal): Promise<ExtensionRequestList> {
    const message = await this.messages.findRow(id);
    this.access.assertReadable(by, message);
    const rows = await this.sla.listExtensions(id);
    return {
      items: rows.map((r) => this.extensionView(r)),
      people: await this.users.people(
        rows.flatMap((r) => (r.decidedBy ? [r.requestedBy, r.decidedBy] : [r.requestedBy])),
        (organizationId) => this.region.named(organizationId),
      ),
    };
  }

  /** The running final-answer clock an extension would move, with the policy's limits checked. */
  private async extendable(manager: EntityManager, message: MessageEntity, now: Date) {
    const policy = this.clocks.policyOf(message);
    const rules = policy.extensions;
    if (!rules || rules.max === 0) throw new DomainException(ErrorCode.Conflict, `Политика «${policy.id}» не предусматривает продления срока`);
    const clocks = await this.sla.clocksOf(manager, message.id);
    const clock = clocks
      .filter((c) => c.kind === 'final_answer' && (c.status === 'running' || c.status === 'paused'))
      .sort((a, b) => b.generation - a.generation)[0];
    if (!clock) throw new DomainException(ErrorCode.Conflict, 'Срок ответа не идёт: продлевать нечего');
    if (clock.blockedYear !== null)
      throw new DomainException(ErrorCode.Conflict, `Срок ещё не рассчитан (нет производственного календаря на ${clock.blockedYear} год): продлевать нечего`);
    if (clock.status === 'paused' || !clock.dueAt) throw new DomainException(ErrorCode.Conflict, 'Срок приостановлен: продление возможно после возобновления');
    if (clock.dueAt < now) throw new DomainException(ErrorCode.Conflict, 'Срок ответа уже истёк: продлить истёкший срок нельзя');
    // The clock's own count: extensions carried over when a reclassification replaced the clock count too.
    if (clock.extensions >= rules.max) throw new DomainException(ErrorCode.Conflict, `Лимит продлений (${rules.max}) по политике «${policy.id}» исчерпан`);
    return { policy, clock, due: clock.dueAt };
  }

  private extensionView(r: ExtensionRequestEntity): ExtensionRequestView {
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

  /**
   * A person's action on a message: the handling organization's staff, or ЦУР operators for
   * moderation and re-consideration (checked on the locked row, so a redirect that just moved the
   * message away cannot be raced), then the change through the life cycle.
   */
  private async act(
    action: MessageActionName,
    id: string,
    by: Principal,
    decide: (message: MessageEntity, context: DecisionContext) => Decision | Promise<Decision>,
  ) {
    const moderates = action === 'reconsider' || action === 'reject';
    const changed: Changed = await this.lifecycle.change(id, by.login, decide, {
      action,
      authorize: (message) => {
        if (moderates) {
          if (!message || !hasRole(by, 'operator')) throw new DomainException(ErrorCode.NotFound, 'Сообщение не найдено');
        } else {
          this.access.assertHandles(by, message);
        }
      },
    });
    const m = changed.message;
    return { id: m.id, status: m.status, organizationId: m.organizationId, dueAt: m.dueAt ? this.region.zone.format(m.dueAt) : null };
  }
}
