import '../../../libs/platform/src/preamble';
import { ReportSubmissionModule } from '@cur/reporting';
import { main } from '@cur/runtime';
import { SlaModule } from '@cur/sla';

/** SLA: the scheduled deadline watch, and the monthly summaries' generation and deadline. */
main({ name: 'sla', imports: [SlaModule, ReportSubmissionModule], consumes: false, defaultPort: 3003 });
