import { LoggerService } from '@nestjs/common';
import { describeError } from '../error-log';
import { withTimeout } from './timeout';

/**
 * A read made at scrape time for one or more gauges (the database, the Kafka admin). prom-client
 * collects the gauges of a scrape together, so they share one read; a read still running when
 * the next scrape comes (a slow source) is waited for again, never started twice. It never
 * throws: past the timeout, or on an error, the answer is `undefined` and the gauges are left
 * out of that scrape. A failure is logged once when it starts and once when it ends, not every
 * scrape.
 */
export class ScrapeRead<T> {
  private running?: Promise<T>;
  private failing = false;

  constructor(
    private readonly what: string,
    private readonly timeoutMs: number,
    private readonly read: () => Promise<T>,
    private readonly logger: Pick<LoggerService, 'log' | 'warn'>,
  ) {}

  async value(): Promise<T | undefined> {
    this.running ??= this.read().finally(() => (this.running = undefined));
    try {
      const value = await withTimeout(this.running, this.timeoutMs, this.what);
      if (this.failing) this.logger.log(`${this.what}: read again`);
      this.failing = false;
      return value;
    } catch (error) {
      if (!this.failing) this.logger.warn(`${this.what} left out of /metrics until it answers: ${describeError(error)}`);
      this.failing = true;
      return undefined;
    }
  }
}
