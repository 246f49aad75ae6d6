import { ApplicantEntity } from './applicant.entity';
import { AuthSessionEntity, PersonalDataAccessEntity, RefreshTokenEntity, SigningKeyEntity, UserEntity, UserEventEntity } from './auth.entity';
import { DisciplineCaseBreachEntity, DisciplineCaseEntity, DisciplineCaseReportBreachEntity, DisciplineEventEntity } from './discipline.entity';
import { DeadLetterEntity } from './dead-letter.entity';
import { ClassificationExampleEntity, ClassifierModelEntity, ClassifierModelEventEntity } from './classifier-model.entity';
import { AnswerTemplateEntity, AnswerTemplateEventEntity, SavedViewEntity } from './console.entity';
import { MessageEventEntity } from './message-event.entity';
import { MessageEntity } from './message.entity';
import { OutboxEntity } from './outbox.entity';
import { ProcessedEventEntity } from './processed-event.entity';
import { MonthlyReportEntity, MonthlyReportEventEntity, ReportBreachEntity, ReportFactEntity, ReportSubmissionEntity } from './report.entity';
import { ExtensionRequestEntity, SlaBreachEntity, SlaClockEntity, SlaWarningEntity } from './sla.entity';

export * from './applicant.entity';
export * from './auth.entity';
export * from './discipline.entity';
export * from './classifier-model.entity';
export * from './dead-letter.entity';
export * from './message-event.entity';
export * from './message.entity';
export * from './outbox.entity';
export * from './processed-event.entity';
export * from './sla.entity';
export * from './report.entity';
export * from './console.entity';

export const ENTITIES = [
  MessageEntity,
  ApplicantEntity,
  MessageEventEntity,
  OutboxEntity,
  ProcessedEventEntity,
  ClassifierModelEntity,
  ClassifierModelEventEntity,
  ClassificationExampleEntity,
  SlaClockEntity,
  SlaWarningEntity,
  SlaBreachEntity,
  ExtensionRequestEntity,
  DisciplineCaseEntity,
  DisciplineCaseBreachEntity,
  DisciplineEventEntity,
  UserEntity,
  UserEventEntity,
  AuthSessionEntity,
  RefreshTokenEntity,
  SigningKeyEntity,
  PersonalDataAccessEntity,
  ReportFactEntity,
  MonthlyReportEntity,
  MonthlyReportEventEntity,
  ReportSubmissionEntity,
  ReportBreachEntity,
  DisciplineCaseReportBreachEntity,
  DeadLetterEntity,
  AnswerTemplateEntity,
  AnswerTemplateEventEntity,
  SavedViewEntity,
];
