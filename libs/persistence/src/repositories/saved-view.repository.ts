import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { SavedViewEntity, UserEntity } from '../entities';

@Injectable()
export class SavedViewRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * A change of a user's views, with the user's row locked: two requests of one user at once
   * (two tabs) cannot both pass the per-user limit or take one name.
   */
  forUser<T>(userId: string, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      await manager.findOne(UserEntity, { where: { id: userId }, lock: { mode: 'pessimistic_write' } });
      return work(manager);
    });
  }

  listOf(userId: string): Promise<SavedViewEntity[]> {
    return this.dataSource.getRepository(SavedViewEntity).createQueryBuilder('v').where('v.user_id = :userId', { userId }).orderBy('lower(v.name)').getMany();
  }

  /** The user's own view; another user's is as absent as a missing one. */
  findOwn(manager: EntityManager, userId: string, id: string): Promise<SavedViewEntity | null> {
    return manager.findOne(SavedViewEntity, { where: { id, userId } });
  }

  count(manager: EntityManager, userId: string): Promise<number> {
    return manager.count(SavedViewEntity, { where: { userId } });
  }

  async nameTaken(manager: EntityManager, userId: string, name: string, exceptId?: string): Promise<boolean> {
    const rows = await manager.query<unknown[]>(
      `SELECT 1 FROM saved_view WHERE user_id = $1 AND lower(name) = lower($2) AND ($3::uuid IS NULL OR id <> $3::uuid) LIMIT 1`,
      [userId, name, exceptId ?? null],
    );
    return rows.length > 0;
  }

  async insert(manager: EntityManager, row: SavedViewEntity): Promise<void> {
    await manager.insert(SavedViewEntity, row);
  }

  async update(manager: EntityManager, id: string, changes: QueryDeepPartialEntity<SavedViewEntity>): Promise<void> {
    await manager.update(SavedViewEntity, { id }, changes);
  }

  async delete(manager: EntityManager, id: string): Promise<void> {
    await manager.delete(SavedViewEntity, { id });
  }
}
