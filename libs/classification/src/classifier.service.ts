import type { ClassifierModelView } from '@cur/contracts';
import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { evaluate, EvaluationReport, LabelledText, TextClassifier, TrainingOptions, TrainingProgress } from '@cur/classifier';
import { RegionCatalog } from '@cur/config';
import { Rubricator } from '@cur/domain';
import {
  AuthRepository,
  ClassifierModelRepository,
  ClassifierModelStatus,
  ClassifierModelSummary,
  JobLeaseRepository,
  NewClassifierModelEvent,
  StoredExample,
} from '@cur/persistence';
import { Clock, describeError, DomainException, ErrorCode, errorForLog, Notice, NoticeBoard } from '@cur/platform';
import { HoldoutScore, judgeCandidate } from './activation-rule';
import { decodeModel, isHoldout } from './model-codec';
import { seedExamples, seedTrainingOptions } from './seed-examples';
import { trainAsync } from './train-async';

export const RUBRICATORS: readonly Rubricator[] = ['pos', 'im'];
export const BOOTSTRAP_ACTOR = 'system:bootstrap';

/** How long a service trusts its cached active model before asking the database again. */
const ACTIVE_CHECK_MS = 5_000;
/** A retraining's lease, renewed a third of the way through while it trains; one left by a crashed process expires. */
const RETRAIN_LEASE_MS = 5 * 60_000;

export interface RetrainResult {
  model: ClassifierModelSummary;
  activated: boolean;
  reason: string;
  holdout: { candidate: HoldoutScore; active: HoldoutScore | null };
}

export interface CorrectionInput {
  messageId: string;
  rubricator: Rubricator;
  label: string;
  predicted: string | null;
  predictedProbability: number | null;
  modelVersion: number | null;
  actor: string;
  at: Date;
}

interface Cached {
  id: string;
  version: number;
  classifier: TextClassifier;
}

/** A bootstrap model being trained in this process. */
interface Training {
  queuedAt: Date;
  startedAt?: Date;
  progress: TrainingProgress;
  examples: number;
  categories: number;
}

const RUBRICATOR_TITLES: Record<Rubricator, string> = { pos: 'ПОС (портал)', im: 'соцсетей (ИМ)' };
/** Who is told that classification runs on keywords for now: those who triage, configure and watch it. */
const TRAINING_AUDIENCE = ['operator', 'admin', 'supervisor'] as const;

/**
 * The region's classifier versions: the bootstrap model trained from seed examples, the active
 * model per rubricator (cached, re-checked every few seconds so an activation elsewhere is picked
 * up), operators' corrections as labelled examples, retraining with the activation rule, manual
 * activation and rollback. Every status change is recorded with who, when and why.
 */
@Injectable()
export class ClassifierService {
  private readonly logger = new Logger(ClassifierService.name);
  private readonly cache = new Map<Rubricator, Cached>();
  private readonly unreadable = new Set<string>();
  private readonly loading = new Map<string, Promise<Cached | undefined>>();
  private checkedAt = 0;
  private activeIds = new Map<string, string>();
  private readonly training = new Map<Rubricator, Training>();
  private bootstrap?: Promise<void>;
  private readonly stopping = new AbortController();

  constructor(
    private readonly models: ClassifierModelRepository,
    private readonly region: RegionCatalog,
    private readonly clock: Clock,
    notices: NoticeBoard,
    private readonly users: AuthRepository,
    private readonly leases: JobLeaseRepository,
  ) {
    notices.register((now) => this.notices(now));
  }

  private get code(): string {
    return this.region.data.code;
  }

  private get settings() {
    return this.region.data.classifier;
  }

  /**
   * Starts training the missing bootstrap models in the background and returns at once: the
   * service answers meanwhile, triage classifies by keywords until a model is active, and the
   * progress goes to the log and to the notices. Failures are logged; the next start tries again.
   */
  startBootstrap(): Promise<void> {
    this.bootstrap ??= this.ensureBootstrapModels().catch((error) => {
      if (!this.stopping.signal.aborted) this.logger.error(`bootstrap models not trained: ${errorForLog(error)}`);
    });
    return this.bootstrap;
  }

  /** Stops a bootstrap training under way (its worker is ended) and waits for it. */
  async stopBootstrap(): Promise<void> {
    this.stopping.abort();
    await this.bootstrap;
  }

  /**
   * Trains and activates the bootstrap model of every rubricator that has no model yet, one after
   * another, ПОС first (seconds) then ИМ (its 359 topics take longest). Trained outside the
   * transaction (in a worker thread); the lock and the re-check come after, so two services
   * starting together store one model.
   */
  async ensureBootstrapModels(): Promise<void> {
    const queue: { rubricator: Rubricator; examples: LabelledText[]; options: TrainingOptions }[] = [];
    for (const rubricator of RUBRICATORS) {
      if ((await this.models.countModels(this.code, rubricator)) > 0) continue;
      const options = this.trainingOptions(rubricator);
      const examples = seedExamples(this.region.data, rubricator, options.calibrationFolds);
      const categories = new Set(examples.map((e) => e.label)).size;
      if (categories < 2) continue;
      queue.push({ rubricator, examples, options });
      this.training.set(rubricator, { queuedAt: this.clock.now(), progress: { done: 0, step: 'queued' }, examples: examples.length, categories });
    }
    try {
      for (const { rubricator, examples, options } of queue) {
        if (this.stopping.signal.aborted) return;
        await this.trainBootstrap(rubricator, examples, options);
        this.training.delete(rubricator);
      }
    } finally {
      for (const { rubricator } of queue) this.training.delete(rubricator);
    }
  }

  private async trainBootstrap(rubricator: Rubricator, examples: LabelledText[], options: TrainingOptions): Promise<void> {
    const state = this.training.get(rubricator)!;
    state.startedAt = this.clock.now();
    const started = Date.now();
    this.logger.log(
      `bootstrap model for rubricator ${rubricator}: training in the background on ${examples.length} seed texts of ${state.categories} categories; until it is active, triage classifies these messages by keywords`,
    );
    let logged = 0;
    const { classifier, file } = await trainAsync(examples, options, this.clock.now(), {
      signal: this.stopping.signal,
      onProgress: (progress) => {
        state.progress = progress;
        const tenths = Math.floor(progress.done * 10);
        if (tenths > logged && tenths < 10) {
          logged = tenths;
          this.logger.log(
            `bootstrap model for rubricator ${rubricator}: training ${tenths * 10}% (${progress.step}), ${Math.round((Date.now() - started) / 1000)} s`,
          );
        }
      },
    });
    const trainingExamples = classifier.meta.training.examples;
    const stored = await this.models.transaction(async (manager) => {
      await this.models.lockRubricator(manager, this.code, rubricator);
      if ((await this.models.countModels(this.code, rubricator, manager)) > 0) return undefined;
      const now = this.clock.now();
      const id = randomUUID();
      await this.models.insert(manager, {
        id,
        region: this.code,
        rubricator,
        version: 1,
        status: 'active',
        origin: 'bootstrap',
        file,
        labels: classifier.labels.length,
        trainingExamples,
        trainingCorrections: 0,
        metrics: { validation: classifier.meta.validation },
        createdAt: now,
        createdBy: BOOTSTRAP_ACTOR,
        activatedAt: now,
      });
      await this.models.addEvents(manager, [
        event(id, 'trained', null, 'candidate', BOOTSTRAP_ACTOR, 'Начальная модель из примеров проекта', now, { examples: trainingExamples }),
        event(id, 'activated', 'candidate', 'active', BOOTSTRAP_ACTOR, 'Нет другой модели', now),
      ]);
      return id;
    });
    if (!stored) {
      this.logger.log(`bootstrap model for rubricator ${rubricator}: another service stored one first, this one is dropped`);
      return;
    }
    // Put to use as trained: reading it back from the database would cost a second copy.
    this.cache.set(rubricator, { id: stored, version: 1, classifier });
    this.invalidate();
    this.logger.log(
      `bootstrap model for rubricator ${rubricator}: ${classifier.labels.length} categories, ${trainingExamples} seed texts, active after ${Math.round((Date.now() - started) / 1000)} s of training`,
    );
  }

  /** What people must know while a rubricator has no active model: classification runs on keywords. */
  private async notices(now: Date): Promise<Notice[]> {
    const notices: Notice[] = [];
    let active: Map<string, string> | undefined;
    for (const rubricator of RUBRICATORS) {
      const training = this.training.get(rubricator);
      const title = RUBRICATOR_TITLES[rubricator];
      const meanwhile =
        'Пока её нет, сообщения этого канала направляются автоматически только при однозначном совпадении ключевых слов, остальные идут в очередь разбора; сообщения без содержания идут в очередь всегда.';
      if (training) {
        const percent = Math.floor(training.progress.done * 100);
        const since = training.startedAt ?? training.queuedAt;
        const elapsed = Math.max(0, Math.round((now.getTime() - since.getTime()) / 1000));
        notices.push({
          id: `classifier-training-${rubricator}`,
          severity: 'info',
          title: training.startedAt ? `Классификатор ${title} обучается: ${percent}%` : `Классификатор ${title} ждёт обучения`,
          text: training.startedAt
            ? `Первый запуск: модель для сообщений ${title} обучается в фоне на примерах проекта (${categories(training.categories)}, идёт ${elapsed} с). ${meanwhile}`
            : `Первый запуск: модель для сообщений ${title} (${categories(training.categories)}) обучится в фоне вслед за предыдущей. ${meanwhile}`,
          audience: TRAINING_AUDIENCE,
          since: since.toISOString(),
          health: true,
        });
        continue;
      }
      active ??= await this.freshActiveIds().catch(() => undefined);
      if (active && !active.has(rubricator) && this.region.data.categories.some((c) => c.rubricator === rubricator)) {
        notices.push({
          id: `classifier-missing-${rubricator}`,
          severity: 'info',
          title: `Нет активной модели классификатора ${title}`,
          text: `Модель обучается службой разбора (triage) при первом запуске. ${meanwhile}`,
          audience: TRAINING_AUDIENCE,
          health: true,
        });
      }
    }
    return notices;
  }

  private async freshActiveIds(options: { fresh?: boolean } = {}): Promise<Map<string, string>> {
    const now = Date.now();
    if (options.fresh || now - this.checkedAt > ACTIVE_CHECK_MS) {
      this.activeIds = await this.models.activeIds(this.code);
      this.checkedAt = now;
    }
    return this.activeIds;
  }

  /**
   * The active model of a rubricator, or undefined when there is none or it cannot be read (then
   * the caller falls back to keywords; the failed version is logged once and not retried).
   */
  async active(rubricator: Rubricator, options: { fresh?: boolean } = {}): Promise<{ id: string; version: number; classifier: TextClassifier } | undefined> {
    const id = (await this.freshActiveIds(options)).get(rubricator);
    if (!id || this.unreadable.has(id)) return undefined;
    const cached = this.cache.get(rubricator);
    if (cached?.id === id) return cached;
    // One load per version, however many messages ask at once.
    let loading = this.loading.get(id);
    if (!loading) {
      loading = this.load(rubricator, id).finally(() => this.loading.delete(id));
      this.loading.set(id, loading);
    }
    return loading;
  }

  private async load(rubricator: Rubricator, id: string): Promise<Cached | undefined> {
    const summary = await this.models.findById(id);
    if (!summary) return undefined;
    try {
      const loaded: Cached = { id, version: summary.version, classifier: decodeModel(await this.models.loadFile(id)) };
      this.cache.set(rubricator, loaded);
      this.logger.log(`classifier ${rubricator} v${loaded.version} loaded`);
      return loaded;
    } catch (error) {
      this.unreadable.add(id);
      this.logger.error(`classifier ${rubricator} v${summary.version} (${id}) cannot be read, keywords are used instead: ${describeError(error)}`);
      return undefined;
    }
  }

  /** Forget the cached active ids, so the next call reads them (after a change made here). */
  private invalidate(): void {
    this.checkedAt = 0;
  }

  /** Stores an operator's decision as a labelled example, in the caller's transaction. */
  async recordCorrection(manager: EntityManager, input: CorrectionInput): Promise<void> {
    await this.models.upsertExample(manager, {
      messageId: input.messageId,
      region: this.code,
      rubricator: input.rubricator,
      label: input.label,
      predicted: input.predicted,
      predictedProbability: input.predictedProbability,
      modelVersion: input.modelVersion,
      holdout: isHoldout(input.messageId, this.settings.holdoutShare),
      actor: input.actor,
      createdAt: input.at,
    });
  }

  /**
   * Trains a candidate on the seed examples plus the operators' corrections (not the held-back
   * ones), compares it with the active model on the held-back corrections, and activates it only
   * if it is not worse.
   */
  async retrain(rubricator: Rubricator, actor: string, reason: string): Promise<RetrainResult> {
    let result: RetrainResult | undefined;
    // One training of a rubricator at a time, across processes: two admins asking at once, or an
    // admin and the nightly job, would train two candidates on the same corrections.
    const ran = await this.leases.exclusively(
      `classifier-retrain:${rubricator}`,
      async (renew) => {
        const renewing = setInterval(
          () => void renew().catch((error: unknown) => this.logger.warn(`retraining ${rubricator}: lease not renewed: ${describeError(error)}`)),
          RETRAIN_LEASE_MS / 3,
        );
        try {
          result = await this.train(rubricator, actor, reason);
        } finally {
          clearInterval(renewing);
        }
      },
      RETRAIN_LEASE_MS,
    );
    if (!ran || !result) throw new DomainException(ErrorCode.Conflict, `Модель рубрикатора ${rubricator} уже обучается; результат появится в списке версий`);
    return result;
  }

  private async train(rubricator: Rubricator, actor: string, reason: string): Promise<RetrainResult> {
    // Corrections stored from here on are "new" for the nightly job, even if training takes long.
    const examplesUntil = this.clock.now();
    const options = this.trainingOptions(rubricator);
    const seed = seedExamples(this.region.data, rubricator, options.calibrationFolds);
    const known = new Set(this.region.data.categories.filter((c) => c.rubricator === rubricator).map((c) => c.code));
    const corrections = (await this.models.examples(this.code, rubricator, false)).filter((c) => known.has(c.label));
    const holdout = await this.models.examples(this.code, rubricator, true);
    // Calibrated and thresholds chosen out of fold: the seed's phrasings keep their folds, each correction is evidence of its own.
    const training: LabelledText[] = [...seed, ...corrections.map((c) => ({ text: c.text, label: c.label }))];
    if (new Set(training.map((e) => e.label)).size < 2) {
      throw new DomainException(ErrorCode.Conflict, `Для рубрикатора ${rubricator} нет данных для обучения`);
    }
    const { classifier: candidate, file } = await trainAsync(training, options, this.clock.now());
    // Read fresh, not from the cache: the verdict must be against the model active now.
    const current = await this.active(rubricator, { fresh: true });
    const candidateScore = score(candidate, holdout);
    const activeScore = current ? score(current.classifier, holdout) : null;
    const verdict = judgeCandidate(candidateScore, activeScore, this.settings.minHoldoutForActivation);

    const model = await this.models.transaction(async (manager) => {
      await this.models.lockRubricator(manager, this.code, rubricator);
      const now = this.clock.now();
      const id = randomUUID();
      const active = await this.models.findActive(this.code, rubricator, manager);
      // Judged against the model active when training ended; if another one was activated since, the verdict no longer holds.
      const stale = verdict.activate && (active?.id ?? null) !== (current?.id ?? null);
      const status: ClassifierModelStatus = verdict.activate && !stale ? 'active' : verdict.otherwise;
      // The active model is retired first: at most one is active, enforced by a unique index.
      if (status === 'active' && active) await this.models.setStatus(manager, active.id, 'retired');
      await this.models.insert(manager, {
        id,
        region: this.code,
        rubricator,
        version: await this.models.nextVersion(manager, this.code, rubricator),
        status,
        origin: 'retrain',
        file,
        labels: candidate.labels.length,
        trainingExamples: training.length,
        trainingCorrections: corrections.length,
        metrics: {
          examplesUntil: examplesUntil.toISOString(),
          validation: candidate.meta.validation,
          holdout: { candidate: candidateScore, active: activeScore, activeVersion: current?.version ?? null },
          verdict: verdict.reason,
        },
        createdAt: now,
        createdBy: actor,
        activatedAt: status === 'active' ? now : null,
      });
      const events: NewClassifierModelEvent[] = [
        event(id, 'trained', null, 'candidate', actor, reason, now, { examples: training.length, corrections: corrections.length }),
      ];
      if (status === 'active') {
        if (active) {
          events.push(event(active.id, 'retired', 'active', 'retired', actor, `Заменена версией-кандидатом: ${verdict.reason}`, now));
        }
        events.push(event(id, 'activated', 'candidate', 'active', actor, verdict.reason, now));
      } else if (status === 'rejected') {
        events.push(event(id, 'rejected', 'candidate', 'rejected', actor, verdict.reason, now));
      } else if (stale) {
        events.push(event(id, 'kept-candidate', 'candidate', 'candidate', actor, 'Пока шло обучение, активировали другую модель', now));
      } else {
        events.push(event(id, 'kept-candidate', 'candidate', 'candidate', actor, verdict.reason, now));
      }
      await this.models.addEvents(manager, events);
      return (await this.models.findById(id, manager))!;
    });
    this.invalidate();
    this.logger.log(`retrained ${rubricator} → v${model.version} ${model.status}: ${verdict.reason}`);
    return { model, activated: model.status === 'active', reason: verdict.reason, holdout: { candidate: candidateScore, active: activeScore } };
  }

  /** Makes a model active by a person's decision; the active one is retired. */
  async activate(id: string, actor: string, reason: string): Promise<ClassifierModelSummary> {
    const result = await this.models.transaction(async (manager) => {
      const target = await this.models.findById(id, manager);
      if (!target || target.region !== this.code) throw new DomainException(ErrorCode.NotFound, `Модель ${id} не найдена`);
      await this.models.lockRubricator(manager, this.code, target.rubricator);
      const fresh = (await this.models.findById(id, manager))!;
      if (fresh.status === 'active') throw new DomainException(ErrorCode.Conflict, `Модель v${fresh.version} уже активна`);
      await this.switchActive(manager, fresh, actor, reason, 'activated');
      return (await this.models.findById(id, manager))!;
    });
    this.invalidate();
    return result;
  }

  /** Returns to the model that was active before the current one. */
  async rollback(rubricator: Rubricator, actor: string, reason: string): Promise<ClassifierModelSummary> {
    const result = await this.models.transaction(async (manager) => {
      await this.models.lockRubricator(manager, this.code, rubricator);
      const previous = await this.models.previouslyActive(manager, this.code, rubricator);
      if (!previous) throw new DomainException(ErrorCode.Conflict, `Для рубрикатора ${rubricator} нет прежней активной модели`);
      await this.switchActive(manager, previous, actor, reason, 'rolled-back');
      return (await this.models.findById(previous.id, manager))!;
    });
    this.invalidate();
    return result;
  }

  private async switchActive(manager: EntityManager, target: ClassifierModelSummary, actor: string, reason: string, type: string): Promise<void> {
    const now = this.clock.now();
    const active = await this.models.findActive(this.code, target.rubricator, manager);
    const events: NewClassifierModelEvent[] = [];
    if (active) {
      await this.models.setStatus(manager, active.id, 'retired');
      events.push(event(active.id, type === 'rolled-back' ? 'rolled-back' : 'retired', 'active', 'retired', actor, reason, now));
    }
    await this.models.setStatus(manager, target.id, 'active', now);
    events.push(event(target.id, 'activated', target.status, 'active', actor, reason, now));
    await this.models.addEvents(manager, events);
  }

  async list(rubricator?: Rubricator): Promise<ClassifierModelView[]> {
    const models = await this.models.list(this.code, rubricator);
    const history = await this.models.history(models.map((m) => m.id));
    const people = await this.users.people([...models.map((m) => m.createdBy), ...history.map((h) => h.actor)], (id) => this.region.named(id));
    return models.map((m) => ({
      id: m.id,
      rubricator: m.rubricator,
      version: m.version,
      status: m.status,
      origin: m.origin,
      labels: m.labels,
      trainingExamples: m.trainingExamples,
      trainingCorrections: m.trainingCorrections,
      metrics: m.metrics,
      createdAt: m.createdAt.toISOString(),
      createdBy: m.createdBy,
      createdByName: people[m.createdBy].name,
      activatedAt: m.activatedAt?.toISOString() ?? null,
      history: history
        .filter((h) => h.modelId === m.id)
        .map((h) => ({
          type: h.type,
          fromStatus: h.fromStatus,
          toStatus: h.toStatus,
          actor: h.actor,
          actorName: people[h.actor].name,
          typeTitle: EVENT_TITLES[h.type] ?? 'Изменение',
          reason: h.reason,
          at: h.at.toISOString(),
        })),
    }));
  }

  /** Whether there are corrections newer than the newest model of the rubricator. */
  async hasNewCorrections(rubricator: Rubricator): Promise<boolean> {
    const [latest] = await this.models.list(this.code, rubricator);
    const until = typeof latest?.metrics.examplesUntil === 'string' ? new Date(latest.metrics.examplesUntil) : latest?.createdAt;
    const counts = await this.models.countExamples(this.code, rubricator, until);
    return counts.training + counts.holdout > 0;
  }

  private trainingOptions(rubricator: Rubricator): TrainingOptions {
    return { ...seedTrainingOptions(this.region.data, rubricator), targetPrecision: this.settings.targetPrecision };
  }
}

/** A model's history in words, for screens. */
const EVENT_TITLES: Record<string, string> = {
  trained: 'Обучена',
  activated: 'Введена в действие',
  'kept-candidate': 'Оставлена кандидатом',
  retired: 'Выведена из действия',
  rejected: 'Отклонена',
  'rolled-back': 'Возвращена в действие (откат)',
};

/** «23 категории», «359 категорий». */
function categories(n: number): string {
  const last = n % 10;
  const word = n % 100 >= 11 && n % 100 <= 14 ? 'категорий' : last === 1 ? 'категория' : last >= 2 && last <= 4 ? 'категории' : 'категорий';
  return `${n} ${word}`;
}

function score(classifier: TextClassifier, examples: readonly StoredExample[]): HoldoutScore {
  if (examples.length === 0) return { examples: 0, accuracy: 0, macroF1: 0 };
  const report: EvaluationReport = evaluate(examples.map((e) => ({ gold: e.label, ranked: classifier.rank(e.text, 3) })));
  return { examples: examples.length, accuracy: report.accuracy, macroF1: report.macroF1 };
}

function event(
  modelId: string,
  type: string,
  fromStatus: string | null,
  toStatus: string,
  actor: string,
  reason: string,
  at: Date,
  data: Record<string, unknown> | null = null,
): NewClassifierModelEvent {
  return { modelId, type, fromStatus, toStatus, actor, reason, data, at };
}
