import type { DeadLetterPage, DeadLetterView } from '@cur/contracts';
import { Injectable } from '@nestjs/common';
import { validateSync } from 'class-validator';
import { parseTopicEventInstance, Topic, TOPICS } from '@cur/contracts';
import { DeadLetterEntity, DeadLetterRepository, OutboxRepository, ReplayedRecord } from '@cur/persistence';
import { Clock, correlationIn, DomainException, ErrorCode } from '@cur/platform';
import { OutboxRelay } from '../outbox/outbox-relay';
import { DeadLetterListQuery } from './dead-letters.dto';

/** How many dead letters one «replay all» sends at most; the answer says how many remain. */
export const REPLAY_ALL_LIMIT = 1000;
const REPLAY_BATCH = 100;

const KNOWN_TOPICS = new Set<string>(Object.values(TOPICS));

/**
 * The dead letters people look at and send again. A replay goes through the outbox in the
 * transaction that marks the row replayed (who, when, why), so it is sent exactly when it is
 * marked, and a row is replayed once: a second replay is refused (409). The event goes back to its
 * original topic with its original key and value, so it keeps its event id: the consumer that
 * failed recorded nothing for it (its `processed_event` row is written in the transaction that
 * failed), so it handles it now, and consumers that handled it before skip it as a repeat.
 */
@Injectable()
export class DeadLettersService {
  constructor(
    private readonly letters: DeadLetterRepository,
    private readonly outbox: OutboxRepository,
    private readonly relay: OutboxRelay,
    private readonly clock: Clock,
  ) {}

  async list(query: DeadLetterListQuery): Promise<DeadLetterPage> {
    const rows = await this.letters.list({ topic: query.topic, state: query.state, limit: query.limit + 1, beforeSeq: query.cursor });
    const page = rows.slice(0, query.limit);
    return {
      items: page.map((r) => view(r)),
      nextCursor: rows.length > query.limit ? page[page.length - 1].seq : null,
    };
  }

  async replayOne(id: string, reason: string, by: string) {
    const now = this.clock.now();
    await this.letters.transaction(async (manager) => {
      const letter = await this.letters.find(id, manager);
      if (!letter) throw new DomainException(ErrorCode.NotFound, 'Запись очереди недоставленных не найдена');
      if (letter.replayedAt) {
        throw new DomainException(
          ErrorCode.Conflict,
          `Уже отправлено повторно ${letter.replayedAt.toISOString()} (${letter.replayedBy ?? '—'}): повторная отправка одной записи не выполняется дважды`,
        );
      }
      if (!letter.replayable) throw new DomainException(ErrorCode.Conflict, notReplayableReason(letter));
      const replayed = await this.letters.markReplayed(manager, { ids: [id] }, by, reason, now);
      // Another replay marked it between the read and the update.
      if (replayed.length === 0) throw new DomainException(ErrorCode.Conflict, 'Уже отправлено повторно');
      await this.outbox.add(manager, replayed.map(outboxEvent), now);
    });
    this.relay.kick();
    return view((await this.letters.find(id))!);
  }

  /** Every pending replayable dead letter (of one topic), oldest first, up to REPLAY_ALL_LIMIT. */
  async replayAll(topic: string | undefined, reason: string, by: string) {
    const ids: string[] = [];
    const upToSeq = await this.letters.lastSeq();
    while (ids.length < REPLAY_ALL_LIMIT) {
      const now = this.clock.now();
      const batch = await this.letters.transaction(async (manager) => {
        const replayed = await this.letters.markReplayed(
          manager,
          { topic, upToSeq, limit: Math.min(REPLAY_BATCH, REPLAY_ALL_LIMIT - ids.length) },
          by,
          reason,
          now,
        );
        await this.outbox.add(manager, replayed.map(outboxEvent), now);
        return replayed;
      });
      ids.push(...batch.map((r) => r.id));
      if (batch.length === 0) break;
      this.relay.kick();
    }
    return { replayed: ids.length, ids, remaining: await this.letters.pendingCount(topic) };
  }
}

/**
 * The outbox event of a replay: the original topic, key, value and headers (the dead letter's id
 * as its event id, which the outbox does not store). Its headers go over the replay's own, so the
 * event keeps the correlation id of the request it began with.
 */
function outboxEvent(r: ReplayedRecord) {
  return { eventId: r.id, topic: r.topic, key: r.key, payload: r.payload, ...(Object.keys(r.headers).length ? { headers: r.headers } : {}) };
}

function notReplayableReason(letter: DeadLetterEntity): string {
  if (!letter.payloadIsJson) return 'Содержимое записи не было JSON: повторная отправка изменила бы её байты';
  return `Топик записи «${letter.topic}» не является именем топика Kafka: отправить её некуда`;
}

function view(r: DeadLetterEntity & { replayable: boolean }): DeadLetterView {
  return {
    id: r.id,
    topic: r.topic,
    key: r.key,
    consumer: r.consumer,
    partition: r.partition,
    offset: r.offset,
    error: r.error,
    attempts: r.attempts,
    deadLetteredAt: r.deadLetteredAt.toISOString(),
    correlationId: correlationIn(r.headers),
    ...preview(r.topic, r.payload, r.payloadIsJson),
    replayable: r.replayable && r.replayedAt === null,
    replay: r.replayedAt ? { at: r.replayedAt.toISOString(), by: r.replayedBy, reason: r.replayReason } : null,
  };
}

/**
 * What an admin may see of the value. Admins never read personal data, and a dead letter's value
 * is whatever reached the topic: only a value that satisfies its topic's contract is shown, and
 * only the contract's fields (ids, codes, statuses, dates — contracts carry no text and no personal
 * data); anything else (a poison record, unknown fields) is withheld, with its size.
 */
function preview(topic: string, payload: unknown, json: boolean): { payload: object | null; payloadWithheld: string | null } {
  const size = Buffer.byteLength(JSON.stringify(payload ?? null));
  if (!json) return { payload: null, payloadWithheld: `не JSON (${size} байт): не показывается` };
  if (KNOWN_TOPICS.has(topic)) {
    try {
      // An instance of the contract's class, so the whitelist below knows its fields.
      const event = parseTopicEventInstance(topic as Topic, structuredClone(payload));
      // Drops every field the contract does not declare, so nothing outside it is shown.
      validateSync(event, { whitelist: true, forbidUnknownValues: true });
      return { payload: JSON.parse(JSON.stringify(event)) as object, payloadWithheld: null };
    } catch {
      // Not the topic's contract: withheld below.
    }
  }
  return { payload: null, payloadWithheld: `не соответствует контракту топика (${size} байт): не показывается` };
}
