import { DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSourceOptions } from 'typeorm';
import { ClassifierModelRepository } from './repositories/classifier-model.repository';
import { MessageRepository } from './repositories/message.repository';
import { OutboxRepository } from './repositories/outbox.repository';
import { ProcessedEventRepository } from './repositories/processed-event.repository';
import { SlaRepository } from './repositories/sla.repository';
import { DisciplineRepository } from './repositories/discipline.repository';
import { AuthRepository } from './repositories/auth.repository';
import { ReportRepository } from './repositories/report.repository';
import { DashboardRepository } from './repositories/dashboard.repository';
import { LiveEventRepository } from './repositories/live-event.repository';
import { DeadLetterRepository } from './repositories/dead-letter.repository';
import { AnswerTemplateRepository } from './repositories/answer-template.repository';
import { SavedViewRepository } from './repositories/saved-view.repository';
import { JobLeaseRepository } from './repositories/job-lease.repository';
import { EngagementRepository } from './repositories/engagement.repository';
import { EngagementCommentRepository } from './repositories/engagement-comment.repository';
import { PipelineFiguresRepository } from './repositories/pipeline-figures.repository';

const REPOSITORIES = [
  MessageRepository,
  OutboxRepository,
  ProcessedEventRepository,
  ClassifierModelRepository,
  SlaRepository,
  DisciplineRepository,
  AuthRepository,
  ReportRepository,
  DashboardRepository,
  LiveEventRepository,
  DeadLetterRepository,
  AnswerTemplateRepository,
  SavedViewRepository,
  JobLeaseRepository,
  EngagementRepository,
  EngagementCommentRepository,
  PipelineFiguresRepository,
];

@Global()
@Module({})
export class PersistenceModule {
  static forRoot(options: DataSourceOptions): DynamicModule {
    return {
      module: PersistenceModule,
      imports: [TypeOrmModule.forRoot({ ...options, retryAttempts: 3, retryDelay: 1000 })],
      providers: REPOSITORIES,
      exports: REPOSITORIES,
    };
  }
}
