import { readFileSync } from 'node:fs';
import type { ServiceProcess } from '../support/services';

/** A process's resident memory now, in MB (Linux /proc). */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
}

/** Times one request and samples the service's RSS every 50 ms while it runs. */
export async function timed<T>(
  app: ServiceProcess,
  label: string,
  work: () => Promise<T>,
): Promise<{ result: T; seconds: number; rssBeforeMb: number; peakRssMb: number }> {
  const pid = app.process.pid!;
  const rssBeforeMb = rssMb(pid);
  let peakRssMb = rssBeforeMb;
  const sampler = setInterval(() => (peakRssMb = Math.max(peakRssMb, rssMb(pid))), 50);
  const t0 = performance.now();
  const result = await work();
  const seconds = Math.round((performance.now() - t0) / 10) / 100;
  clearInterval(sampler);
  peakRssMb = Math.max(peakRssMb, rssMb(pid));
  console.log(`${label}: ${seconds} s; service RSS ${rssBeforeMb} MB before, peak ${peakRssMb} MB`);
  return { result, seconds, rssBeforeMb, peakRssMb };
}

/** CPU time a process has used so far (user + system), in seconds (Linux /proc, clock ticks of 1/100 s). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may hold spaces: utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** The machine's CPU time so far (Linux /proc/stat, all cores): busy and total, in clock ticks. */
export function machineTicks(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
  const total = fields.reduce((sum, ticks) => sum + ticks, 0);
  // idle and iowait are the 4th and 5th; steal (the 8th) is time the machine was not given.
  return { busy: total - fields[3] - fields[4], total };
}

/**
 * CPU time the whole machine (all its processes) spends on `work`, in seconds of one core. For work
 * on a quiet machine: whatever else runs meanwhile counts too.
 */
export async function machineCpu<T>(work: () => Promise<T>): Promise<{ result: T; cpuSeconds: number }> {
  const before = machineTicks();
  const result = await work();
  return { result, cpuSeconds: (machineTicks().busy - before.busy) / 100 };
}
