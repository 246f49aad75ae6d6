import { Injectable, OnModuleInit } from '@nestjs/common';
import { dateOf } from '@cur/calendar';
import { RegionCatalog } from '@cur/config';
import { monthTitle } from '@cur/domain';
import { ReportRepository } from '@cur/persistence';
import { Notice, NoticeBoard } from '@cur/platform';

/** How long the notice's figures are reused: the board is asked on every console load. */
const CACHE_MS = 60_000;

/**
 * The supervisors' entry in the console about the monthly summaries of the month just ended: from
 * 75% of the time to the deadline, how many expected summaries are not approved yet (critical once
 * the deadline passed).
 */
@Injectable()
export class ReportNotices implements OnModuleInit {
  private cached?: { at: number; notices: Notice[] };

  constructor(
    private readonly board: NoticeBoard,
    private readonly reports: ReportRepository,
    private readonly region: RegionCatalog,
  ) {}

  onModuleInit(): void {
    this.board.register((now) => this.notices(now));
  }

  /** Forget the figures (an approval just changed them). */
  invalidate(): void {
    this.cached = undefined;
  }

  private async notices(now: Date): Promise<Notice[]> {
    if (this.cached && Math.abs(now.getTime() - this.cached.at) < CACHE_MS) return this.cached.notices;
    // This cycle's summaries (the month just ended); older ones stay in the submissions and breaches lists.
    const [year, month] = dateOf(this.region.zone.dayOf(now.getTime())).split('-').map(Number);
    const cycle = month === 1 ? { year: year - 1, month: 12 } : { year, month: month - 1 };
    const waiting = (await this.reports.submissions({ ...cycle, waitingOnly: true })).filter((s) => s.warnAt <= now);
    const byMonth = new Map<string, typeof waiting>();
    for (const s of waiting) byMonth.set(`${s.year}-${s.month}`, [...(byMonth.get(`${s.year}-${s.month}`) ?? []), s]);
    const z = this.region.zone;
    const notices: Notice[] = [...byMonth.values()].map((list) => {
      const { year, month, dueAt } = list[0];
      const late = dueAt < now;
      const names = list.map((s) => (s.organizationId ? (this.region.organization(s.organizationId)?.name ?? s.organizationId) : 'ЦУР (сводка по региону)'));
      return {
        id: `report-submission-${year}-${month}`,
        severity: late ? 'critical' : 'warning',
        title: late ? `Сводки за ${monthTitle(year, month)} не утверждены в срок` : `Срок сводок за ${monthTitle(year, month)} на исходе`,
        text:
          `Не утверждено: ${list.length} (срок — ${z.formatRussian(dueAt)}): ${names.slice(0, 10).join('; ')}` +
          (names.length > 10 ? ` и ещё ${names.length - 10}` : '') +
          '.',
        audience: ['supervisor'],
        since: z.format(late ? dueAt : list[0].warnAt),
      };
    });
    this.cached = { at: now.getTime(), notices };
    return notices;
  }
}
