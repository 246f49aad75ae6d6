import { Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { Request } from 'express';
import { DomainException, ErrorCode } from '@cur/platform';
import { readRefreshCookie } from './refresh-cookie';

/**
 * Sign-in attempts counted per address and login (so one office behind a NAT does not lock itself
 * out), refreshes per refresh cookie; a wider limit per address alone stops spraying many logins.
 */
export function attemptKey(request: Record<string, unknown>): string {
  const req = request as unknown as Request;
  // The body is whatever JSON the client sent: its two fields are read as unknown and their type checked.
  const body = req.body as { login?: unknown } | null | undefined;
  const refresh = req.path.endsWith('/refresh') ? readRefreshCookie(req) : undefined;
  if (refresh !== undefined) return `${req.ip ?? 'unknown'}|refresh:${refresh.slice(0, 36)}`;
  const login = typeof body?.login === 'string' ? body.login.trim().toLowerCase().slice(0, 64) : '';
  return `${req.ip ?? 'unknown'}|${login}`;
}

@Injectable()
export class LoginThrottlerGuard extends ThrottlerGuard {
  protected override throwThrottlingException(): Promise<void> {
    return Promise.reject(new DomainException(ErrorCode.TooManyRequests, 'Слишком много попыток входа; повторите через минуту'));
  }
}
