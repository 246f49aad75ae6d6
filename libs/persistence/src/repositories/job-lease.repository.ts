import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** Jobs that must run on one instance at a time (the summaries' deadlines, closing engagements on time). */
@Injectable()
export class JobLeaseRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Runs `work` only if no other instance runs it now: one run across several instances. A lease
   * row, not a held lock, so no connection is kept aside (the embedded database has one); a lease
   * left by a crashed instance expires. False: another instance holds it, nothing done.
   */
  async exclusively(name: string, work: (renew: () => Promise<void>) => Promise<void>, leaseMs = 10 * 60_000): Promise<boolean> {
    const holder = randomUUID();
    const taken = await this.dataSource.query<unknown[]>(
      `INSERT INTO job_lease (name, holder, until) VALUES ($1, $2, now() + $3 * interval '1 millisecond')
       ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, until = EXCLUDED.until WHERE job_lease.until < now()
       RETURNING holder`,
      [name, holder, leaseMs],
    );
    if (taken.length === 0) return false;
    // A long run extends its lease as it goes, so no other instance takes over while it works.
    const renew = async () => {
      await this.dataSource.query(`UPDATE job_lease SET until = now() + $3 * interval '1 millisecond' WHERE name = $1 AND holder = $2`, [
        name,
        holder,
        leaseMs,
      ]);
    };
    try {
      await work(renew);
    } finally {
      await this.dataSource.query(`DELETE FROM job_lease WHERE name = $1 AND holder = $2`, [name, holder]);
    }
    return true;
  }
}
