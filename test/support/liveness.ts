import { openAsBlob } from 'node:fs';
import { basename } from 'node:path';
import { API_KEY, portalMessage } from './http';

/** One request a probe made while something else ran: its status (0 = no answer) and how long it took. */
export interface ProbeSample {
  status: number;
  ms: number;
}

export interface Probe {
  name: string;
  /** Makes one request; returns its status. */
  request: () => Promise<Response>;
  /** Pause between two requests of this probe. */
  everyMs: number;
}

/**
 * Runs each probe in a loop (one request at a time) until `work` settles, and returns the work's
 * result with every sample. A request that fails or gets no answer within `timeoutMs` counts as
 * status 0. Asserting on the samples is the caller's business.
 */
export async function probeDuring<T>(work: Promise<T>, probes: Probe[], timeoutMs = 60_000): Promise<{ result: T; samples: Record<string, ProbeSample[]> }> {
  let done = false;
  const samples: Record<string, ProbeSample[]> = Object.fromEntries(probes.map((p) => [p.name, []]));
  const loops = probes.map(async (probe) => {
    while (!done) {
      const begin = performance.now();
      let status: number;
      try {
        const res = await Promise.race([probe.request(), new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), timeoutMs).unref())]);
        status = res.status;
        await res.arrayBuffer();
      } catch {
        status = 0;
      }
      samples[probe.name].push({ status, ms: performance.now() - begin });
      if (!done) await new Promise((r) => setTimeout(r, probe.everyMs));
    }
  });
  try {
    return { result: await work, samples };
  } finally {
    done = true;
    await Promise.all(loops);
  }
}

/** /health, a sign-in and an intake POST against a service, the three a large import must not block. */
export function serviceProbes(url: string, login: { login: string; password: string }, source = 'liveness-probe'): Probe[] {
  return [
    { name: 'health', everyMs: 200, request: () => fetch(`${url}/health`) },
    {
      name: 'sign-in',
      everyMs: 1000,
      request: () => fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(login) }),
    },
    {
      name: 'intake',
      everyMs: 1000,
      request: () =>
        fetch(`${url}/api/v1/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'X-Api-Key': API_KEY },
          body: JSON.stringify(portalMessage({ source })),
        }),
    },
  ];
}

/** Uploads a ПОС export file from disk (not read into memory here). */
export async function uploadPosExport(url: string, path: string): Promise<{ status: number; body: any }> {
  const form = new FormData();
  form.append('file', await openAsBlob(path), basename(path));
  const res = await fetch(`${url}/api/v1/imports/pos`, { method: 'POST', headers: { 'X-Api-Key': API_KEY }, body: form });
  return { status: res.status, body: await res.json() };
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] : NaN;
}
