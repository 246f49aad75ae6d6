import { Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { Request } from 'express';
import { DomainException, ErrorCode } from '@cur/platform';

/**
 * Sign-in attempts counted per address and login (so one office behind a NAT does not lock itself
 * out), refreshes per session token; a wider limit per address alone stops spraying many logins.
 */
export function attemptKey(request: Record<string, unknown>): string {
  const req = request as unknown as Request;
  if (typeof req.body?.refreshToken === 'string') return `${req.ip ?? 'unknown'}|refresh:${req.body.refreshToken.slice(0, 36)}`;
  const login = typeof req.body?.login === 'string' ? req.body.login.trim().toLowerCase().slice(0, 64) : '';
  return `${req.ip ?? 'unknown'}|${login}`;
}

@Injectable()
export class LoginThrottlerGuard extends ThrottlerGuard {

  protected override async throwThrottlingException(): Promise<void> {
    throw new DomainException(ErrorCode.TooManyRequests, 'Слишком много попыток входа; повторите через минуту');
  }
}
