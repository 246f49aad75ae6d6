import { Equals, IsIn, IsInt, IsISO8601, IsNumber, IsOptional, IsString, IsUUID, Max, Min } from 'class-validator';

const SUBMISSION_EVENTS = ['report.submission-at-risk', 'report.submission-overdue', 'report.submission-approved-late'] as const;

/**
 * A monthly summary's submission (order No. 733, item 4: by the 3rd), for the supervisors
 * (cur.report.events): 75% of the time to the deadline passed without an approved summary, the
 * deadline passed, or a summary was approved after it. Keyed by the submission, never personal data.
 */
export class ReportSubmissionEventV1 {
  @IsUUID()
  eventId!: string;

  @IsIn(SUBMISSION_EVENTS)
  type!: (typeof SUBMISSION_EVENTS)[number];

  @Equals(1)
  version!: 1;

  @IsISO8601({ strict: true })
  occurredAt!: string;

  @IsString()
  region!: string;

  @IsUUID()
  submissionId!: string;

  @IsInt()
  @Min(2000)
  @Max(2100)
  year!: number;

  @IsInt()
  @Min(1)
  @Max(12)
  month!: number;

  /** Null: the region's summary. */
  @IsOptional()
  @IsString()
  organizationId!: string | null;

  @IsISO8601({ strict: true })
  dueAt!: string;

  /** The approval, for `report.submission-approved-late`. */
  @IsOptional()
  @IsISO8601({ strict: true })
  approvedAt?: string;

  /** Set with a breach (overdue, approved late). */
  @IsOptional()
  @IsUUID()
  breachId?: string;

  @IsOptional()
  @IsNumber()
  latenessWorkingMs?: number;
}
