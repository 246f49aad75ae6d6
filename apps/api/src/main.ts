import '../../../libs/platform/src/preamble';
import { ClassificationModule } from '@cur/classification';
import { ConsoleModule } from '@cur/console';
import { MessagesModule } from '@cur/messages';
import { main } from '@cur/runtime';
import { OperatorTriageModule } from '@cur/triage';

/** HTTP API for people and the console: messages, operators' triage, classifier versions. */
main({
  name: 'api',
  imports: [MessagesModule, ConsoleModule, OperatorTriageModule, ClassificationModule.forRoot({ api: true })],
  consumes: false,
  defaultPort: 3000,
});
