import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { ClassificationExampleEntity, ClassifierModelEntity, ClassifierModelEventEntity, ClassifierModelStatus } from '../entities';

export type NewClassifierModel = Omit<ClassifierModelEntity, 'activatedAt'> & { activatedAt?: Date | null };
export type NewClassifierModelEvent = Omit<ClassifierModelEventEntity, 'id'>;
export type ClassifierModelSummary = Omit<ClassifierModelEntity, 'file'>;

/** A labelled text for training or judging a model. */
export interface StoredExample {
  messageId: string;
  text: string;
  label: string;
}

@Injectable()
export class ClassifierModelRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** Serializes model changes of one rubricator (training a bootstrap, activating, rolling back). */
  async lockRubricator(manager: EntityManager, region: string, rubricator: string): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`classifier:${region}:${rubricator}`]);
  }

  async nextVersion(manager: EntityManager, region: string, rubricator: string): Promise<number> {
    const [row] = await manager.query<{ next: number | string }[]>(
      `SELECT coalesce(max(version), 0) + 1 AS next FROM classifier_model WHERE region = $1 AND rubricator = $2`,
      [region, rubricator],
    );
    return Number(row.next);
  }

  async insert(manager: EntityManager, model: NewClassifierModel): Promise<void> {
    await manager.insert(ClassifierModelEntity, { activatedAt: null, ...model } as QueryDeepPartialEntity<ClassifierModelEntity>);
  }

  async addEvents(manager: EntityManager, events: NewClassifierModelEvent[]): Promise<void> {
    if (events.length) await manager.insert(ClassifierModelEventEntity, events as QueryDeepPartialEntity<ClassifierModelEventEntity>[]);
  }

  async setStatus(manager: EntityManager, id: string, status: ClassifierModelStatus, activatedAt?: Date): Promise<void> {
    await manager.update(ClassifierModelEntity, { id }, activatedAt ? { status, activatedAt } : { status });
  }

  async findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<ClassifierModelSummary | null> {
    return manager.findOne(ClassifierModelEntity, { where: { id } });
  }

  async findActive(region: string, rubricator: string, manager: EntityManager = this.dataSource.manager): Promise<ClassifierModelSummary | null> {
    return manager.findOne(ClassifierModelEntity, { where: { region, rubricator, status: 'active' } });
  }

  /** The active model id per rubricator: the cheap query that tells a service its cache is stale. */
  async activeIds(region: string): Promise<Map<string, string>> {
    const rows: { rubricator: string; id: string }[] = await this.dataSource.query(
      `SELECT rubricator, id FROM classifier_model WHERE region = $1 AND status = 'active'`,
      [region],
    );
    return new Map(rows.map((r) => [r.rubricator, r.id]));
  }

  async countModels(region: string, rubricator: string, manager: EntityManager = this.dataSource.manager): Promise<number> {
    return manager.count(ClassifierModelEntity, { where: { region, rubricator } });
  }

  /** The model file (gzip), loaded only when a model is put to use. */
  async loadFile(id: string, manager: EntityManager = this.dataSource.manager): Promise<Buffer> {
    const row = await manager.createQueryBuilder(ClassifierModelEntity, 'm').select('m.file', 'file').where('m.id = :id', { id }).getRawOne<{ file: Buffer }>();
    if (!row) throw new Error(`classifier model ${id} not found`);
    return row.file;
  }

  async list(region: string, rubricator?: string): Promise<ClassifierModelSummary[]> {
    return this.dataSource.getRepository(ClassifierModelEntity).find({
      where: rubricator ? { region, rubricator } : { region },
      order: { rubricator: 'ASC', version: 'DESC' },
    });
  }

  /** The model that was active before the current one: the latest retired model that had been activated. */
  async previouslyActive(manager: EntityManager, region: string, rubricator: string): Promise<ClassifierModelSummary | null> {
    return manager
      .createQueryBuilder(ClassifierModelEntity, 'm')
      .where(`m.region = :region AND m.rubricator = :rubricator AND m.status = 'retired' AND m.activated_at IS NOT NULL`, { region, rubricator })
      .orderBy('m.activated_at', 'DESC')
      .addOrderBy('m.version', 'DESC')
      .getOne();
  }

  async history(modelIds: string[]): Promise<ClassifierModelEventEntity[]> {
    if (modelIds.length === 0) return [];
    return this.dataSource
      .getRepository(ClassifierModelEventEntity)
      .createQueryBuilder('e')
      .where('e.model_id IN (:...ids)', { ids: modelIds })
      .orderBy('e.id', 'ASC')
      .getMany();
  }

  /** Stores (or replaces: the latest decision on a message wins) an operator's labelled example. */
  async upsertExample(manager: EntityManager, example: ClassificationExampleEntity): Promise<void> {
    await manager
      .createQueryBuilder()
      .insert()
      .into(ClassificationExampleEntity)
      .values(example)
      .orUpdate(['label', 'predicted', 'predicted_probability', 'model_version', 'actor', 'created_at', 'rubricator', 'region'], ['message_id'])
      .execute();
  }

  /** Labelled examples with the message text: the training set (holdout = false) or the judging set. */
  async examples(region: string, rubricator: string, holdout: boolean): Promise<StoredExample[]> {
    const rows: { message_id: string; text: string | null; label: string }[] = await this.dataSource.query(
      `SELECT e.message_id, m.text, e.label
         FROM classification_example e JOIN message m ON m.id = e.message_id
        WHERE e.region = $1 AND e.rubricator = $2 AND e.holdout = $3 AND m.text IS NOT NULL AND m.text <> ''
        ORDER BY e.message_id`,
      [region, rubricator, holdout],
    );
    return rows.map((r) => ({ messageId: r.message_id, text: r.text ?? '', label: r.label }));
  }

  async countExamples(region: string, rubricator: string, since?: Date): Promise<{ training: number; holdout: number }> {
    const [row] = await this.dataSource.query<{ training: number; holdout: number }[]>(
      `SELECT count(*) FILTER (WHERE NOT holdout)::int AS training, count(*) FILTER (WHERE holdout)::int AS holdout
         FROM classification_example WHERE region = $1 AND rubricator = $2 AND ($3::timestamptz IS NULL OR created_at > $3)`,
      [region, rubricator, since ?? null],
    );
    return { training: row.training, holdout: row.holdout };
  }
}
