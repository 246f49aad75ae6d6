import { ScrapeRead } from '../scrape-read';

function recorder() {
  const lines: string[] = [];
  return { lines, logger: { log: (m: string) => void lines.push(`log: ${m}`), warn: (m: string) => void lines.push(`warn: ${m}`) } };
}

describe('a scrape-time read', () => {
  it('is shared by the gauges of one scrape: one read, however many ask while it runs', async () => {
    let reads = 0;
    let finish!: (n: number) => void;
    const read = new ScrapeRead(
      'outbox backlog',
      60_000,
      () => {
        reads++;
        return new Promise<number>((resolve) => (finish = resolve));
      },
      recorder().logger,
    );
    const both = Promise.all([read.value(), read.value()]);
    finish(7);
    expect(await both).toEqual([7, 7]);
    expect(reads).toBe(1);
    // The next scrape reads again.
    const next = read.value();
    finish(8);
    expect(await next).toBe(8);
    expect(reads).toBe(2);
  });

  it('never throws: a failure leaves the figure out, is logged once when it starts and once when it ends', async () => {
    const { lines, logger } = recorder();
    let fail = true;
    const read = new ScrapeRead('dead letters', 60_000, () => (fail ? Promise.reject(new Error('connection refused')) : Promise.resolve(3)), logger);
    expect(await read.value()).toBeUndefined();
    expect(await read.value()).toBeUndefined();
    fail = false;
    expect(await read.value()).toBe(3);
    expect(await read.value()).toBe(3);
    expect(lines).toEqual(['warn: dead letters left out of /metrics until it answers: connection refused', 'log: dead letters: read again']);
  });

  it('gives up at its timeout, and the next scrape waits for the same read instead of starting another', async () => {
    let reads = 0;
    let finish!: (n: number) => void;
    const { lines, logger } = recorder();
    const read = new ScrapeRead(
      'Kafka consumer lag',
      5,
      () => {
        reads++;
        return new Promise<number>((resolve) => (finish = resolve));
      },
      logger,
    );
    expect(await read.value()).toBeUndefined();
    expect(lines).toEqual(['warn: Kafka consumer lag left out of /metrics until it answers: Kafka consumer lag: no answer within 5 ms']);
    const second = read.value();
    finish(4);
    expect(await second).toBe(4);
    expect(reads).toBe(1);
  });

  it('answers a figure again while it is fresh, then reads it anew; a failure is never answered again', async () => {
    let clock = 0;
    let reads = 0;
    let fail = false;
    const read = new ScrapeRead(
      'open messages',
      60_000,
      () => {
        reads++;
        return fail ? Promise.reject(new Error('statement timeout')) : Promise.resolve(reads * 10);
      },
      recorder().logger,
      { forMs: 15_000, now: () => clock },
    );
    expect(await read.value()).toBe(10);
    clock = 14_999;
    expect(await read.value()).toBe(10);
    expect(reads).toBe(1);
    clock = 15_000;
    expect(await read.value()).toBe(20);
    expect(reads).toBe(2);
    // A failed read leaves the figure out and is tried again at the next scrape, even at the same instant.
    clock = 40_000;
    fail = true;
    expect(await read.value()).toBeUndefined();
    expect(await read.value()).toBeUndefined();
    expect(reads).toBe(4);
    fail = false;
    expect(await read.value()).toBe(50);
    expect(await read.value()).toBe(50);
    expect(reads).toBe(5);
  });

  it("counts a figure's age from the start of its read, so a slow read does not stretch its period", async () => {
    let clock = 0;
    let reads = 0;
    const read = new ScrapeRead(
      'open messages',
      60_000,
      () => {
        reads++;
        clock += 2_000;
        return Promise.resolve(reads);
      },
      recorder().logger,
      { forMs: 10_000, now: () => clock },
    );
    expect(await read.value()).toBe(1);
    // The next scrape 10 s after the first began: read anew, though the first answered at 2 s.
    clock = 10_000;
    expect(await read.value()).toBe(2);
    clock = 19_999;
    expect(await read.value()).toBe(2);
  });

  it('reads at every scrape without a freshness period', async () => {
    let reads = 0;
    const read = new ScrapeRead('outbox backlog', 60_000, () => Promise.resolve(++reads), recorder().logger);
    expect([await read.value(), await read.value(), await read.value()]).toEqual([1, 2, 3]);
  });
});
