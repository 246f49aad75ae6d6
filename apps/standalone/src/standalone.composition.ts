import { ClassificationModule } from '@cur/classification';
import { ConsoleModule } from '@cur/console';
import { DemoStreamService, IntakeModule } from '@cur/intake';
import { MessagesModule } from '@cur/messages';
import { ServiceSpec } from '@cur/runtime';
import { SlaModule } from '@cur/sla';
import { OperatorTriageModule, TriageModule } from '@cur/triage';

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
    ClassificationModule.forRoot({ api: true, worker: true }),
    SlaModule,
    MessagesModule,
    ConsoleModule,
  ],
  consumes: true,
  defaultPort: 3000,
  providers: ({ env, embedded }) => ((env.CUR_DEMO_STREAM ?? embedded) ? [DemoStreamService] : []),
};
