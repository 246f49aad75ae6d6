import { Injectable } from '@nestjs/common';
import type { AtRiskPage, BreachPage, SlaSummary } from '@cur/contracts';
import { workingDurationText } from '@cur/calendar';
import { RegionCatalog } from '@cur/config';
import { CLOCK_TITLES, timeLeft } from '@cur/domain';
import { SlaRepository } from '@cur/persistence';
import { MessageAccess } from '@cur/auth';
import { Clock, DomainException, ErrorCode, Principal } from '@cur/platform';
import { ClockService } from '@cur/lifecycle';
import type { AtRiskQuery, BreachesQuery, SummaryQuery } from './deadlines.controller';

/** Supervisors' lists: clocks at risk and breaches, an organization with its subordinates. */
@Injectable()
export class SupervisionService {
  constructor(
    private readonly sla: SlaRepository,
    private readonly clocks: ClockService,
    private readonly region: RegionCatalog,
    private readonly clock: Clock,
    private readonly access: MessageAccess,
  ) {}

  async atRisk(query: AtRiskQuery, principal: Principal): Promise<AtRiskPage> {
    const now = this.clock.now();
    const rows = await this.sla.atRisk({ now, organizationIds: this.scope(query.organizationId, principal), limit: query.limit });
    const z = this.region.zone;
    return {
      items: rows.map((row) => ({
        clockId: row.id,
        messageId: row.messageId,
        kind: row.kind,
        title: CLOCK_TITLES[row.kind],
        organization: this.region.named(row.organizationId),
        dueAt: z.format(row.dueAt!),
        fractionPassed: row.fraction,
        timeLeft: timeLeft(row.dueAt!, this.clocks.timeOf(row), now),
      })),
    };
  }

  /**
   * The supervisor's figures for a period (default: the last 8 weeks): the share of final answers
   * given on time, overdue now, at risk now, per organization (worst first) and per week.
   */
  async summary(query: SummaryQuery, principal: Principal): Promise<SlaSummary> {
    const now = this.clock.now();
    const to = query.to ? new Date(query.to) : now;
    const from = query.from ? new Date(query.from) : new Date(to.getTime() - 56 * 86_400_000);
    if (from >= to)
      throw new DomainException(ErrorCode.ValidationFailed, 'Пустой период', [{ field: 'from', message: 'начало периода должно быть раньше конца' }]);
    const organizationIds = this.scope(query.organizationId, principal);
    const [outcomes, overdue, atRisk] = await Promise.all([
      this.sla.answerOutcomes({ organizationIds, from, to, offsetMinutes: this.region.zone.offsetMinutes }),
      this.sla.overdueNow({ organizationIds, now }),
      this.sla.atRisk({ now, organizationIds, limit: 10_000 }),
    ]);
    const share = (met: number, late: number) => (met + late ? Math.round((met / (met + late)) * 1000) / 1000 : null);
    const byOrg = new Map<string, { met: number; late: number; overdueNow: number; atRisk: number }>();
    const org = (id: string | null) => {
      const key = id ?? '';
      let row = byOrg.get(key);
      if (!row) byOrg.set(key, (row = { met: 0, late: 0, overdueNow: 0, atRisk: 0 }));
      return row;
    };
    const byWeek = new Map<string, { met: number; late: number }>();
    for (const o of outcomes) {
      const row = org(o.organizationId);
      row.met += o.met;
      row.late += o.late;
      const week = byWeek.get(o.week) ?? { met: 0, late: 0 };
      week.met += o.met;
      week.late += o.late;
      byWeek.set(o.week, week);
    }
    for (const o of overdue) org(o.organizationId).overdueNow += o.n;
    for (const c of atRisk) org(c.organizationId).atRisk += 1;
    const met = outcomes.reduce((n, o) => n + o.met, 0);
    const late = outcomes.reduce((n, o) => n + o.late, 0);
    const z = this.region.zone;
    return {
      period: { from: z.format(from), to: z.format(to) },
      answers: { met, late, onTimeShare: share(met, late) },
      overdueNow: overdue.reduce((n, o) => n + o.n, 0),
      atRisk: atRisk.length,
      byOrganization: [...byOrg.entries()]
        .map(([id, r]) => ({ organization: this.region.named(id) ?? { id, name: id ? id : 'ЦУР (не назначено)' }, ...r, onTimeShare: share(r.met, r.late) }))
        .sort((a, b) => (a.onTimeShare ?? 2) - (b.onTimeShare ?? 2) || b.overdueNow - a.overdueNow || a.organization.name.localeCompare(b.organization.name)),
      weekly: [...byWeek.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([week, r]) => ({ weekStart: week, ...r, onTimeShare: share(r.met, r.late) })),
    };
  }

  async breaches(query: BreachesQuery, principal: Principal): Promise<BreachPage> {
    const from = query.from ? new Date(query.from) : undefined;
    const to = query.to ? new Date(query.to) : undefined;
    if (from && to && from >= to)
      throw new DomainException(ErrorCode.ValidationFailed, 'Пустой период', [{ field: 'to', message: 'конец периода должен быть позже начала' }]);
    const rows = await this.sla.breaches({ organizationIds: this.scope(query.organizationId, principal), from, to, limit: query.limit });
    const z = this.region.zone;
    const now = this.clock.now();
    // Stopped: the lateness recorded at the stop. Still open: how late it is now, growing.
    const lateness = (b: (typeof rows)[number]) => {
      const working = b.latenessWorkingMs !== null ? Number(b.latenessWorkingMs) : this.region.workingTime(b.organizationId).workingTimeBetween(b.dueAt, now);
      const wall = b.latenessMs !== null ? Number(b.latenessMs) : now.getTime() - b.dueAt.getTime();
      return { workingMs: working, ms: wall, final: b.stoppedAt !== null, text: `${workingDurationText(working)} рабочего времени` };
    };
    return {
      items: rows.map((b) => ({
        id: b.id,
        clockId: b.clockId,
        messageId: b.messageId,
        kind: b.kind,
        title: CLOCK_TITLES[b.kind],
        policyId: b.policyId,
        organization: this.region.named(b.organizationId),
        dueAt: z.format(b.dueAt),
        recordedAt: z.format(b.recordedAt),
        stoppedAt: b.stoppedAt ? z.format(b.stoppedAt) : null,
        lateness: lateness(b),
      })),
    };
  }

  /**
   * An organization and all below it (unknown id → 400 naming the field), within what the
   * principal sees: agency staff get their own organization's tree, and 403 outside it.
   */
  private scope(organizationId: string | undefined, principal: Principal): string[] | undefined {
    if (organizationId && !this.region.organization(organizationId)) {
      throw new DomainException(ErrorCode.ValidationFailed, 'Неизвестная организация', [
        { field: 'organizationId', message: `нет организации «${organizationId}»` },
      ]);
    }
    const visible = this.access.organizationFilter(principal, organizationId);
    if (!organizationId) return visible;
    return this.region.withSubordinates(organizationId);
  }
}
