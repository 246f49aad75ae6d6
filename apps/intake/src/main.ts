import '../../../libs/platform/src/preamble';
import { IntakeModule } from '@cur/intake';
import { main } from '@cur/runtime';

/** Intake: HTTP ingestion (portal, social, ПОС exports) into the database and the outbox. */
main({ name: 'intake', imports: [IntakeModule], consumes: false, defaultPort: 3001 });
