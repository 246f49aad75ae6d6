import type { Request, Response } from 'express';
import { DomainException, ErrorCode } from '@cur/platform';

/** The refresh token's cookie: httpOnly (no script reads it), sent only to the sign-in endpoints. */
export const REFRESH_COOKIE = 'cur_refresh';
const COOKIE_PATH = '/api/v1/auth';

/**
 * The header a refresh must carry. A page of another site cannot set a custom header on a request
 * here without a CORS preflight, which this API never allows: so a refresh cannot be forged from
 * elsewhere even by a browser that ignores SameSite. Chosen over an Origin check, which depends on
 * how a proxy rewrites Host and on browsers that omit Origin on same-origin requests.
 */
export const CSRF_HEADER = 'X-Requested-With';
export const CSRF_VALUE = 'cur-console';

export function readRefreshCookie(request: Request): string | undefined {
  const header = request.header('cookie');
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === REFRESH_COOKIE) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** 403 unless the request says it comes from the console (or a client that set the header on purpose). */
export function assertCsrfHeader(request: Request): void {
  if (request.header(CSRF_HEADER) !== CSRF_VALUE) {
    throw new DomainException(ErrorCode.Forbidden, `Запрос обновления сеанса без заголовка ${CSRF_HEADER}: ${CSRF_VALUE} отклонён`, [
      { field: CSRF_HEADER, message: `must be ${CSRF_VALUE}` },
    ]);
  }
}

/**
 * Secure when the request came over https (directly or through a proxy that says so): a browser
 * keeps a Secure cookie off plain http, so the demo on http://localhost still gets one without it.
 * A client faking the proxy header only makes its own cookie stricter.
 */
function secure(request: Request): boolean {
  return request.secure || request.header('x-forwarded-proto')?.split(',')[0].trim() === 'https';
}

export function setRefreshCookie(request: Request, response: Response, token: string, sessionExpiresAt: Date): void {
  response.cookie(REFRESH_COOKIE, token, {
    httpOnly: true,
    sameSite: 'strict',
    secure: secure(request),
    path: COOKIE_PATH,
    maxAge: Math.max(0, sessionExpiresAt.getTime() - Date.now()),
  });
}

export function clearRefreshCookie(request: Request, response: Response): void {
  response.clearCookie(REFRESH_COOKIE, { httpOnly: true, sameSite: 'strict', secure: secure(request), path: COOKIE_PATH });
}
