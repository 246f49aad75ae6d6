import { Controller, Get, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AuthService } from '@cur/auth';
import { CurrentUser, Principal, SignedIn } from '@cur/platform';
import { LiveUpdatesService } from './live-updates.service';

@Controller('api/v1/events')
export class EventsController {
  constructor(
    private readonly live: LiveUpdatesService,
    private readonly auth: AuthService,
  ) {}

  /**
   * Live updates as server-sent events (`text/event-stream`). Authenticated by the usual
   * `Authorization: Bearer` header, so read it with fetch() and a ReadableStream (a browser's
   * EventSource cannot send that header; no token goes in the address). Events: `message`
   * `{ id, messageId, type, fromStatus, status, organizationId, at }` for messages the caller may
   * read; `deadline-warning` `{ id, messageId, organizationId, kind, fraction, dueAt, reachedAt }`;
   * `ready` once connected; `reset` when a resume is too far back (reload the lists); `end`
   * `{ reason: token-expired | session-ended | shutdown | slow-client }` before the server closes.
   * Resume with the `Last-Event-ID` header (the last `id:` received). A keep-alive comment every
   * 15 s; at most 5 streams per user (429).
   */
  @Get('stream')
  @SignedIn()
  async stream(@CurrentUser() principal: Principal, @Req() request: Request, @Res() response: Response): Promise<void> {
    const token = request.header('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1];
    await this.live.open(principal, token ? this.auth.expiryOf(token) : null, request.header('last-event-id'), response);
  }
}
