import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import {
  DisciplineCaseBreachEntity,
  DisciplineCaseEntity,
  DisciplineCaseReportBreachEntity,
  DisciplineCaseStatus,
  DisciplineEventEntity,
  ReportBreachEntity,
} from '../entities';

@Injectable()
export class DisciplineRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async insert(
    manager: EntityManager,
    row: DisciplineCaseEntity,
    breachIds: string[],
    reportBreachIds: string[] = [],
    engagementBreachIds: string[] = [],
  ): Promise<void> {
    await manager.insert(DisciplineCaseEntity, row);
    for (const engagementBreachId of engagementBreachIds)
      await manager.query(`INSERT INTO discipline_case_engagement_breach (case_id, engagement_breach_id) VALUES ($1, $2)`, [row.id, engagementBreachId]);
    if (reportBreachIds.length)
      await manager.insert(
        DisciplineCaseReportBreachEntity,
        reportBreachIds.map((reportBreachId) => ({ caseId: row.id, reportBreachId })),
      );
    if (breachIds.length)
      await manager.insert(
        DisciplineCaseBreachEntity,
        breachIds.map((breachId) => ({ caseId: row.id, breachId })),
      );
  }

  lock(manager: EntityManager, id: string): Promise<DisciplineCaseEntity | null> {
    return manager.findOne(DisciplineCaseEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async update(manager: EntityManager, id: string, changes: QueryDeepPartialEntity<DisciplineCaseEntity>): Promise<void> {
    await manager.update(DisciplineCaseEntity, { id }, changes);
  }

  async addEvent(manager: EntityManager, event: Omit<DisciplineEventEntity, 'id'>): Promise<void> {
    await manager.insert(DisciplineEventEntity, event as QueryDeepPartialEntity<DisciplineEventEntity>);
  }

  /** Breach ids already answered for by some case. */
  async linkedBreaches(manager: EntityManager, breachIds: string[]): Promise<{ breachId: string; caseId: string }[]> {
    if (breachIds.length === 0) return [];
    return manager.createQueryBuilder(DisciplineCaseBreachEntity, 'l').where('l.breach_id IN (:...ids)', { ids: breachIds }).getMany();
  }

  findById(id: string): Promise<DisciplineCaseEntity | null> {
    return this.dataSource.getRepository(DisciplineCaseEntity).findOne({ where: { id } });
  }

  /** Late monthly summaries (report_breach) by id. */
  reportBreachesByIds(manager: EntityManager, ids: string[]): Promise<ReportBreachEntity[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return manager.createQueryBuilder(ReportBreachEntity, 'b').where('b.id IN (:...ids)', { ids }).getMany();
  }

  /** Late summaries already answered for by some case. */
  async linkedReportBreaches(manager: EntityManager, ids: string[]): Promise<{ reportBreachId: string; caseId: string }[]> {
    if (ids.length === 0) return [];
    return manager.createQueryBuilder(DisciplineCaseReportBreachEntity, 'l').where('l.report_breach_id IN (:...ids)', { ids }).getMany();
  }

  /** Late engagement results and decisions (engagement_breach) by id. */
  engagementBreachesByIds(manager: EntityManager, ids: string[]): Promise<{ id: string; organizationId: string; dueAt: Date }[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return manager.query(`SELECT id, organization_id AS "organizationId", due_at AS "dueAt" FROM engagement_breach WHERE id = ANY($1)`, [ids]);
  }

  /** Engagement breaches already answered for by some case. */
  linkedEngagementBreaches(manager: EntityManager, ids: string[]): Promise<{ engagementBreachId: string; caseId: string }[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return manager.query(
      `SELECT engagement_breach_id AS "engagementBreachId", case_id AS "caseId" FROM discipline_case_engagement_breach WHERE engagement_breach_id = ANY($1)`,
      [ids],
    );
  }

  engagementBreachIdsOf(caseIds: string[]): Promise<{ caseId: string; engagementBreachId: string }[]> {
    if (caseIds.length === 0) return Promise.resolve([]);
    return this.dataSource.query(
      `SELECT case_id AS "caseId", engagement_breach_id AS "engagementBreachId" FROM discipline_case_engagement_breach WHERE case_id = ANY($1)`,
      [caseIds],
    );
  }

  reportBreachIdsOf(caseIds: string[]): Promise<DisciplineCaseReportBreachEntity[]> {
    if (caseIds.length === 0) return Promise.resolve([]);
    return this.dataSource.getRepository(DisciplineCaseReportBreachEntity).createQueryBuilder('l').where('l.case_id IN (:...ids)', { ids: caseIds }).getMany();
  }

  breachIdsOf(caseIds: string[]): Promise<DisciplineCaseBreachEntity[]> {
    if (caseIds.length === 0) return Promise.resolve([]);
    return this.dataSource.getRepository(DisciplineCaseBreachEntity).createQueryBuilder('l').where('l.case_id IN (:...ids)', { ids: caseIds }).getMany();
  }

  eventsOf(caseId: string): Promise<DisciplineEventEntity[]> {
    return this.dataSource.getRepository(DisciplineEventEntity).find({ where: { caseId }, order: { id: 'ASC' } });
  }

  list(filter: { organizationIds?: string[]; statuses?: DisciplineCaseStatus[]; limit: number }): Promise<DisciplineCaseEntity[]> {
    const q = this.dataSource.getRepository(DisciplineCaseEntity).createQueryBuilder('c');
    if (filter.organizationIds) q.andWhere('c.organization_id IN (:...orgs)', { orgs: filter.organizationIds });
    if (filter.statuses?.length) q.andWhere('c.status IN (:...statuses)', { statuses: filter.statuses });
    return q.orderBy('c.created_at', 'DESC').addOrderBy('c.id', 'DESC').limit(filter.limit).getMany();
  }
}
