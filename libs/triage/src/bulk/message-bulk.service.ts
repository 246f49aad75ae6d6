import type { BulkResult } from '@cur/contracts';
import { Injectable, Logger } from '@nestjs/common';
import { RegionCatalog } from '@cur/config';
import { handlesMessages, MessageStatus } from '@cur/domain';
import { Clock, DomainException, ErrorCode, errorForLog, FieldError, Principal } from '@cur/platform';
import { WorkflowService } from '@cur/workflow';
import { OperatorQueueService } from '../operator-queue.service';
import { OperatorTriageService } from '../operator-triage.service';
import { BULK_PARAMETERS, BulkMessagesBody } from './message-bulk.dto';

export type BulkItemResult = { id: string; ok: true; status: MessageStatus } | { id: string; ok: false; code: string; message: string; errors?: FieldError[] };

/**
 * One action on many messages, each through the very path its single-message route takes (the
 * operators' triage and queue services, the workflow's rejection), so each message changes in its
 * own transaction through the message life cycle, with its own history entry, and the status and
 * role rules are the life cycle's. One message refused does not undo or stop the others; the
 * answer says, per id, what became of it. What is wrong with the request itself (the ids, the
 * action, its parameters, an unknown category or organization) is a 400 before anything is written.
 */
@Injectable()
export class MessageBulkService {
  private readonly logger = new Logger(MessageBulkService.name);

  constructor(
    private readonly triage: OperatorTriageService,
    private readonly queue: OperatorQueueService,
    private readonly workflow: WorkflowService,
    private readonly region: RegionCatalog,
    private readonly clock: Clock,
  ) {}

  async run(body: BulkMessagesBody, by: Principal): Promise<BulkResult> {
    this.validate(body);
    const results: BulkItemResult[] = [];
    for (const id of body.ids) {
      try {
        results.push({ id, ok: true, status: await this.one(body, id, by) });
      } catch (error) {
        if (error instanceof DomainException) {
          results.push({ id, ok: false, code: error.code, message: error.message, ...(error.errors ? { errors: error.errors } : {}) });
        } else {
          // A fault, not a rule: logged by its class and code (never the input), the message left as it was.
          this.logger.error(`bulk ${body.action} of ${id}: ${errorForLog(error)}`);
          results.push({ id, ok: false, code: 'INTERNAL', message: 'Внутренняя ошибка: сообщение не изменено' });
        }
      }
    }
    const succeeded = results.filter((r) => r.ok).length;
    return { action: body.action, at: this.clock.now().toISOString(), total: results.length, succeeded, failed: results.length - succeeded, results };
  }

  private async one(body: BulkMessagesBody, id: string, by: Principal): Promise<MessageStatus> {
    switch (body.action) {
      case 'categorize':
      case 'route':
        return (await this.triage.categorize(id, { categoryCode: body.categoryCode, organizationId: body.organizationId, reason: body.reason }, by.login))
          .status;
      case 'importance':
        return (await this.queue.setImportance(id, body.importance!, body.reason, by.login)).status;
      case 'reject':
        return (await this.workflow.reject(id, body.reason, by)).status;
      case 'merge':
        return (await this.queue.merge(id, body.targetId!, body.reason, by.login)).status;
    }
  }

  /** What the request itself gets wrong beyond the DTO's rules: a 400 naming the field, nothing written. */
  private validate(body: BulkMessagesBody): void {
    const errors: FieldError[] = [];
    const allowed = new Set<string>(BULK_PARAMETERS[body.action]);
    for (const name of new Set(Object.values(BULK_PARAMETERS).flat())) {
      if (body[name] !== undefined && !allowed.has(name)) errors.push({ field: name, message: `${name}: не параметр действия «${body.action}»` });
    }
    if (body.categoryCode !== undefined && allowed.has('categoryCode') && !this.region.category(body.categoryCode)) {
      errors.push({ field: 'categoryCode', message: `categoryCode: нет категории «${body.categoryCode}»` });
    }
    if (body.organizationId !== undefined && allowed.has('organizationId')) {
      const organization = this.region.organization(body.organizationId);
      if (!organization) errors.push({ field: 'organizationId', message: `organizationId: нет организации «${body.organizationId}»` });
      else if (!handlesMessages(organization))
        errors.push({ field: 'organizationId', message: `organizationId: «${organization.name}» координирует работу и не рассматривает сообщения` });
    }
    if (body.action === 'merge' && body.targetId !== undefined && body.ids.includes(body.targetId)) {
      errors.push({ field: 'targetId', message: 'targetId: основное сообщение не может быть в списке объединяемых' });
    }
    if (errors.length) throw new DomainException(ErrorCode.ValidationFailed, 'Некорректные данные запроса', errors);
  }
}
