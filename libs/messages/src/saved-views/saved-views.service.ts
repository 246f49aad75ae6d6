import type { SavedViewView } from '@cur/contracts';
import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { SavedViewEntity, SavedViewRepository } from '@cur/persistence';
import { Clock, DomainException, ErrorCode, Principal } from '@cur/platform';
import { savedViewQuery } from './saved-view-query';

/** Enough for every queue and report a person works with; a screen lists them all at once. */
export const MAX_SAVED_VIEWS = 50;

@Injectable()
export class SavedViewsService {
  constructor(
    private readonly views: SavedViewRepository,
    private readonly clock: Clock,
  ) {}

  async list(principal: Principal): Promise<{ items: SavedViewView[]; limit: number }> {
    return { items: (await this.views.listOf(principal.userId)).map(view), limit: MAX_SAVED_VIEWS };
  }

  async create(input: { name: string; query: string }, principal: Principal) {
    const { name, query } = checked(input);
    const now = this.clock.now();
    return this.views.forUser(principal.userId, async (manager) => {
      if ((await this.views.count(manager, principal.userId)) >= MAX_SAVED_VIEWS)
        throw new DomainException(ErrorCode.Conflict, `Сохранить можно не больше ${MAX_SAVED_VIEWS} видов`, [
          { field: 'name', message: `Название: у вас уже ${MAX_SAVED_VIEWS} сохранённых видов — удалите ненужный` },
        ]);
      await this.assertNameFree(manager, principal.userId, name);
      const row: SavedViewEntity = { id: randomUUID(), userId: principal.userId, name, query, createdAt: now, updatedAt: now };
      await this.views.insert(manager, row);
      return view(row);
    });
  }

  async update(id: string, input: { name: string; query: string }, principal: Principal) {
    const { name, query } = checked(input);
    const now = this.clock.now();
    return this.views.forUser(principal.userId, async (manager) => {
      const current = await this.own(manager, id, principal);
      await this.assertNameFree(manager, principal.userId, name, id);
      await this.views.update(manager, id, { name, query, updatedAt: now });
      return view({ ...current, name, query, updatedAt: now });
    });
  }

  async remove(id: string, principal: Principal) {
    return this.views.forUser(principal.userId, async (manager) => {
      await this.own(manager, id, principal);
      await this.views.delete(manager, id);
      return { id, removed: true };
    });
  }

  private async own(manager: EntityManager, id: string, principal: Principal): Promise<SavedViewEntity> {
    const found = await this.views.findOwn(manager, principal.userId, id);
    if (!found) throw new DomainException(ErrorCode.NotFound, 'Сохранённый вид не найден');
    return found;
  }

  private async assertNameFree(manager: EntityManager, userId: string, name: string, exceptId?: string): Promise<void> {
    if (await this.views.nameTaken(manager, userId, name, exceptId))
      throw new DomainException(ErrorCode.Conflict, 'Такое название уже есть', [{ field: 'name', message: `Название: вид «${name}» у вас уже есть` }]);
  }
}

function checked(input: { name: string; query: string }): { name: string; query: string } {
  const name = input.name.trim();
  const { query, errors } = savedViewQuery(input.query);
  if (!name) errors.unshift({ field: 'name', message: 'Название: не может быть пустым' });
  if (errors.length) throw new DomainException(ErrorCode.ValidationFailed, 'Некорректные данные запроса', errors);
  return { name, query };
}

function view(v: SavedViewEntity): SavedViewView {
  return { id: v.id, name: v.name, query: v.query, createdAt: v.createdAt.toISOString(), updatedAt: v.updatedAt.toISOString() };
}
