import type { ErrorBody } from '@cur/contracts';

/**
 * The API as the console calls it. The access token lives in memory only; a session survives a
 * reload or a new tab through the refresh token, which the server keeps in an httpOnly cookie.
 */

/** A failed request: the server's Russian message and, for bad input, a message per field. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string | undefined,
    readonly fields: Record<string, string>,
  ) {
    super(message);
  }
}

export class SignedOut extends Error {
  constructor() {
    super('Требуется вход');
  }
}

let accessToken: string | null = null;
let renewing: Promise<boolean> | null = null;
const signedOutListeners = new Set<() => void>();

/** Called when the session ends (logout elsewhere, expiry, an admin's change): the app shows the sign-in form. */
export function onSignedOut(listener: () => void): () => void {
  signedOutListeners.add(listener);
  return () => signedOutListeners.delete(listener);
}

function signedOut(): never {
  accessToken = null;
  for (const listener of signedOutListeners) listener();
  throw new SignedOut();
}

/** The header that marks the console's own requests; the refresh endpoint asks for it (CSRF). */
const CONSOLE_HEADER = { 'X-Requested-With': 'cur-console' };

interface Tokens {
  accessToken: string;
}

/** One renewal at a time for the whole tab: parallel 401s wait for the same one. */
export function renew(): Promise<boolean> {
  renewing ??= fetch('/api/v1/auth/refresh', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { ...CONSOLE_HEADER, 'Content-Type': 'application/json' },
    body: '{}',
  })
    .then(async (res) => {
      if (!res.ok) {
        accessToken = null;
        return false;
      }
      accessToken = ((await res.json()) as Tokens).accessToken;
      return true;
    })
    .catch(() => false)
    .finally(() => {
      renewing = null;
    });
  return renewing;
}

export async function signIn(login: string, password: string): Promise<void> {
  const res = await fetch('/api/v1/auth/login', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { ...CONSOLE_HEADER, 'Content-Type': 'application/json' },
    body: JSON.stringify({ login, password }),
  });
  if (!res.ok) throw await errorOf(res);
  accessToken = ((await res.json()) as Tokens).accessToken;
}

export async function signOut(): Promise<void> {
  try {
    if (accessToken)
      await fetch('/api/v1/auth/logout', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { ...CONSOLE_HEADER, Authorization: `Bearer ${accessToken}` },
      });
  } finally {
    accessToken = null;
  }
}

/** The current access token, renewed first when there is none (a new tab, a reload). */
export async function bearer(): Promise<string> {
  if (!accessToken && !(await renew())) signedOut();
  return accessToken!;
}

async function errorOf(res: Response): Promise<ApiError> {
  const body = (await res.json().catch(() => null)) as ErrorBody | null;
  const fields: Record<string, string> = {};
  for (const e of body?.errors ?? []) fields[e.field] = fields[e.field] ? `${fields[e.field]}; ${e.message}` : e.message;
  const message = body?.message ?? (res.status >= 500 ? 'Сервер не ответил как следует; попробуйте ещё раз' : `Ошибка ${res.status}`);
  return new ApiError(res.status, message, body?.code, fields);
}

/** A request with the access token; renews it once on 401 and, when that fails, ends the session in this tab. */
export async function call(path: string, init: RequestInit = {}): Promise<Response> {
  const send = async () =>
    fetch(path, {
      ...init,
      credentials: 'same-origin',
      headers: { ...CONSOLE_HEADER, ...(init.headers as Record<string, string>), Authorization: `Bearer ${await bearer()}` },
    });
  let res = await send();
  if (res.status === 401) {
    accessToken = null;
    res = await send();
  }
  if (res.status === 401) signedOut();
  return res;
}

export async function get<T>(path: string, signal?: AbortSignal): Promise<T> {
  const res = await call(path, { signal });
  if (!res.ok) throw await errorOf(res);
  return (await res.json()) as T;
}

export async function send<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const res = await call(path, { method, headers: { 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!res.ok) throw await errorOf(res);
  return (res.status === 204 ? undefined : await res.json()) as T;
}

/** Query-string of the defined values only. */
export function qs(params: Record<string, string | number | boolean | undefined | null>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}
