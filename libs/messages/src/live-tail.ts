/** What a tail reads: rows after an id (oldest first, at most `limit`), and rows by id. */
export interface TailSource<Row extends { id: string }> {
  after(id: string, limit: number): Promise<Row[]>;
  byIds(ids: string[]): Promise<Row[]>;
}

/** How long an id skipped by the tail is looked for again: a transaction that took it may commit late. */
const GAP_WINDOW_MS = 30_000;
/** A wider jump is a rolled-back batch or a sequence moved on purpose, not transactions in flight. */
const MAX_GAP_RUN = 1_000;
const MAX_GAPS = 10_000;

/**
 * Reads a table with a bigint serial id in id order. Ids are taken when a row is inserted but seen
 * only when its transaction commits, so a reader past id 12 may meet 11 a moment later: ids skipped
 * are remembered for a while and looked for again, so a late commit is still delivered (rolled-back
 * ids simply expire).
 */
export class Tail<Row extends { id: string }> {
  private gaps = new Map<bigint, number>();

  constructor(
    private readonly source: TailSource<Row>,
    public cursor: bigint,
    private readonly batch: number,
  ) {}

  /** Starts over from an id, forgetting skipped ones (nobody was listening). */
  reset(cursor: bigint): void {
    this.cursor = cursor;
    this.gaps.clear();
  }

  /** New rows since the last poll (and late ones), and whether more are waiting. */
  async poll(nowMs: number): Promise<{ rows: Row[]; more: boolean }> {
    const late = this.gaps.size ? await this.source.byIds([...this.gaps.keys()].map(String)) : [];
    for (const row of late) this.gaps.delete(BigInt(row.id));
    for (const [id, noticed] of this.gaps) if (nowMs - noticed > GAP_WINDOW_MS) this.gaps.delete(id);
    const fresh = await this.source.after(String(this.cursor), this.batch);
    let expected = this.cursor + 1n;
    for (const row of fresh) {
      const id = BigInt(row.id);
      if (id - expected <= BigInt(MAX_GAP_RUN)) {
        for (let gap = expected; gap < id && this.gaps.size < MAX_GAPS; gap++) this.gaps.set(gap, nowMs);
      }
      expected = id + 1n;
    }
    if (fresh.length) this.cursor = BigInt(fresh[fresh.length - 1].id);
    return { rows: [...late, ...fresh], more: fresh.length === this.batch };
  }
}
