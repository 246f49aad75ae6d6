import { ClassificationModule } from '@cur/classification';
import { ConsoleModule } from '@cur/console';
import { DisciplineModule } from '@cur/discipline';
import { EngagementsModule } from '@cur/engagements';
import { DemoStreamService, IntakeModule } from '@cur/intake';
import { MessagesModule } from '@cur/messages';
import { DeadLettersModule } from '@cur/messaging';
import { ReportingModule, ReportSubmissionModule } from '@cur/reporting';
import { ServiceSpec } from '@cur/runtime';
import { DeadlinesModule, SlaModule } from '@cur/sla';
import { OperatorTriageModule, TriageModule } from '@cur/triage';
import { WorkflowModule } from '@cur/workflow';

/**
 * Every service in one process: the embedded default (PGlite + in-process bus) or, with
 * DATABASE_URL and KAFKA_BROKERS, the same composition on real infrastructure.
 */
export const STANDALONE: ServiceSpec = {
  name: 'standalone',
  imports: [
    IntakeModule,
    TriageModule,
    OperatorTriageModule,
    WorkflowModule,
    ClassificationModule.forRoot({ api: true, worker: true }),
    SlaModule,
    DeadlinesModule,
    DisciplineModule,
    EngagementsModule,
    ReportingModule,
    ReportSubmissionModule,
    MessagesModule,
    ConsoleModule,
    DeadLettersModule,
  ],
  consumes: true,
  signIn: true,
  defaultPort: 3000,
  providers: ({ env, embedded }) => ((env.CUR_DEMO_STREAM ?? embedded) ? [DemoStreamService] : []),
};
