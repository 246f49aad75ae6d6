import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { DisciplineCase, DisciplineCaseDetail, DisciplineCasePage, DisciplineStepRef } from '@cur/contracts';
import { EntityManager } from 'typeorm';
import { LocalDate } from '@cur/calendar';
import { RegionCatalog } from '@cur/config';
import { CaseFacts, disciplineLimits, Employment, ExcludedPeriod } from '@cur/domain';
import { AuthRepository, DisciplineCaseEntity, DisciplineCaseStatus, DisciplineRepository, SlaRepository } from '@cur/persistence';
import { Clock, DomainException, ErrorCode, FieldError } from '@cur/platform';

export interface OpenCaseCommand {
  organizationId: string;
  person: { name: string; position: string };
  employment: Employment;
  description: string;
  breachIds: string[];
  /** Monthly summaries approved late (or not at all) by the organization: report breaches. */
  reportBreachIds?: string[];
  /** Engagements' results or decisions late (GET /api/v1/engagements/breaches). */
  engagementBreachIds?: string[];
  /** Default: the date of the earliest linked breach (the day the term expired). */
  offenceDate?: LocalDate;
  /** Default: today. */
  discoveredDate?: LocalDate;
  auditFinding?: boolean;
}

/** Fields a change may touch, as recorded before/after in the case history. */
type CaseFields = Partial<Omit<DisciplineCaseEntity, 'id' | 'createdAt' | 'createdBy' | 'version'>>;

/** Clock skew tolerated for instants given by people: "now" on their machine may run ahead a little. */
const FUTURE_SKEW_MS = 5 * 60_000;

/**
 * The discipline registry (DOMAIN.md §7): cases tied to breaches, the ТК ст. 193 procedure step
 * by step, the limits computed on the organization's working time and flagged when near or
 * missed. Impossible input (an explanation before its request, a date in the future) is refused;
 * a procedure done late or too early is recorded and flagged, never lost.
 */
@Injectable()
export class DisciplineService {
  constructor(
    private readonly cases: DisciplineRepository,
    private readonly sla: SlaRepository,
    private readonly region: RegionCatalog,
    private readonly clock: Clock,
    private readonly users: AuthRepository,
  ) {}

  async open(command: OpenCaseCommand, actor: string) {
    const now = this.clock.now();
    const organization = this.region.organization(command.organizationId);
    if (!organization) throw invalid('organizationId', `нет организации «${command.organizationId}»`);
    const id = randomUUID();
    await this.cases
      .transaction(async (manager) => {
        await this.openCase(manager, id, organization, command, actor, now);
      })
      .catch((error: unknown) => {
        // Two cases opened at once for the same breach: the unique key decides, the loser is told why.
        const constraint = (error as { driverError?: { code?: string; constraint?: string } }).driverError?.constraint;
        const fields: Record<string, string> = {
          uq_discipline_case_breach: 'breachIds',
          uq_discipline_case_report_breach: 'reportBreachIds',
          uq_discipline_case_engagement_breach: 'engagementBreachIds',
        };
        if (constraint && fields[constraint]) {
          const field = fields[constraint];
          throw new DomainException(ErrorCode.Conflict, 'За одно нарушение — одно взыскание (ТК ст. 193 ч. 5)', [
            { field, message: 'одно из нарушений уже рассматривается в другом деле' },
          ]);
        }
        throw error;
      });
    return this.get(id);
  }

  private async openCase(
    manager: EntityManager,
    id: string,
    organization: { id: string; name: string },
    command: OpenCaseCommand,
    actor: string,
    now: Date,
  ): Promise<void> {
    const breaches = await this.sla.breachesByIds(manager, command.breachIds);
    const missing = command.breachIds.filter((b) => !breaches.some((x) => x.id === b));
    if (missing.length) throw invalid('breachIds', `нет нарушений сроков: ${missing.join(', ')}`);
    const foreign = breaches.filter((b) => b.organizationId !== organization.id && !this.region.isBelow(b.organizationId, organization.id));
    if (foreign.length)
      throw invalid(
        'breachIds',
        `нарушения ${foreign.map((b) => b.id).join(', ')} допущены не в «${organization.name}» и не в подведомственных ей организациях`,
      );
    const linked = await this.cases.linkedBreaches(manager, command.breachIds);
    if (linked.length) {
      throw new DomainException(
        ErrorCode.Conflict,
        'За одно нарушение — одно взыскание (ТК ст. 193 ч. 5)',
        linked.map((l) => ({ field: 'breachIds', message: `нарушение ${l.breachId} уже рассматривается в деле ${l.caseId}` })),
      );
    }
    const reportBreachIds = command.reportBreachIds ?? [];
    const reportBreaches = await this.cases.reportBreachesByIds(manager, reportBreachIds);
    const absent = reportBreachIds.filter((b) => !reportBreaches.some((x) => x.id === b));
    if (absent.length) throw invalid('reportBreachIds', `нет нарушений сроков сводок: ${absent.join(', ')}`);
    // A late summary of the region is ЦУР's own.
    const answerable = (b: { organizationId: string | null }) => b.organizationId ?? this.region.data.coordinatorOrganizationId;
    const others = reportBreaches.filter((b) => answerable(b) !== organization.id && !this.region.isBelow(answerable(b), organization.id));
    if (others.length)
      throw invalid(
        'reportBreachIds',
        `сводки ${others.map((b) => b.id).join(', ')} просрочены не «${organization.name}» и не подведомственными ей организациями`,
      );
    const taken = await this.cases.linkedReportBreaches(manager, reportBreachIds);
    if (taken.length) {
      throw new DomainException(
        ErrorCode.Conflict,
        'За одно нарушение — одно взыскание (ТК ст. 193 ч. 5)',
        taken.map((l) => ({ field: 'reportBreachIds', message: `нарушение ${l.reportBreachId} уже рассматривается в деле ${l.caseId}` })),
      );
    }
    const engagementBreachIds = command.engagementBreachIds ?? [];
    const engagementBreaches = await this.cases.engagementBreachesByIds(manager, engagementBreachIds);
    const unknown = engagementBreachIds.filter((b) => !engagementBreaches.some((x) => x.id === b));
    if (unknown.length) throw invalid('engagementBreachIds', `нет нарушений сроков обсуждений и голосований: ${unknown.join(', ')}`);
    const elsewhere = engagementBreaches.filter((b) => b.organizationId !== organization.id && !this.region.isBelow(b.organizationId, organization.id));
    if (elsewhere.length)
      throw invalid(
        'engagementBreachIds',
        `нарушения ${elsewhere.map((b) => b.id).join(', ')} допущены не «${organization.name}» и не подведомственными ей организациями`,
      );
    const answered = await this.cases.linkedEngagementBreaches(manager, engagementBreachIds);
    if (answered.length) {
      throw new DomainException(
        ErrorCode.Conflict,
        'За одно нарушение — одно взыскание (ТК ст. 193 ч. 5)',
        answered.map((l) => ({ field: 'engagementBreachIds', message: `нарушение ${l.engagementBreachId} уже рассматривается в деле ${l.caseId}` })),
      );
    }
    const today = this.region.zone.format(now).slice(0, 10);
    const earliestBreach = [...breaches, ...reportBreaches, ...engagementBreaches].map((b) => this.region.zone.format(b.dueAt).slice(0, 10)).sort()[0];
    const offenceDate = command.offenceDate ?? earliestBreach;
    if (!offenceDate) throw invalid('offenceDate', 'укажите дату проступка или нарушения сроков (breachIds)');
    const discoveredDate = command.discoveredDate ?? today;
    const problems: FieldError[] = [];
    if (offenceDate > today) problems.push({ field: 'offenceDate', message: 'дата проступка в будущем' });
    if (discoveredDate > today) problems.push({ field: 'discoveredDate', message: 'дата обнаружения в будущем' });
    if (discoveredDate < offenceDate) problems.push({ field: 'discoveredDate', message: 'проступок не может быть обнаружен раньше, чем совершён' });
    if (problems.length) throw new DomainException(ErrorCode.ValidationFailed, 'Некорректные данные дела', problems);
    const row: DisciplineCaseEntity = {
      id,
      organizationId: organization.id,
      personName: command.person.name.trim(),
      personPosition: command.person.position.trim(),
      employment: command.employment,
      description: command.description,
      offenceDate,
      discoveredDate,
      auditFinding: command.auditFinding ?? false,
      explanationRequestedAt: null,
      explanationReceivedAt: null,
      explanationRefusalActAt: null,
      measure: null,
      orderNumber: null,
      orderDate: null,
      acknowledgedAt: null,
      acknowledgementRefusalActAt: null,
      excludedPeriods: [],
      status: 'open',
      closedReason: null,
      createdBy: actor,
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
    await this.cases.insert(manager, row, command.breachIds, reportBreachIds, engagementBreachIds);
    await this.cases.addEvent(manager, {
      caseId: id,
      type: 'opened',
      actor,
      reason: command.description,
      before: null,
      after: { ...snapshot(row), breachIds: command.breachIds, reportBreachIds, engagementBreachIds },
      at: now,
    });
  }

  requestExplanation(id: string, at: string | undefined, actor: string) {
    return this.change(id, actor, 'explanation-requested', undefined, (c, now) => {
      const instant = this.instant(at, now, 'at');
      if (c.explanationRequestedAt) throw conflict('Объяснение уже запрошено');
      if (this.region.zone.format(instant).slice(0, 10) < c.discoveredDate) throw invalid('at', 'запрос объяснения раньше обнаружения проступка');
      return { explanationRequestedAt: instant };
    });
  }

  explanationReceived(id: string, at: string | undefined, summary: string | undefined, actor: string) {
    return this.change(id, actor, 'explanation-received', summary, (c, now) => {
      const instant = this.instant(at, now, 'at');
      if (!c.explanationRequestedAt) throw conflict('Объяснение не запрашивалось');
      if (c.explanationReceivedAt || c.explanationRefusalActAt) throw conflict('Объяснение уже получено или составлен акт об отказе');
      if (instant < c.explanationRequestedAt) throw invalid('at', 'объяснение получено раньше, чем запрошено');
      return { explanationReceivedAt: instant };
    });
  }

  explanationRefused(id: string, at: string | undefined, actor: string) {
    return this.change(id, actor, 'explanation-refusal-act', 'Акт об отказе от дачи объяснения', (c, now) => {
      const instant = this.instant(at, now, 'at');
      if (!c.explanationRequestedAt) throw conflict('Объяснение не запрашивалось');
      if (c.explanationReceivedAt || c.explanationRefusalActAt) throw conflict('Объяснение уже получено или составлен акт об отказе');
      if (instant < c.explanationRequestedAt) throw invalid('at', 'акт составлен раньше запроса объяснения');
      return { explanationRefusalActAt: instant };
    });
  }

  addExcludedPeriod(id: string, period: ExcludedPeriod, actor: string) {
    return this.change(id, actor, 'excluded-period', period.reason, (c) => {
      if (period.to < period.from) throw invalid('to', 'конец периода раньше начала');
      if (period.to < c.discoveredDate) throw invalid('from', 'период до обнаружения проступка не продлевает срок');
      return { excludedPeriods: [...c.excludedPeriods, period] };
    });
  }

  applyMeasure(id: string, order: { measure: string; number: string; date: LocalDate }, actor: string) {
    return this.change(id, actor, 'measure-applied', `Приказ № ${order.number}`, (c, now) => {
      if (c.status !== 'open') throw conflict('Взыскание по делу уже применено или дело закрыто');
      const measures = this.region.data.discipline.measures[c.employment];
      if (!measures.some((m) => m.code === order.measure)) {
        throw invalid(
          'measure',
          `для ${c.employment === 'labour' ? 'работника (ТК ст. 192)' : 'гражданского служащего (79-ФЗ ст. 57)'} допустимы: ${measures.map((m) => m.title).join(', ')}`,
        );
      }
      const today = this.region.zone.format(now).slice(0, 10);
      if (order.date > today) throw invalid('date', 'дата приказа в будущем');
      if (order.date < c.offenceDate) throw invalid('date', 'приказ раньше даты проступка');
      return { measure: order.measure, orderNumber: order.number, orderDate: order.date, status: 'measure_applied' };
    });
  }

  acknowledged(id: string, at: string | undefined, refused: boolean, actor: string) {
    return this.change(
      id,
      actor,
      refused ? 'acknowledgement-refusal-act' : 'acknowledged',
      refused ? 'Акт об отказе ознакомиться с приказом' : 'Ознакомлен с приказом под подпись',
      (c, now) => {
        const instant = this.instant(at, now, 'at');
        if (!c.orderDate) throw conflict('Приказа ещё нет');
        if (c.acknowledgedAt || c.acknowledgementRefusalActAt) throw conflict('Ознакомление уже отмечено');
        if (this.region.zone.format(instant).slice(0, 10) < c.orderDate) throw invalid('at', 'ознакомление раньше даты приказа');
        return refused ? { acknowledgementRefusalActAt: instant } : { acknowledgedAt: instant };
      },
    );
  }

  close(id: string, reason: string, actor: string) {
    return this.change(id, actor, 'closed', reason, (c) => {
      if (c.status !== 'open') throw conflict('Дело уже закрыто или по нему применено взыскание');
      return { status: 'closed', closedReason: reason };
    });
  }

  async get(id: string): Promise<DisciplineCaseDetail> {
    const row = await this.cases.findById(id);
    if (!row) throw new DomainException(ErrorCode.NotFound, 'Дело не найдено');
    const [links, reportLinks, engagementLinks, events] = await Promise.all([
      this.cases.breachIdsOf([id]),
      this.cases.reportBreachIdsOf([id]),
      this.cases.engagementBreachIdsOf([id]),
      this.cases.eventsOf(id),
    ]);
    const z = this.region.zone;
    const names = new Map<string, string>();
    for (const login of new Set(events.map((e) => e.actor))) names.set(login, (await this.users.findUserByLogin(login))?.displayName ?? login);
    return {
      ...this.view(
        row,
        links.map((l) => l.breachId),
        reportLinks.map((l) => l.reportBreachId),
        engagementLinks.map((l) => l.engagementBreachId),
      ),
      history: events.map((e) => ({
        at: z.format(e.at),
        type: e.type,
        title: EVENT_TITLES[e.type] ?? e.type,
        actor: e.actor,
        actorName: names.get(e.actor) ?? e.actor,
        reason: e.reason,
        before: e.before,
        after: e.after,
      })),
      steps: steps(row),
      measures: this.region.data.discipline.measures[row.employment].map((m) => ({ code: m.code, title: m.title })),
    };
  }

  async list(filter: { organizationId?: string; status?: DisciplineCaseStatus; attention?: boolean; limit: number }): Promise<DisciplineCasePage> {
    const organizationIds = filter.organizationId ? this.scope(filter.organizationId) : undefined;
    const rows = await this.cases.list({ organizationIds, statuses: filter.status ? [filter.status] : undefined, limit: filter.limit });
    const ids = rows.map((r) => r.id);
    const [links, reportLinks, engagementLinks] = await Promise.all([
      this.cases.breachIdsOf(ids),
      this.cases.reportBreachIdsOf(ids),
      this.cases.engagementBreachIdsOf(ids),
    ]);
    const items = rows.map((r) =>
      this.view(
        r,
        links.filter((l) => l.caseId === r.id).map((l) => l.breachId),
        reportLinks.filter((l) => l.caseId === r.id).map((l) => l.reportBreachId),
        engagementLinks.filter((l) => l.caseId === r.id).map((l) => l.engagementBreachId),
      ),
    );
    return { items: filter.attention ? items.filter((i) => i.findings.length > 0) : items };
  }

  private view(row: DisciplineCaseEntity, breachIds: string[], reportBreachIds: string[], engagementBreachIds: string[]): DisciplineCase {
    const z = this.region.zone;
    const { limits, findings } = disciplineLimits(facts(row), this.region.data.discipline, this.region.workingTime(row.organizationId), this.clock.now());
    const measure = row.measure ? this.region.data.discipline.measures[row.employment].find((m) => m.code === row.measure) : undefined;
    const at = (d: Date | null) => (d ? z.format(d) : null);
    return {
      id: row.id,
      organization: this.region.named(row.organizationId) ?? { id: row.organizationId, name: row.organizationId },
      person: { name: row.personName, position: row.personPosition },
      employment: row.employment,
      employmentTitle: EMPLOYMENT_TITLES[row.employment],
      description: row.description,
      status: row.status,
      statusTitle: STATUS_TITLES[row.status],
      breachIds,
      reportBreachIds,
      engagementBreachIds,
      offenceDate: row.offenceDate,
      discoveredDate: row.discoveredDate,
      auditFinding: row.auditFinding,
      explanation: { requestedAt: at(row.explanationRequestedAt), receivedAt: at(row.explanationReceivedAt), refusalActAt: at(row.explanationRefusalActAt) },
      order: row.orderDate ? { measure: row.measure, measureTitle: measure?.title ?? row.measure, number: row.orderNumber, date: row.orderDate } : null,
      acknowledgement: { acknowledgedAt: at(row.acknowledgedAt), refusalActAt: at(row.acknowledgementRefusalActAt) },
      excludedPeriods: row.excludedPeriods,
      closedReason: row.closedReason,
      limits,
      findings,
      createdBy: row.createdBy,
      createdAt: z.format(row.createdAt),
    };
  }

  /** One audited change: lock, check, update, record before/after. */
  private async change(id: string, actor: string, type: string, reason: string | undefined, decide: (row: DisciplineCaseEntity, now: Date) => CaseFields) {
    const now = this.clock.now();
    await this.cases.transaction(async (manager: EntityManager) => {
      const row = await this.cases.lock(manager, id);
      if (!row) throw new DomainException(ErrorCode.NotFound, 'Дело не найдено');
      const changes = decide(row, now);
      const before = Object.fromEntries(Object.keys(changes).map((k) => [k, serialize(row[k as keyof DisciplineCaseEntity])]));
      const after = Object.fromEntries(Object.entries(changes).map(([k, v]) => [k, serialize(v)]));
      await this.cases.update(manager, id, { ...changes, updatedAt: now });
      await this.cases.addEvent(manager, { caseId: id, type, actor, reason: reason ?? null, before, after, at: now });
    });
    return this.get(id);
  }

  private instant(text: string | undefined, now: Date, field: string): Date {
    if (text === undefined) return now;
    const instant = new Date(text);
    if (instant.getTime() > now.getTime() + FUTURE_SKEW_MS) throw invalid(field, 'момент в будущем');
    return instant;
  }

  private scope(organizationId: string): string[] {
    if (!this.region.organization(organizationId)) throw invalid('organizationId', `нет организации «${organizationId}»`);
    return this.region.withSubordinates(organizationId);
  }
}

const EMPLOYMENT_TITLES: Record<Employment, string> = { labour: 'работник (ТК РФ)', civil_service: 'гражданский служащий (79-ФЗ)' };
const STATUS_TITLES: Record<DisciplineCaseStatus, string> = { open: 'Открыто', measure_applied: 'Взыскание применено', closed: 'Закрыто' };
const EVENT_TITLES: Record<string, string> = {
  opened: 'Дело открыто',
  'explanation-requested': 'Запрошено объяснение',
  'explanation-received': 'Получено объяснение',
  'explanation-refusal-act': 'Акт об отказе от объяснения',
  'excluded-period': 'Период, не включаемый в срок',
  'measure-applied': 'Издан приказ о взыскании',
  acknowledged: 'Ознакомлен с приказом',
  'acknowledgement-refusal-act': 'Акт об отказе ознакомиться с приказом',
  closed: 'Дело закрыто',
};

/**
 * The steps the procedure allows now: the same conditions the service's changes check (an
 * explanation only after its request, acquaintance only after an order…), so a screen offers
 * exactly what the server will accept.
 */
function steps(row: DisciplineCaseEntity): DisciplineStepRef[] {
  const out: DisciplineStepRef[] = [];
  const open = row.status === 'open';
  const explained = !!(row.explanationReceivedAt || row.explanationRefusalActAt);
  if (open && !row.explanationRequestedAt) out.push({ step: 'explanation-request', title: 'Запросить объяснение' });
  if (row.explanationRequestedAt && !explained) {
    out.push({ step: 'explanation', title: 'Объяснение получено' });
    out.push({ step: 'explanation-refusal', title: 'Акт об отказе от объяснения' });
  }
  if (open) out.push({ step: 'excluded-periods', title: 'Период, не включаемый в срок' });
  if (open) out.push({ step: 'order', title: 'Приказ о взыскании' });
  if (row.orderDate && !row.acknowledgedAt && !row.acknowledgementRefusalActAt) {
    out.push({ step: 'acknowledgement', title: 'Ознакомлен с приказом' });
    out.push({ step: 'acknowledgement-refusal', title: 'Акт об отказе ознакомиться' });
  }
  if (open) out.push({ step: 'closure', title: 'Закрыть без взыскания' });
  return out;
}

function facts(row: DisciplineCaseEntity): CaseFacts {
  return {
    employment: row.employment,
    offenceDate: row.offenceDate,
    discoveredDate: row.discoveredDate,
    auditFinding: row.auditFinding,
    explanationRequestedAt: row.explanationRequestedAt,
    explanationReceivedAt: row.explanationReceivedAt,
    explanationRefusalActAt: row.explanationRefusalActAt,
    orderDate: row.orderDate,
    acknowledgedAt: row.acknowledgedAt,
    acknowledgementRefusalActAt: row.acknowledgementRefusalActAt,
    excludedPeriods: row.excludedPeriods,
  };
}

function snapshot(row: DisciplineCaseEntity): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, serialize(v)]));
}

function serialize(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : value;
}

function invalid(field: string, message: string): DomainException {
  return new DomainException(ErrorCode.ValidationFailed, 'Некорректные данные', [{ field, message }]);
}

function conflict(message: string): DomainException {
  return new DomainException(ErrorCode.Conflict, message);
}
