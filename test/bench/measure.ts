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
