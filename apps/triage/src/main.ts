import '../../../libs/platform/src/preamble';
import { ClassificationModule } from '@cur/classification';
import { main } from '@cur/runtime';
import { TriageModule } from '@cur/triage';

/**
 * Triage: consumes cur.message.received; classifies, sets deadlines, routes. Also trains the
 * bootstrap classifier where none exists and runs the nightly retraining.
 */
main({ name: 'triage', imports: [TriageModule, ClassificationModule.forRoot({ worker: true })], consumes: true, defaultPort: 3002 });
