export const API_KEY = 'demo-intake-key';

export interface JsonResponse<T = any> {
  status: number;
  body: T;
}

export async function postJson<T = any>(url: string, body: unknown, headers: Record<string, string> = { 'X-Api-Key': API_KEY }): Promise<JsonResponse<T>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

export async function getJson<T = any>(url: string, headers: Record<string, string> = {}): Promise<JsonResponse<T>> {
  const res = await fetch(url, { headers });
  return { status: res.status, body: (await res.json()) as T };
}

let counter = 0;
/** A valid portal message; unique externalId unless given. */
export function portalMessage(overrides: Record<string, unknown> = {}) {
  return {
    channel: 'pos',
    source: 'test-portal',
    externalId: `ext-${process.pid}-${Date.now()}-${++counter}`,
    text: 'На улице Петровской огромная яма на проезжей части, машины пробивают колёса.',
    territory: 'Таганрог',
    createdAt: '2026-11-23T08:00:00+03:00',
    ...overrides,
  };
}

/** Any method with an optional JSON body (PUT, DELETE …); the body parsed when there is one. */
export async function sendJson<T = any>(method: string, url: string, headers: Record<string, string>, body?: unknown): Promise<JsonResponse<T>> {
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}
