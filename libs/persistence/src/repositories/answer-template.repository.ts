import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, EntityManager } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { AnswerTemplateEntity, AnswerTemplateEventEntity } from '../entities';

@Injectable()
export class AnswerTemplateRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** Templates in use: for a category those of it and those for all categories (its own first); all of them without one. */
  listActive(categoryCode?: string): Promise<AnswerTemplateEntity[]> {
    const query = this.dataSource.getRepository(AnswerTemplateEntity).createQueryBuilder('t').where('t.active');
    if (categoryCode !== undefined)
      query.andWhere(new Brackets((w) => w.where('t.category_code = :categoryCode', { categoryCode }).orWhere('t.category_code IS NULL')));
    return query.orderBy('t.category_code IS NULL', 'ASC').addOrderBy('t.category_code', 'ASC').addOrderBy('lower(t.title)', 'ASC').getMany();
  }

  findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<AnswerTemplateEntity | null> {
    return manager.findOne(AnswerTemplateEntity, { where: { id } });
  }

  lock(manager: EntityManager, id: string): Promise<AnswerTemplateEntity | null> {
    return manager.findOne(AnswerTemplateEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** An active template of the category (null: for all) with this title in any case, other than `exceptId`. */
  async titleTaken(manager: EntityManager, categoryCode: string | null, title: string, exceptId?: string): Promise<boolean> {
    const rows = await manager.query<unknown[]>(
      `SELECT 1 FROM answer_template
        WHERE active AND coalesce(category_code, '') = coalesce($1, '') AND lower(title) = lower($2) AND ($3::uuid IS NULL OR id <> $3::uuid)
        LIMIT 1`,
      [categoryCode, title, exceptId ?? null],
    );
    return rows.length > 0;
  }

  async insert(manager: EntityManager, row: AnswerTemplateEntity): Promise<void> {
    await manager.insert(AnswerTemplateEntity, row);
  }

  async update(manager: EntityManager, id: string, changes: QueryDeepPartialEntity<AnswerTemplateEntity>): Promise<void> {
    await manager.update(AnswerTemplateEntity, { id }, changes);
  }

  async addEvent(manager: EntityManager, event: Omit<AnswerTemplateEventEntity, 'id'>): Promise<void> {
    await manager.insert(AnswerTemplateEventEntity, event as QueryDeepPartialEntity<AnswerTemplateEventEntity>);
  }

  history(templateId: string): Promise<AnswerTemplateEventEntity[]> {
    return this.dataSource.getRepository(AnswerTemplateEventEntity).find({ where: { templateId }, order: { id: 'ASC' } });
  }
}
