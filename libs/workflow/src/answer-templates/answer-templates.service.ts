import type { AnswerTemplateHistory, AnswerTemplateView } from '@cur/contracts';
import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { RegionCatalog } from '@cur/config';
import { AnswerTemplateEntity, AnswerTemplateRepository, AuthRepository } from '@cur/persistence';
import { Clock, DomainException, ErrorCode } from '@cur/platform';

export interface AnswerTemplateInput {
  categoryCode: string | null;
  title: string;
  body: string;
  reason?: string;
  version?: number;
}

/** The fields a change is recorded with, before and after. */
const TRACKED = ['categoryCode', 'title', 'body', 'active'] as const;

/**
 * Answer templates: read by those who answer messages, kept by admins. Each change is one
 * transaction with its history entry (who, when, why, before and after); removing one keeps it,
 * out of use, for that history.
 */
@Injectable()
export class AnswerTemplatesService {
  constructor(
    private readonly templates: AnswerTemplateRepository,
    private readonly region: RegionCatalog,
    private readonly clock: Clock,
    private readonly auth: AuthRepository,
  ) {}

  async list(categoryCode?: string): Promise<{ items: AnswerTemplateView[] }> {
    if (categoryCode !== undefined) this.assertCategory(categoryCode);
    return { items: (await this.templates.listActive(categoryCode)).map((t) => this.view(t)) };
  }

  async history(id: string): Promise<AnswerTemplateHistory> {
    const template = await this.templates.findById(id);
    if (!template) throw new DomainException(ErrorCode.NotFound, 'Шаблон ответа не найден');
    const events = await this.templates.history(id);
    return {
      template: this.view(template),
      items: events.map((e) => ({ at: e.at.toISOString(), type: e.type, actor: e.actor, reason: e.reason, before: e.before, after: e.after })),
      people: await this.auth.people(
        events.map((e) => e.actor),
        (organizationId) => this.region.named(organizationId),
      ),
    };
  }

  async create(input: AnswerTemplateInput, actor: string) {
    this.assertInput(input);
    const now = this.clock.now();
    return this.templates.transaction(async (manager) => {
      await this.assertTitleFree(manager, input.categoryCode, input.title);
      const row: AnswerTemplateEntity = {
        id: randomUUID(),
        categoryCode: input.categoryCode,
        title: input.title.trim(),
        body: input.body,
        active: true,
        version: 1,
        createdBy: actor,
        createdAt: now,
        updatedBy: actor,
        updatedAt: now,
      };
      await this.templates.insert(manager, row).catch(this.titleRace(input));
      await this.templates.addEvent(manager, {
        templateId: row.id,
        type: 'created',
        actor,
        reason: input.reason ?? null,
        before: null,
        after: tracked(row),
        at: now,
      });
      return this.view(row);
    });
  }

  async update(id: string, input: AnswerTemplateInput & { reason: string }, actor: string) {
    this.assertInput(input);
    const now = this.clock.now();
    return this.templates.transaction(async (manager) => {
      const current = await this.lockActive(manager, id);
      if (input.version !== undefined && input.version !== current.version)
        throw new DomainException(ErrorCode.Conflict, 'Шаблон уже изменил кто-то другой: откройте его заново', [
          { field: 'version', message: `Версия: сейчас ${current.version}, вы правили ${input.version}` },
        ]);
      await this.assertTitleFree(manager, input.categoryCode, input.title, id);
      const next: AnswerTemplateEntity = {
        ...current,
        categoryCode: input.categoryCode,
        title: input.title.trim(),
        body: input.body,
        version: current.version + 1,
        updatedBy: actor,
        updatedAt: now,
      };
      const { before, after } = difference(current, next);
      if (Object.keys(after).length === 0) return this.view(current);
      await this.templates
        .update(manager, id, {
          categoryCode: next.categoryCode,
          title: next.title,
          body: next.body,
          version: next.version,
          updatedBy: actor,
          updatedAt: now,
        })
        .catch(this.titleRace(input));
      await this.templates.addEvent(manager, { templateId: id, type: 'updated', actor, reason: input.reason, before, after, at: now });
      return this.view(next);
    });
  }

  async remove(id: string, reason: string, actor: string) {
    const now = this.clock.now();
    return this.templates.transaction(async (manager) => {
      const current = await this.lockActive(manager, id);
      await this.templates.update(manager, id, { active: false, version: current.version + 1, updatedBy: actor, updatedAt: now });
      await this.templates.addEvent(manager, { templateId: id, type: 'removed', actor, reason, before: { active: true }, after: { active: false }, at: now });
      return { id, removed: true };
    });
  }

  private async lockActive(manager: Parameters<AnswerTemplateRepository['lock']>[0], id: string): Promise<AnswerTemplateEntity> {
    const current = await this.templates.lock(manager, id);
    if (!current || !current.active) throw new DomainException(ErrorCode.NotFound, 'Шаблон ответа не найден');
    return current;
  }

  /** Text of spaces only passes «not empty»: it is refused here, as an empty one is. */
  private assertInput(input: AnswerTemplateInput): void {
    this.assertCategory(input.categoryCode);
    const blank = [
      ...(input.title.trim() ? [] : [{ field: 'title', message: 'Заголовок: не может быть пустым' }]),
      ...(input.body.trim() ? [] : [{ field: 'body', message: 'Текст: не может быть пустым' }]),
    ];
    if (blank.length) throw new DomainException(ErrorCode.ValidationFailed, 'Некорректные данные запроса', blank);
  }

  private assertCategory(code: string | null): void {
    if (code !== null && !this.region.category(code))
      throw new DomainException(ErrorCode.ValidationFailed, 'Неизвестная категория', [
        { field: 'categoryCode', message: `Категория: нет категории «${code}» в рубрикаторе региона` },
      ]);
  }

  /** Another admin took the title between the check and the write: the same answer as the check's. */
  private titleRace(input: AnswerTemplateInput) {
    return (error: unknown): never => {
      if (isUniqueViolation(error)) throw this.titleConflict(input.categoryCode, input.title);
      throw error;
    };
  }

  private titleConflict(categoryCode: string | null, title: string): DomainException {
    return new DomainException(ErrorCode.Conflict, 'Такой шаблон уже есть', [
      { field: 'title', message: `Заголовок: шаблон «${title.trim()}» ${categoryCode ? 'для этой категории' : 'для всех категорий'} уже есть` },
    ]);
  }

  private async assertTitleFree(manager: Parameters<AnswerTemplateRepository['lock']>[0], categoryCode: string | null, title: string, exceptId?: string) {
    if (await this.templates.titleTaken(manager, categoryCode, title.trim(), exceptId)) throw this.titleConflict(categoryCode, title);
  }

  private view(t: AnswerTemplateEntity): AnswerTemplateView {
    const category = t.categoryCode ? this.region.category(t.categoryCode) : undefined;
    return {
      id: t.id,
      categoryCode: t.categoryCode,
      category: category ? { code: category.code, name: category.name } : null,
      title: t.title,
      body: t.body,
      version: t.version,
      createdBy: t.createdBy,
      createdAt: t.createdAt.toISOString(),
      updatedBy: t.updatedBy,
      updatedAt: t.updatedAt.toISOString(),
    };
  }
}

export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: unknown; driverError?: { code?: unknown } } | null;
  return e?.code === '23505' || e?.driverError?.code === '23505';
}

function tracked(t: AnswerTemplateEntity): Record<string, unknown> {
  return Object.fromEntries(TRACKED.map((k) => [k, t[k]]));
}

function difference(a: AnswerTemplateEntity, b: AnswerTemplateEntity): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const k of TRACKED) {
    if (a[k] === b[k]) continue;
    before[k] = a[k];
    after[k] = b[k];
  }
  return { before, after };
}
