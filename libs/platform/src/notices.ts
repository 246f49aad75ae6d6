import { Controller, Get, Injectable } from '@nestjs/common';
import type { Role } from '@cur/domain';
import { CurrentUser, hasRole, Principal, SignedIn } from './access';
import { Clock } from './clock';

/**
 * Something people must know about the running system (a missing production calendar, a
 * classifier still training, a role that reads personal data just granted): shown in the console
 * to the roles it concerns, and, when `health` is set, reported by `/health` too.
 */
export interface Notice {
  /** Stable for the same condition, so a screen can tell a new notice from one it showed. */
  id: string;
  severity: 'info' | 'warning' | 'critical';
  title: string;
  text: string;
  /** Who sees it in the console; empty = every signed-in user. */
  audience: readonly Role[];
  /** Since when, if known (ISO instant). */
  since?: string;
  /** Also reported by the public `/health` (title and text only: never personal data). */
  health?: boolean;
}

/** A provider of notices, asked on every read (keep it cheap: computed or read from memory). */
export type NoticeSource = (now: Date) => Notice[] | Promise<Notice[]>;

/** Every notice source of the service, registered by the features at start. */
@Injectable()
export class NoticeBoard {
  private readonly sources: NoticeSource[] = [];

  constructor(private readonly clock: Clock) {}

  register(source: NoticeSource): void {
    this.sources.push(source);
  }

  async all(): Promise<Notice[]> {
    const now = this.clock.now();
    const lists = await Promise.all(this.sources.map(async (source) => source(now)));
    const order = { critical: 0, warning: 1, info: 2 };
    return lists.flat().sort((a, b) => order[a.severity] - order[b.severity] || a.id.localeCompare(b.id));
  }

  async forPrincipal(principal: Principal): Promise<Notice[]> {
    return (await this.all()).filter((n) => n.audience.length === 0 || hasRole(principal, ...n.audience));
  }
}

@Controller('api/v1/notices')
export class NoticesController {
  constructor(private readonly board: NoticeBoard) {}

  /** The notices for the caller's roles, most severe first. */
  @Get()
  @SignedIn()
  async list(@CurrentUser() principal: Principal) {
    const items = await this.board.forPrincipal(principal);
    return {
      items: items.map((item) => {
        const notice = { ...item };
        delete notice.health; // for /health, not for the console
        return notice;
      }),
    };
  }
}
