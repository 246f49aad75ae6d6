import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { Response } from 'express';
import { MessageAccess } from '@cur/auth';
import { Environment } from '@cur/config';
import { LiveEventRepository, LiveMessageEventRow, LiveWarningRow } from '@cur/persistence';
import { DomainException, ErrorCode, Principal } from '@cur/platform';
import { Tail } from './live-tail';

type Kind = 'event' | 'warning';
type Cursor = Record<Kind, bigint>;
type Item = { kind: 'event'; row: LiveMessageEventRow } | { kind: 'warning'; row: LiveWarningRow };

interface Stream {
  id: number;
  principal: Principal;
  response: Response;
  cursor: Cursor;
  /** While the missed events of a resumed stream are sent, live ones wait here. */
  pending: Item[] | null;
  expiry?: NodeJS.Timeout;
  ended: boolean;
}

const BATCH = 500;
/** A resume further back than this is answered with `reset`: the client reloads its lists instead. */
const REPLAY_LIMIT = 1_000;
/** A client that does not read: its stream ends rather than the server holding its backlog. */
const MAX_BUFFERED_BYTES = 1 << 20;
const LAST_EVENT_ID = /^(\d{1,18})-(\d{1,18})$/;

/**
 * Live updates for the console (GET /api/v1/events/stream, server-sent events over fetch with the
 * bearer header). One tail per api process reads the message history and the deadline warnings
 * from the database once a second and fans each row out to the streams whose user may read the
 * message (the same scoping as the lists): so it works alike in one process with the in-process
 * bus and with several api instances beside Kafka, each tailing the shared tables. Event ids are
 * `<history id>-<warning id>`: a client resuming with Last-Event-ID gets what it missed.
 */
@Injectable()
export class LiveUpdatesService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(LiveUpdatesService.name);
  private readonly streams = new Map<number, Stream>();
  private next = 0;
  private events!: Tail<LiveMessageEventRow>;
  private warnings!: Tail<LiveWarningRow>;
  private poller?: NodeJS.Timeout;
  private heartbeat?: NodeJS.Timeout;
  private stopped = false;
  private polling: Promise<void> = Promise.resolve();

  constructor(
    private readonly repository: LiveEventRepository,
    private readonly access: MessageAccess,
    private readonly env: Environment,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const last = await this.repository.lastIds();
    this.events = new Tail(
      { after: (id, limit) => this.repository.eventsAfter(id, null, limit), byIds: (ids) => this.repository.eventsByIds(ids) },
      BigInt(last.event),
      BATCH,
    );
    this.warnings = new Tail(
      { after: (id, limit) => this.repository.warningsAfter(id, null, limit), byIds: (ids) => this.repository.warningsByIds(ids) },
      BigInt(last.warning),
      BATCH,
    );
    this.schedulePoll();
    this.heartbeat = setInterval(() => void this.beat(), this.env.CUR_EVENTS_HEARTBEAT_MS);
  }

  /** Every stream ends cleanly first (`end`, reason `shutdown`), so the server closes without waiting for clients. */
  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.poller);
    clearInterval(this.heartbeat);
    for (const stream of [...this.streams.values()]) this.end(stream, 'shutdown');
    await this.polling;
  }

  /**
   * Opens a stream for a signed-in user: 429 past the per-user limit, 400 for a Last-Event-ID this
   * server never sent. Ends when the access token expires (the client reconnects with a fresh one),
   * when the session ends (logout, a disabled user; checked with each heartbeat), or on shutdown.
   */
  async open(principal: Principal, tokenExpiresAt: Date | null, lastEventId: string | undefined, response: Response): Promise<void> {
    const resumeFrom = lastEventId === undefined || lastEventId === '' ? null : parseLastEventId(lastEventId);
    const limit = this.env.CUR_EVENTS_STREAMS_PER_USER;
    if ([...this.streams.values()].filter((s) => s.principal.userId === principal.userId).length >= limit) {
      throw new DomainException(
        ErrorCode.TooManyRequests,
        `Открыто слишком много потоков обновлений (не больше ${limit} на пользователя): закройте лишние вкладки`,
      );
    }
    const head: Cursor = { event: this.events.cursor, warning: this.warnings.cursor };
    const stream: Stream = { id: ++this.next, principal, response, cursor: { ...head }, pending: resumeFrom ? [] : null, ended: false };
    this.streams.set(stream.id, stream);
    response.on('close', () => this.end(stream, null)); // the client went away (or the stream ended)
    response.status(200);
    response.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    response.setHeader('Cache-Control', 'no-cache, no-transform');
    response.setHeader('Connection', 'keep-alive');
    response.setHeader('X-Accel-Buffering', 'no'); // a proxy must pass events on at once, not in chunks
    response.flushHeaders();
    response.write(`retry: 3000\n\n`);
    if (tokenExpiresAt) {
      stream.expiry = setTimeout(() => this.end(stream, 'token-expired'), Math.max(0, tokenExpiresAt.getTime() - Date.now()));
    }
    if (resumeFrom) await this.replay(stream, resumeFrom, head);
    this.send(stream, 'ready', {});
  }

  /** What a resumed stream missed, between its Last-Event-ID and where the tail stood when it connected. */
  private async replay(stream: Stream, from: Cursor, head: Cursor): Promise<void> {
    let items: Item[] = [];
    let reset = from.event > head.event || from.warning > head.warning;
    if (!reset) {
      try {
        const [events, warnings] = [
          await this.repository.eventsAfter(String(from.event), String(head.event), REPLAY_LIMIT + 1),
          await this.repository.warningsAfter(String(from.warning), String(head.warning), REPLAY_LIMIT + 1),
        ];
        reset = events.length > REPLAY_LIMIT || warnings.length > REPLAY_LIMIT;
        items = [...events.map((row) => ({ kind: 'event', row }) as const), ...warnings.map((row) => ({ kind: 'warning', row }) as const)];
      } catch (error) {
        this.logger.warn(`live updates: a resume could not be read (${(error as Error).message}): the client reloads`);
        reset = true;
      }
    }
    if (stream.ended) return;
    // From here on nothing awaits: what the tail delivered meanwhile is sent right after the missed rows.
    const waiting = stream.pending ?? [];
    stream.pending = null;
    if (reset) {
      stream.cursor = { ...head };
      this.send(stream, 'reset', {});
    } else {
      stream.cursor = { ...from };
      for (const item of items) if (this.readable(stream, item)) this.deliver(stream, item);
    }
    const sent = new Set(items.map((i) => `${i.kind}:${i.row.id}`));
    for (const item of waiting) if (reset || !sent.has(`${item.kind}:${item.row.id}`)) this.deliver(stream, item);
    stream.cursor = { event: max(stream.cursor.event, head.event), warning: max(stream.cursor.warning, head.warning) };
  }

  private schedulePoll(): void {
    if (this.stopped) return;
    this.poller = setTimeout(() => {
      this.polling = this.poll().finally(() => this.schedulePoll());
    }, this.env.CUR_EVENTS_POLL_MS);
  }

  private async poll(): Promise<void> {
    try {
      if (this.streams.size === 0) {
        // Nobody listens: just keep up with the tables, so the first stream does not wait for a backlog.
        const last = await this.repository.lastIds();
        if (this.streams.size > 0) return; // one connected meanwhile, from the cursor it was given
        this.events.reset(BigInt(last.event));
        this.warnings.reset(BigInt(last.warning));
        return;
      }
      for (let round = 0; round < 20 && !this.stopped; round++) {
        const now = Date.now();
        const events = await this.events.poll(now);
        const warnings = await this.warnings.poll(now);
        const items: Item[] = [
          ...events.rows.map((row) => ({ kind: 'event', row }) as const),
          ...warnings.rows.map((row) => ({ kind: 'warning', row }) as const),
        ];
        for (const item of items) for (const stream of this.streams.values()) if (this.readable(stream, item)) this.deliver(stream, item);
        if (!events.more && !warnings.more) break;
      }
    } catch (error) {
      this.logger.warn(`live updates: the tail could not read (${(error as Error).message}); trying again`);
    }
  }

  /** A keep-alive comment to every stream, and the end of those whose session is over. */
  private async beat(): Promise<void> {
    if (this.streams.size === 0) return;
    for (const stream of this.streams.values()) this.write(stream, ': keep-alive\n\n');
    try {
      const streams = [...this.streams.values()];
      const alive = await this.repository.liveSessions([...new Set(streams.map((s) => s.principal.sessionId))], new Date());
      for (const stream of streams) if (!alive.has(stream.principal.sessionId)) this.end(stream, 'session-ended');
    } catch (error) {
      this.logger.warn(`live updates: sessions could not be checked (${(error as Error).message})`);
    }
  }

  /** The scoping of the lists: the message's organization now (so an executor never learns another organization's ids). */
  private readable(stream: Stream, item: Item): boolean {
    return this.access.canRead(stream.principal, { organizationId: item.row.organizationId });
  }

  private deliver(stream: Stream, item: Item): void {
    if (stream.pending) {
      stream.pending.push(item);
      return;
    }
    const id = BigInt(item.row.id);
    stream.cursor[item.kind] = max(stream.cursor[item.kind], id);
    if (item.kind === 'event') {
      const { row } = item;
      this.send(stream, 'message', {
        id: row.id,
        messageId: row.messageId,
        type: row.type,
        fromStatus: row.fromStatus,
        status: row.toStatus,
        organizationId: row.organizationId,
        at: row.at.toISOString(),
      });
    } else {
      const { row } = item;
      this.send(stream, 'deadline-warning', {
        id: row.id,
        messageId: row.messageId,
        organizationId: row.organizationId,
        kind: row.kind,
        fraction: row.fraction,
        dueAt: row.dueAt.toISOString(),
        reachedAt: row.reachedAt.toISOString(),
      });
    }
  }

  private send(stream: Stream, event: string, data: object): void {
    this.write(stream, `id: ${stream.cursor.event}-${stream.cursor.warning}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  private write(stream: Stream, chunk: string): void {
    if (stream.ended || !stream.response.writable) return;
    stream.response.write(chunk);
    if (stream.response.writableLength > MAX_BUFFERED_BYTES) this.end(stream, 'slow-client');
  }

  /** Ends a stream once; `reason` null when the client went away (nothing to tell it). */
  private end(stream: Stream, reason: string | null): void {
    if (stream.ended) return;
    if (reason && stream.response.writable) stream.response.write(`event: end\ndata: ${JSON.stringify({ reason })}\n\n`);
    stream.ended = true;
    clearTimeout(stream.expiry);
    this.streams.delete(stream.id);
    stream.response.end();
  }
}

function parseLastEventId(value: string): Cursor {
  const match = LAST_EVENT_ID.exec(value.trim());
  if (!match) {
    throw new DomainException(ErrorCode.ValidationFailed, 'Неверный заголовок Last-Event-ID: передайте id последнего полученного события', [
      { field: 'Last-Event-ID', message: 'must be the id of an event this stream sent, e.g. 1234-56' },
    ]);
  }
  return { event: BigInt(match[1]), warning: BigInt(match[2]) };
}

function max(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}
