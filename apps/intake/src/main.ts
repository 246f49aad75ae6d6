import '../../../libs/platform/src/preamble';
import { ClassificationModule } from '@cur/classification';
import { IntakeModule } from '@cur/intake';
import { main } from '@cur/runtime';
import { TriageModule } from '@cur/triage';

/**
 * Intake: HTTP ingestion (portal, social, ПОС exports) into the database and the outbox. With
 * CUR_TRIAGE_IN_INTAKE it also triages what it admits, in the same transaction (the triage module
 * is here for that; this service consumes no events).
 */
main({ name: 'intake', imports: [IntakeModule, TriageModule, ClassificationModule.forRoot({})], consumes: false, defaultPort: 3001 });
