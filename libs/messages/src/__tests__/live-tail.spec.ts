import { Tail, TailSource } from '../live-tail';

/** A table whose rows become visible when "committed", in any order, as concurrent transactions do. */
class Table implements TailSource<{ id: string }> {
  private readonly committed = new Set<number>();

  commit(...ids: number[]): void {
    for (const id of ids) this.committed.add(id);
  }

  after(id: string, limit: number): Promise<{ id: string }[]> {
    const rows = [...this.committed].filter((i) => i > Number(id)).sort((a, b) => a - b);
    return Promise.resolve(rows.slice(0, limit).map((i) => ({ id: String(i) })));
  }

  byIds(ids: string[]): Promise<{ id: string }[]> {
    return Promise.resolve(ids.filter((i) => this.committed.has(Number(i))).map((i) => ({ id: i })));
  }
}

const ids = (rows: { id: string }[]) => rows.map((r) => Number(r.id));

describe('the live updates tail', () => {
  it('delivers a row whose transaction committed after a later one was already read', async () => {
    const table = new Table();
    const tail = new Tail(table, 10n, 100);
    table.commit(11, 13); // 12 is still in flight
    expect(ids((await tail.poll(0)).rows)).toEqual([11, 13]);
    table.commit(12, 14);
    expect(ids((await tail.poll(1_000)).rows)).toEqual([12, 14]);
    // Delivered once: not again on the next poll.
    expect(ids((await tail.poll(2_000)).rows)).toEqual([]);
  });

  it('stops looking for a skipped id after a while (a rolled-back transaction never commits)', async () => {
    const table = new Table();
    const tail = new Tail(table, 0n, 100);
    table.commit(2);
    expect(ids((await tail.poll(0)).rows)).toEqual([2]);
    await tail.poll(31_000); // id 1 forgotten
    table.commit(1);
    expect(ids((await tail.poll(32_000)).rows)).toEqual([]);
  });

  it('reads in batches and says when more are waiting', async () => {
    const table = new Table();
    const tail = new Tail(table, 0n, 2);
    table.commit(1, 2, 3);
    const first = await tail.poll(0);
    expect([ids(first.rows), first.more]).toEqual([[1, 2], true]);
    const second = await tail.poll(0);
    expect([ids(second.rows), second.more]).toEqual([[3], false]);
  });

  it('does not track a wide jump of ids (a rolled-back import), which would be thousands of lookups', async () => {
    const table = new Table();
    const tail = new Tail(table, 0n, 100);
    table.commit(5_000);
    expect(ids((await tail.poll(0)).rows)).toEqual([5_000]);
    table.commit(17);
    expect(ids((await tail.poll(1_000)).rows)).toEqual([]);
  });
});
