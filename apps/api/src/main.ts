import '../../../libs/platform/src/preamble';
import { ConsoleModule } from '@cur/console';
import { MessagesModule } from '@cur/messages';
import { main } from '@cur/runtime';

/** HTTP API for people and the console. */
main({ name: 'api', imports: [MessagesModule, ConsoleModule], consumes: false, defaultPort: 3000 });
