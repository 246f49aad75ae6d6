import { randomUUID } from 'node:crypto';
import { ReportSubmissionEventV1, TopicEvent, topicEvent, TOPICS } from '@cur/contracts';
import type { ReportSubmissionEntity } from '@cur/persistence';

/** Who generates the summaries on the first working day and watches their deadline. */
export const SUBMISSION_ACTOR = 'system:reports';

/** An event about a summary's submission for cur.report.events. */
export function submissionEvent(
  type: ReportSubmissionEventV1['type'],
  region: string,
  submission: ReportSubmissionEntity,
  now: Date,
  extra: Pick<ReportSubmissionEventV1, 'approvedAt' | 'breachId' | 'latenessWorkingMs'> = {},
): TopicEvent {
  return topicEvent(TOPICS.reportEvents, {
    eventId: randomUUID(),
    type,
    version: 1,
    occurredAt: now.toISOString(),
    region,
    submissionId: submission.id,
    year: submission.year,
    month: submission.month,
    organizationId: submission.organizationId,
    dueAt: submission.dueAt.toISOString(),
    ...extra,
  });
}
