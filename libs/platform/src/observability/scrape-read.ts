import { LoggerService } from '@nestjs/common';
import { describeError } from '../error-log';
import { withTimeout } from './timeout';

/** How long a figure read at a scrape is answered again, and the clock that measures it. */
export interface Freshness {
  /** 0: every scrape reads. */
  forMs: number;
  /** Milliseconds on a monotonic clock. */
  now?: () => number;
}

/**
 * A read made at scrape time for one or more gauges (the database, the Kafka admin). prom-client
 * collects the gauges of a scrape together, so they share one read; a read still running when
 * the next scrape comes (a slow source) is waited for again, never started twice. A figure that
 * costs a scan (counting the open messages) is answered again for a while after it was read, so
 * scrapes of every service, however frequent, read it once per that period. It never
 * throws: past the timeout, or on an error, the answer is `undefined` and the gauges are left
 * out of that scrape (a failure is never answered again). A failure is logged once when it starts
 * and once when it ends, not every scrape.
 */
export class ScrapeRead<T> {
  /** The read in progress, and when it started. */
  private running?: { value: Promise<T>; at: number };
  private failing = false;
  /** The last value read, and when its read started: its age counts from then, however long the read took. */
  private last?: { value: T; at: number };

  constructor(
    private readonly what: string,
    private readonly timeoutMs: number,
    private readonly read: () => Promise<T>,
    private readonly logger: Pick<LoggerService, 'log' | 'warn'>,
    private readonly freshness: Freshness = { forMs: 0 },
  ) {}

  async value(): Promise<T | undefined> {
    const now = this.freshness.now ?? (() => performance.now());
    if (this.last && now() - this.last.at < this.freshness.forMs) return this.last.value;
    if (!this.running) {
      const at = now();
      this.running = { at, value: this.read().finally(() => (this.running = undefined)) };
    }
    const running = this.running;
    try {
      const value = await withTimeout(running.value, this.timeoutMs, this.what);
      if (this.failing) this.logger.log(`${this.what}: read again`);
      this.failing = false;
      if (this.freshness.forMs > 0) this.last = { value, at: running.at };
      return value;
    } catch (error) {
      if (!this.failing) this.logger.warn(`${this.what} left out of /metrics until it answers: ${describeError(error)}`);
      this.failing = true;
      return undefined;
    }
  }
}
