import '../../../libs/platform/src/preamble';
import { main } from '@cur/runtime';
import { TriageModule } from '@cur/triage';

/** Triage: consumes cur.message.received; classifies, sets deadlines, routes. */
main({ name: 'triage', imports: [TriageModule], consumes: true, defaultPort: 3002 });
