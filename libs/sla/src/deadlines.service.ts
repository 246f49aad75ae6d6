import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { MessageDeadlines } from '@cur/contracts';
import { DueExplanation, durationText, WorkingTime, workingDurationText } from '@cur/calendar';
import { RegionCatalog } from '@cur/config';
import {
  CLOCK_KINDS,
  CLOCK_START_TITLES,
  CLOCK_TITLES,
  ClockKind,
  ClockState,
  clockState,
  isOpen,
  ReplayStep,
  SlaPolicy,
  timeLeft,
  tryReplayClock,
} from '@cur/domain';
import { MessageEntity, SlaBreachEntity, SlaClockEntity, SlaRepository, SlaWarningEntity } from '@cur/persistence';
import { MessageAccess } from '@cur/auth';
import { Clock, Principal } from '@cur/platform';
import { ClockService, toData } from '@cur/lifecycle';

interface Named {
  id: string;
  name: string;
}

export interface ClockView {
  id: string | null;
  kind: ClockKind;
  title: string;
  generation: number;
  state: ClockState;
  /** Set when the due date cannot be computed yet: the year it falls in has no production calendar. */
  waitsForCalendarYear: number | null;
  policyId: string;
  term: { amount: number; unit: string; text: string };
  startsOn: string;
  startReason: string;
  startedAt: string | null;
  dueAt: string | null;
  organization: Named | null;
  /** Whose office hours the count uses. */
  officeHoursOf: Named | null;
  stoppedAt: string | null;
  stopReason: string | null;
  timeLeft: { ms: number; workingMs: number; text: string } | null;
  lateness: { ms: number; workingMs: number; text: string } | null;
  warnings: { fraction: number; reachedAt: string; recordedAt: string }[];
  breach: { id: string; dueAt: string; recordedAt: string; stoppedAt: string | null } | null;
  explanation: {
    /** The first counting from the start. */
    counting: DueExplanation | null;
    /** What moved the due date afterwards (pauses, resumptions, extensions). */
    steps: ReplayStep[];
    lines: string[];
  };
}

/** The deadlines of a message, each with everything needed to check it by hand. */
@Injectable()
export class DeadlinesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sla: SlaRepository,
    private readonly clocks: ClockService,
    private readonly region: RegionCatalog,
    private readonly clock: Clock,
    private readonly access: MessageAccess,
  ) {}

  async ofMessage(messageId: string, principal: Principal): Promise<MessageDeadlines> {
    const now = this.clock.now();
    const message = await this.dataSource.getRepository(MessageEntity).findOne({ where: { id: messageId } });
    this.access.assertReadable(principal, message);
    const [rows, warnings, breaches] = await Promise.all([
      this.sla.clocksOf(this.dataSource.manager, messageId),
      this.sla.warningsOf(messageId),
      this.sla.breachesOf(messageId),
    ]);
    const policy = this.clocks.policyOf(message);
    const views = rows.map((row) => this.view(row, warnings, breaches, now));
    views.push(...this.pending(message, policy, rows));
    return {
      messageId,
      status: message.status,
      zone: { name: this.region.zone.name, utcOffset: this.region.zone.offsetText },
      policy: { id: policy.id, title: policy.title, match: policy.match },
      // An imported ПОС message keeps the portal's own term; it is shown as the portal gives it.
      portal: message.pos ? { plannedCompletionAt: message.pos.plannedCompletionAt, overdue: message.pos.overdue } : null,
      clocks: views,
    };
  }

  private view(row: SlaClockEntity, warnings: SlaWarningEntity[], breaches: SlaBreachEntity[], now: Date): ClockView {
    const time = this.clocks.timeOf(row);
    const data = toData(row);
    const { replay, missingYear } = tryReplayClock(data, time);
    const state: ClockState = replay
      ? clockState(data, replay, now)
      : row.status === 'cancelled'
        ? 'cancelled'
        : row.status === 'paused'
          ? 'paused'
          : 'running';
    const counting = safeExplain(time, row);
    const due = replay?.dueAt ?? null;
    const breach = breaches.find((b) => b.clockId === row.id) ?? null;
    const z = this.region.zone;
    const lines = [
      `${CLOCK_TITLES[row.kind]}${row.generation > 1 ? ` (${row.generation}-й цикл)` : ''}: ${durationText(data.term)}, политика «${row.policyId}».`,
      `Начало: ${z.formatRussian(row.startedAt)} — ${CLOCK_START_TITLES[row.startsOn]}.`,
      ...(counting?.lines.slice(1) ?? []),
      ...(replay?.steps.map((s) => s.text) ?? []),
    ];
    if (missingYear !== null) {
      lines.push(
        `Срок не может быть рассчитан: нет производственного календаря на ${missingYear} год. Он будет рассчитан автоматически, когда календарь загрузят (config/calendar).`,
      );
    }
    if (due && row.dueAt && due.getTime() !== row.dueAt.getTime()) {
      lines.push(
        `Внимание: по текущему календарю срок был бы ${z.formatRussian(due)}, записан ${z.formatRussian(row.dueAt)} (календарь или график изменились после расчёта).`,
      );
    }
    if (row.stoppedAt) lines.push(`Остановлен: ${z.formatRussian(row.stoppedAt)} (${stopText(row.stopReason)}).`);
    const late =
      breach?.stoppedAt && breach.latenessWorkingMs !== null
        ? { ms: Number(breach.latenessMs), workingMs: Number(breach.latenessWorkingMs) }
        : state === 'breached' && due
          ? { ms: (row.stoppedAt ?? now).getTime() - due.getTime(), workingMs: time.workingTimeBetween(due, row.stoppedAt ?? now) }
          : null;
    if (late) lines.push(`Просрочка: ${workingDurationText(late.workingMs)} рабочего времени (${workingDurationText(late.ms)} календарного).`);
    return {
      id: row.id,
      kind: row.kind,
      title: CLOCK_TITLES[row.kind],
      generation: row.generation,
      state,
      waitsForCalendarYear: missingYear,
      policyId: row.policyId,
      term: { amount: row.amount, unit: row.unit, text: durationText(data.term) },
      startsOn: row.startsOn,
      startReason: CLOCK_START_TITLES[row.startsOn],
      startedAt: z.format(row.startedAt),
      dueAt: row.dueAt ? z.format(row.dueAt) : null,
      organization: this.region.named(row.organizationId),
      officeHoursOf: this.region.named(row.calendarOrganizationId),
      stoppedAt: row.stoppedAt ? z.format(row.stoppedAt) : null,
      stopReason: row.stopReason,
      timeLeft: state === 'running' && due ? timeLeft(due, time, now) : null,
      lateness: late ? { ...late, text: `${workingDurationText(late.workingMs)} рабочего времени` } : null,
      warnings: warnings
        .filter((w) => w.clockId === row.id)
        .map((w) => ({ fraction: w.fraction, reachedAt: z.format(w.reachedAt), recordedAt: z.format(w.recordedAt) })),
      breach: breach
        ? {
            id: breach.id,
            dueAt: z.format(breach.dueAt),
            recordedAt: z.format(breach.recordedAt),
            stoppedAt: breach.stoppedAt ? z.format(breach.stoppedAt) : null,
          }
        : null,
      explanation: { counting, steps: replay?.steps ?? [], lines },
    };
  }

  /** Clocks of the policy whose start event has not happened yet (a 59-ФЗ answer waits for registration). */
  private pending(message: MessageEntity, policy: SlaPolicy, rows: SlaClockEntity[]): ClockView[] {
    if (!isOpen(message.status)) return [];
    return CLOCK_KINDS.filter((kind) => policy.clocks[kind] && !rows.some((r) => r.kind === kind)).map((kind) => {
      const rule = policy.clocks[kind]!;
      return {
        id: null,
        kind,
        title: CLOCK_TITLES[kind],
        generation: 0,
        state: 'pending' as const,
        waitsForCalendarYear: null,
        policyId: policy.id,
        term: { amount: rule.amount, unit: rule.unit, text: durationText(rule) },
        startsOn: rule.startsAt,
        startReason: CLOCK_START_TITLES[rule.startsAt],
        startedAt: null,
        dueAt: null,
        organization: null,
        officeHoursOf: null,
        stoppedAt: null,
        stopReason: null,
        timeLeft: null,
        lateness: null,
        warnings: [],
        breach: null,
        explanation: {
          counting: null,
          steps: [],
          lines: [`${CLOCK_TITLES[kind]}: ${durationText(rule)}; срок начнёт течь с события «${CLOCK_START_TITLES[rule.startsAt]}».`],
        },
      };
    });
  }
}

function safeExplain(time: WorkingTime, row: SlaClockEntity): DueExplanation | null {
  try {
    return time.explain(row.startedAt, { amount: row.amount, unit: row.unit });
  } catch {
    return null;
  }
}

const STOP_REASONS: Record<string, string> = {
  answered: 'ответ отправлен',
  routed: 'сообщение направлено в организацию',
  moderated: 'модерация завершена',
  registered: 'зарегистрировано',
  rejected: 'отклонено модератором',
  interim_answer: 'дан промежуточный ответ',
  redirected: 'перенаправлено',
  in_progress: 'взято в работу',
  policy_changed: 'изменилась политика (категория)',
  reconsideration: 'повторное рассмотрение',
  closed: 'закрыто',
};

function stopText(reason: string | null): string {
  return (reason && STOP_REASONS[reason]) ?? reason ?? '';
}
