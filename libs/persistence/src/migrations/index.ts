import { CreateMessagePipeline1763870400000 } from './1763870400000-create-message-pipeline';
import { CreateClassifier1763956800000 } from './1763956800000-create-classifier';
import { CreateSla1764590400000 } from './1764590400000-create-sla';
import { CreateDiscipline1764676800000 } from './1764676800000-create-discipline';
import { CreateAuth1764763200000 } from './1764763200000-create-auth';
import { MessagePeople1764849600000 } from './1764849600000-message-people';
import { UserEventGrantedRoles1764939600000 } from './1764939600000-user-event-granted-roles';
import { CreateReports1765026000000 } from './1765026000000-create-reports';
import { ReportSubmissions1765112400000 } from './1765112400000-report-submissions';
import { MessageSearch1765200000000 } from './1765200000000-message-search';
import { RefreshTokenSuccessor1765200100000 } from './1765200100000-refresh-token-successor';
import { CreateDeadLetter1765200200000 } from './1765200200000-create-dead-letter';
import { AnswerTemplatesSavedViews1765200300000 } from './1765200300000-answer-templates-saved-views';
import { CreateEngagements1765300000000 } from './1765300000000-create-engagements';
import { EngagementComments1765300100000 } from './1765300100000-engagement-comments';
import { EngagementTiming1765300200000 } from './1765300200000-engagement-timing';
import { DisciplineEngagementBreaches1765300300000 } from './1765300300000-discipline-engagement-breaches';
import { MetricsGauges1765300400000 } from './1765300400000-metrics-gauges';
import { OutboxRelay1765400000000 } from './1765400000000-outbox-relay';
import { OutboxTransport1765500000000 } from './1765500000000-outbox-transport';
import { MessageSearchTable1765600000000 } from './1765600000000-message-search-table';
import { SlaClockMessageIndex1765600100000 } from './1765600100000-sla-clock-message-index';
import { MessagePosNumberIndex1765600200000 } from './1765600200000-message-pos-number-index';
import { OutboxPacked1765600300000 } from './1765600300000-outbox-packed';
import { DeadLetterHeaders1765600400000 } from './1765600400000-dead-letter-headers';

/** Listed explicitly: no glob loading, so the compiled app and the tests run the same set. */
export const MIGRATIONS = [
  CreateMessagePipeline1763870400000,
  CreateClassifier1763956800000,
  CreateSla1764590400000,
  CreateDiscipline1764676800000,
  CreateAuth1764763200000,
  MessagePeople1764849600000,
  UserEventGrantedRoles1764939600000,
  CreateReports1765026000000,
  ReportSubmissions1765112400000,
  MessageSearch1765200000000,
  RefreshTokenSuccessor1765200100000,
  CreateDeadLetter1765200200000,
  AnswerTemplatesSavedViews1765200300000,
  CreateEngagements1765300000000,
  EngagementComments1765300100000,
  EngagementTiming1765300200000,
  DisciplineEngagementBreaches1765300300000,
  MetricsGauges1765300400000,
  OutboxRelay1765400000000,
  OutboxTransport1765500000000,
  MessageSearchTable1765600000000,
  SlaClockMessageIndex1765600100000,
  MessagePosNumberIndex1765600200000,
  OutboxPacked1765600300000,
  DeadLetterHeaders1765600400000,
];
