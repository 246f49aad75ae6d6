import '../../../libs/platform/src/preamble';
import { main } from '@cur/runtime';
import { SlaModule } from '@cur/sla';

/** SLA: the scheduled deadline watch. */
main({ name: 'sla', imports: [SlaModule], consumes: false, defaultPort: 3003 });
