import '../../../libs/platform/src/preamble';
import { ClassificationModule } from '@cur/classification';
import { ConsoleModule } from '@cur/console';
import { DisciplineModule } from '@cur/discipline';
import { EngagementsModule } from '@cur/engagements';
import { MessagesModule } from '@cur/messages';
import { DeadLettersModule } from '@cur/messaging';
import { ReportingModule } from '@cur/reporting';
import { main } from '@cur/runtime';
import { DeadlinesModule } from '@cur/sla';
import { OperatorTriageModule } from '@cur/triage';
import { WorkflowModule } from '@cur/workflow';

/** HTTP API for people and the console: messages, operators' triage, the agency workflow, deadlines, classifier versions. */
main({
  name: 'api',
  imports: [
    MessagesModule,
    ConsoleModule,
    DeadLettersModule,
    OperatorTriageModule,
    WorkflowModule,
    DeadlinesModule,
    DisciplineModule,
    EngagementsModule,
    ReportingModule,
    ClassificationModule.forRoot({ api: true }),
  ],
  consumes: false,
  signIn: true,
  defaultPort: 3000,
});
