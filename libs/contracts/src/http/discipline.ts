/**
 * What the discipline registry returns (`/api/v1/discipline/cases`): cases tied to breaches, the
 * procedure of ТК ст. 193 / 79-ФЗ ст. 58 step by step, each limit computed by the server and the
 * warnings when one is near or passed. Types only.
 */
import type { DisciplineLimit, Employment, ExcludedPeriod, Finding, LimitState, MeasureType } from '@cur/domain';
import type { Named } from './messages';

export type { DisciplineLimit, Employment, ExcludedPeriod, Finding, LimitState, MeasureType };

export type DisciplineCaseStatus = 'open' | 'measure_applied' | 'closed';

/**
 * A procedure step the supervisor may record now (the path after `/cases/:id/`), as the service's
 * own checks decide; each asks for what its endpoint takes.
 */
export type DisciplineStep =
  'explanation-request' | 'explanation' | 'explanation-refusal' | 'excluded-periods' | 'order' | 'acknowledgement' | 'acknowledgement-refusal' | 'closure';

export interface DisciplineStepRef {
  step: DisciplineStep;
  title: string;
}

export interface DisciplineCase {
  id: string;
  organization: Named;
  person: { name: string; position: string };
  employment: Employment;
  /** «работник (ТК РФ)», «гражданский служащий (79-ФЗ)». */
  employmentTitle: string;
  description: string;
  status: DisciplineCaseStatus;
  statusTitle: string;
  breachIds: string[];
  reportBreachIds: string[];
  /** Engagements' results or decisions late (GET /api/v1/engagements/breaches). */
  engagementBreachIds: string[];
  offenceDate: string;
  discoveredDate: string;
  auditFinding: boolean;
  explanation: { requestedAt: string | null; receivedAt: string | null; refusalActAt: string | null };
  order: { measure: string | null; measureTitle: string | null; number: string | null; date: string } | null;
  acknowledgement: { acknowledgedAt: string | null; refusalActAt: string | null };
  excludedPeriods: ExcludedPeriod[];
  closedReason: string | null;
  limits: DisciplineLimit[];
  findings: Finding[];
  createdBy: string;
  createdAt: string;
}

export interface DisciplineCasePage {
  items: DisciplineCase[];
}

export interface DisciplineHistoryEntry {
  at: string;
  type: string;
  /** The step in Russian. */
  title: string;
  actor: string;
  /** The actor's name (the login when unknown). */
  actorName: string;
  reason: string | null;
  before: unknown;
  after: unknown;
}

export interface DisciplineCaseDetail extends DisciplineCase {
  history: DisciplineHistoryEntry[];
  /** The steps the procedure allows now. */
  steps: DisciplineStepRef[];
  /** The measures the law allows for this employment (for the order). */
  measures: MeasureType[];
}

/** `POST /api/v1/discipline/cases`. */
export interface OpenCaseRequest {
  organizationId: string;
  person: { name: string; position: string };
  employment: Employment;
  description: string;
  breachIds?: string[];
  reportBreachIds?: string[];
  engagementBreachIds?: string[];
  offenceDate?: string;
  discoveredDate?: string;
  auditFinding?: boolean;
}
