import { Injectable, Logger, OnApplicationShutdown, Optional } from '@nestjs/common';
import { Environment, RegionCatalog } from '@cur/config';
import { timeOrderedId } from '@cur/domain';
import { CreateMessageDto, CreateMessageResult, DECIDED_BY_HEADER, envelope, topicEvent, TopicEvent, TOPICS } from '@cur/contracts';
import { AdmissionItem, AdmissionTriage, ChangeBatch, TriageDecision, MessageLifecycle } from '@cur/lifecycle';
import { MessageRepository, NewApplicant, NewMessage } from '@cur/persistence';
import { Clock, correlationId, describeError, Metrics } from '@cur/platform';

export type AcceptResult = CreateMessageResult & { created: boolean };

/**
 * Group transactions in flight at once. While they run, requests gather for the next group, which
 * is written as soon as one ends: groups grow with the database's commit time, not with the timer.
 */
const WRITES_IN_FLIGHT = 4;

/** A request waiting for the group commit. */
interface Waiting {
  dto: CreateMessageDto;
  correlationId?: string;
  resolve(result: AcceptResult): void;
  reject(error: unknown): void;
}

/**
 * Stores incoming messages, their applicants and their first events. Concurrent requests share a
 * transaction (group commit), the messages of batch requests too: a message waits up to
 * CUR_INTAKE_BATCH_WAIT_MS for others, or until CUR_INTAKE_BATCH_MAX are waiting, and is answered
 * after that commit, so a 201 always means stored. The same (source, externalId) again, in the
 * same group or later, returns the first message's id and writes nothing. With
 * CUR_TRIAGE_IN_INTAKE, the messages are triaged in the same transaction.
 */
@Injectable()
export class IntakeService implements OnApplicationShutdown {
  private readonly logger = new Logger(IntakeService.name);
  private waiting: Waiting[] = [];
  private timer?: NodeJS.Timeout;
  private readonly writes = new Set<Promise<void>>();
  private inFlight = 0;

  constructor(
    private readonly lifecycle: MessageLifecycle,
    private readonly messages: MessageRepository,
    private readonly region: RegionCatalog,
    private readonly clock: Clock,
    private readonly env: Environment,
    @Optional() private readonly triage?: AdmissionTriage,
    @Optional() private readonly metrics?: Metrics,
  ) {}

  /** One message (POST /api/v1/messages), through the group commit. */
  accept(dto: CreateMessageDto): Promise<AcceptResult> {
    if (this.env.CUR_INTAKE_BATCH_WAIT_MS === 0) return this.write([dto], [correlationId()]).then((r) => r[0]);
    return this.enqueue(dto);
  }

  /**
   * Many messages of one request (POST /api/v1/messages:batch), results in their order. They join
   * the group commit like single requests, so concurrent batches share transactions (a hundred
   * requests of ten a second are a few transactions, not a hundred). A key repeated in the request
   * is written once and answered from its first occurrence.
   */
  async acceptMany(dtos: readonly CreateMessageDto[]): Promise<AcceptResult[]> {
    const keys = dtos.map((dto) => JSON.stringify([dto.source, dto.externalId]));
    const firsts = new Map<string, number>();
    keys.forEach((key, i) => firsts.has(key) || firsts.set(key, i));
    const unique = [...firsts.values()].map((i) => dtos[i]);
    const written = await this.writeMany(unique);
    const byKey = new Map([...firsts.keys()].map((key, i) => [key, written[i]]));
    return keys.map((key, i) => {
      const result = byKey.get(key)!;
      return firsts.get(key) === i ? result : { ...result, created: false };
    });
  }

  private async writeMany(dtos: readonly CreateMessageDto[]): Promise<AcceptResult[]> {
    if (this.env.CUR_INTAKE_BATCH_WAIT_MS > 0) return Promise.all(dtos.map((dto) => this.enqueue(dto)));
    const results: AcceptResult[] = [];
    const max = this.env.CUR_INTAKE_BATCH_MAX;
    for (let i = 0; i < dtos.length; i += max) {
      const chunk = dtos.slice(i, i + max);
      results.push(
        ...(await this.write(
          chunk,
          chunk.map(() => correlationId()),
        )),
      );
    }
    return results;
  }

  private enqueue(dto: CreateMessageDto): Promise<AcceptResult> {
    return new Promise<AcceptResult>((resolve, reject) => {
      this.waiting.push({ dto, correlationId: correlationId(), resolve, reject });
      if (this.waiting.length >= this.env.CUR_INTAKE_BATCH_MAX) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.env.CUR_INTAKE_BATCH_WAIT_MS);
    });
  }

  /** Requests still waiting are written before the database closes. */
  async onApplicationShutdown(): Promise<void> {
    while (this.waiting.length || this.writes.size) {
      this.flush();
      await Promise.all(this.writes);
    }
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    // Enough groups are being written: the first to end writes this one.
    if (this.inFlight >= WRITES_IN_FLIGHT || this.waiting.length === 0) return;
    const group = this.waiting.splice(0, this.env.CUR_INTAKE_BATCH_MAX);
    this.inFlight++;
    const write = this.writeGroup(group).finally(() => {
      this.inFlight--;
      this.writes.delete(write);
      if (this.waiting.length) this.flush();
    });
    this.writes.add(write);
  }

  /**
   * One transaction for the group; if it fails, each request alone, so one request's failure
   * (a database error on its row) is its own and the others are stored.
   */
  private async writeGroup(group: Waiting[]): Promise<void> {
    try {
      const results = await this.write(
        group.map((w) => w.dto),
        group.map((w) => w.correlationId),
      );
      group.forEach((w, i) => w.resolve(results[i]));
      return;
    } catch (error) {
      if (group.length === 1) return group[0].reject(error);
      this.logger.warn(`a group of ${group.length} messages failed (${describeError(error)}); writing them one by one`);
    }
    for (const w of group) {
      await this.write([w.dto], [w.correlationId]).then(
        ([result]) => w.resolve(result),
        (error: unknown) => w.reject(error),
      );
    }
  }

  /** Messages in one transaction; results in their order. */
  private async write(dtos: readonly CreateMessageDto[], correlations: readonly (string | undefined)[]): Promise<AcceptResult[]> {
    const now = this.clock.now();
    const regionCode = this.region.data.code;
    const keys = dtos.map((dto) => JSON.stringify([dto.source, dto.externalId]));
    // The first request of a (source, externalId) is the message; a repeat in the same group answers with its id.
    const firsts = new Map<string, { key: string; dto: CreateMessageDto; message: NewMessage; correlationId?: string }>();
    dtos.forEach((dto, i) => {
      const key = keys[i];
      if (!firsts.has(key)) firsts.set(key, { key, dto, message: this.newMessage(dto, timeOrderedId(), now), correlationId: correlations[i] });
    });
    // In key order, so two groups inserting the same keys wait for each other in the same order (no deadlock).
    const items = [...firsts.values()].sort((a, b) => (a.key < b.key ? -1 : 1));
    const inIntake = this.env.CUR_TRIAGE_IN_INTAKE && this.triage ? this.triage : undefined;
    const prepared = await inIntake?.prepare(items.map((i) => i.dto.channel));
    // Triaged in this transaction, every one whose event it writes: the consumer need not look.
    const received = (id: string, channel: CreateMessageDto['channel']): TopicEvent => ({
      ...topicEvent(TOPICS.messageReceived, { ...envelope('message.received', regionCode, id, now), channel }),
      ...(inIntake ? { headers: { [DECIDED_BY_HEADER]: 'intake' } } : {}),
    });
    const decided: TriageDecision[] = [];
    const stored = await this.messages.transaction(async (manager) => {
      const batch = new ChangeBatch();
      const outcomes = new Map<string, TriageDecision>();
      const created = await this.lifecycle.admitMany(
        manager,
        items.map(({ dto, message, correlationId }): AdmissionItem => ({
          message,
          entry: { type: 'received', reason: null, data: { channel: dto.channel } },
          events: [received(message.id, dto.channel)],
          actor: `intake:${dto.source}`,
          correlationId,
        })),
        'intake',
        batch,
        inIntake &&
          (async (message, own) => {
            const [decision] = await inIntake.triageAdmitted(manager, [message], prepared, now, own);
            outcomes.set(message.id, decision);
          }),
      );
      const fresh = items.filter((i) => created.has(i.message.id));
      // Written by the batch's insert statement at its flush.
      batch.inserts.push(
        ...this.messages.applicantInserts(
          manager,
          fresh.flatMap(({ dto, message }) => applicantOf(dto, message.id)),
        ),
      );
      const statuses = new Map<string, { id: string; status: string; created: boolean }>(
        fresh.map(({ key, message }) => [key, { id: message.id, status: outcomes.get(message.id)?.status ?? message.status, created: true }]),
      );
      decided.push(...fresh.flatMap(({ message }) => outcomes.get(message.id) ?? []));
      await this.lifecycle.flush(manager, batch, now);
      const repeated = items.filter((i) => !created.has(i.message.id)).map(({ dto }) => ({ source: dto.source, externalId: dto.externalId }));
      for (const known of await this.messages.findByKeys(manager, repeated)) {
        statuses.set(JSON.stringify([known.source, known.externalId]), { id: known.id, status: known.status, created: false });
      }
      return statuses;
    });
    if ([...stored.values()].some((s) => s.created)) this.lifecycle.wake();
    inIntake?.observe(decided, now);
    this.metrics?.intakeBatchSize.observe(dtos.length);
    // Only the first request of a key in this group created it; a repeat in the same group is a repeat.
    const answered = new Set<string>();
    return dtos.map((dto, i) => {
      const key = keys[i];
      const result = stored.get(key);
      if (!result) throw new Error(`message ${dto.source}/${dto.externalId} neither stored nor found`);
      const created = result.created && !answered.has(key);
      answered.add(key);
      this.metrics?.intakeMessagesTotal.inc({ channel: dto.channel, outcome: created ? 'created' : 'duplicate' });
      return { id: result.id, status: result.status, created };
    });
  }

  private newMessage(dto: CreateMessageDto, id: string, now: Date): NewMessage {
    return {
      id,
      region: this.region.data.code,
      channel: dto.channel,
      source: dto.source,
      externalId: dto.externalId,
      text: dto.text,
      territoryId: this.region.territories.resolve(dto.territory)?.id ?? null,
      territoryRaw: dto.territory ?? null,
      importance: dto.importance ?? 'normal',
      categoryCode: null,
      categoryHint: dto.categoryHint ?? null,
      sourceCategory: null,
      sourceSubcategory: null,
      sourceFact: null,
      organizationId: null,
      organizationRaw: null,
      status: 'new',
      statusChangedAt: now,
      createdAt: new Date(dto.createdAt),
      receivedAt: now,
      dueAt: null,
      answeredAt: null,
      overdue: false,
      classification: null,
      url: dto.url ?? null,
      pos: null,
    };
  }
}

function applicantOf(dto: CreateMessageDto, messageId: string): NewApplicant[] {
  const a = dto.applicant;
  if (!a || !(a.name || a.phone || a.email || a.epguId)) return [];
  return [{ messageId, name: a.name ?? null, phone: a.phone ?? null, email: a.email ?? null, epguId: a.epguId ?? null }];
}
