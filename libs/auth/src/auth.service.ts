import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { Environment, RegionCatalog } from '@cur/config';
import { AuthRepository, UserEntity } from '@cur/persistence';
import { ConsoleView, consoleViews, isRole, Role, ROLE_TITLES } from '@cur/domain';
import { Deployment, DomainException, ErrorCode, Principal } from '@cur/platform';
import { decoyHash, verifyPassword } from './passwords';

/** What the client sees of a sign-in: the access token. The refresh token travels only in the httpOnly cookie. */
export interface Tokens {
  accessToken: string;
  tokenType: 'Bearer';
  /** Seconds until the access token expires. */
  expiresIn: number;
}

/** A sign-in or refresh: the body for the client and the refresh token for the cookie, with its lifetime. */
export interface Issued {
  body: Tokens;
  refreshToken: string;
  sessionExpiresAt: Date;
}

export interface Me {
  login: string;
  name: string;
  roles: Role[];
  roleTitles: string[];
  organization: { id: string; name: string } | null;
  views: ConsoleView[];
}

/** What a logout ended: always the caller's own session; and what the refresh token given was. */
export interface LogoutResult {
  endedSessionId: string;
  /** `not-this-session`: the token belongs to another session (or to none) and was not used. */
  /** The refresh cookie the browser sent: `not-this-session` when it belongs to another session (left alone). */
  refreshToken: 'this-session' | 'not-this-session' | 'not-given';
  message: string;
}

interface AccessClaims {
  sub: string;
  login: string;
  name: string;
  roles: string[];
  org: string | null;
  sid: string;
}

interface ClientInfo {
  ip?: string;
  userAgent?: string;
}

const BAD_CREDENTIALS = 'Неверный логин или пароль';

/**
 * Sign-in: short-lived access tokens (JWT, HS256) and a refresh token per session that rotates on
 * every use. A refresh token used twice means it was copied: the whole session is revoked — except
 * within a few seconds of its spending while its successor is still unused, when it gets that same
 * successor again (tabs of one browser refreshing with one cookie at once; the successor's secret is
 * derived from the spent token, so it can be given again without being stored). Signing out revokes
 * the session, and with it every access token issued in it (each request checks that its session is alive).
 */
@Injectable()
export class AuthService implements OnModuleInit {
  private readonly logger = new Logger(AuthService.name);
  private secret = '';

  constructor(
    private readonly repository: AuthRepository,
    private readonly jwt: JwtService,
    private readonly env: Environment,
    private readonly region: RegionCatalog,
    private readonly deployment: Deployment,
  ) {}

  async onModuleInit(): Promise<void> {
    this.secret = this.env.CUR_JWT_SECRET ?? (await this.repository.signingKey(randomBytes(48).toString('base64url'), new Date()));
  }

  async login(login: string, password: string, client: ClientInfo): Promise<Issued> {
    const user = await this.repository.findUserByLogin(login);
    const valid = await verifyPassword(user?.passwordHash ?? (await decoyHash()), password);
    if (!user || !valid || !user.active) throw new DomainException(ErrorCode.Unauthorized, BAD_CREDENTIALS);
    if (user.demo && !this.deployment.embedded) {
      this.logger.warn(`demo user "${user.login}" refused: demo users sign in only on the embedded database`);
      throw new DomainException(ErrorCode.Unauthorized, BAD_CREDENTIALS);
    }
    const now = new Date(); // sessions follow the wall clock, as the JWT expiry does, not the business clock
    const sessionId = randomUUID();
    const refresh = this.newRefreshToken(sessionId, now, randomBytes(32).toString('base64url'));
    const expiresAt = new Date(now.getTime() + this.env.CUR_SESSION_TTL_S * 1000);
    await this.repository.transaction((manager) =>
      this.repository.insertSession(
        manager,
        {
          id: sessionId,
          userId: user.id,
          createdAt: now,
          lastUsedAt: now,
          expiresAt,
          revokedAt: null,
          revokedReason: null,
          ip: client.ip?.slice(0, 64) ?? null,
          userAgent: client.userAgent?.slice(0, 300) ?? null,
        },
        refresh.row,
      ),
    );
    return this.issue(user, sessionId, refresh.token, expiresAt);
  }

  async refresh(refreshToken: string): Promise<Issued> {
    const parsed = parseRefreshToken(refreshToken);
    const now = new Date();
    const outcome = await this.repository.transaction(async (manager) => {
      const found = parsed && (await this.repository.findToken(manager, parsed.id));
      if (!parsed || !found || !sameHash(found.tokenHash, hashToken(parsed.secret)))
        return { ok: false, error: 'Недействительный токен обновления', reuse: false } as const;
      const session = await this.repository.lockSession(manager, found.sessionId);
      if (!session || session.revokedAt || session.expiresAt <= now) return { ok: false, error: 'Сессия завершена, войдите снова', reuse: false } as const;
      const user = await this.repository.findUser(session.userId, manager);
      if (!user?.active || (user.demo && !this.deployment.embedded)) {
        await this.repository.revokeSession(manager, session.id, now, 'user-inactive');
        return { ok: false, error: 'Учётная запись отключена', reuse: false } as const;
      }
      const successorSecret = this.successorSecret(parsed.id, parsed.secret);
      const next = this.newRefreshToken(session.id, now, successorSecret);
      // Spent only if still unspent: of two requests racing with one token, the second finds it spent.
      if (await this.repository.spendToken(manager, found.id, now, next.row.id)) {
        await this.repository.insertToken(manager, next.row);
        await this.repository.touchSession(manager, session.id, now);
        return { ok: true, user, sessionId: session.id, token: next.token, expiresAt: session.expiresAt } as const;
      }
      // Read again under the session's lock: what the request that spent it wrote.
      const spent = await this.repository.findToken(manager, found.id);
      const successor = spent?.replacedBy ? await this.repository.findToken(manager, spent.replacedBy) : null;
      const graceMs = this.env.CUR_REFRESH_GRACE_S * 1000;
      if (
        spent?.usedAt &&
        successor &&
        !successor.usedAt &&
        now.getTime() - spent.usedAt.getTime() <= graceMs &&
        sameHash(successor.tokenHash, hashToken(successorSecret))
      ) {
        // Another tab of the same browser refreshed with this cookie a moment ago: the same successor, no fork.
        return { ok: true, user, sessionId: session.id, token: `${successor.id}.${successorSecret}`, expiresAt: session.expiresAt } as const;
      }
      // A rotated token came back: someone holds a copy. End the session for both.
      await this.repository.revokeSession(manager, session.id, now, 'refresh-token-reuse');
      return { ok: false, error: 'Токен обновления уже использован; сессия завершена, войдите снова', reuse: true } as const;
    });
    if (!outcome.ok) {
      if (outcome.reuse) this.logger.warn('a used refresh token was presented again: its session is revoked');
      throw new DomainException(ErrorCode.Unauthorized, outcome.error);
    }
    return this.issue(outcome.user, outcome.sessionId, outcome.token, outcome.expiresAt);
  }

  /**
   * Ends the caller's own session (the one its access token belongs to), never another: a refresh
   * token is only compared with that session, so presenting someone else's ends nothing of theirs,
   * and the answer says the token was not the caller's.
   */
  async logout(principal: Principal, refreshToken?: string): Promise<LogoutResult> {
    const now = new Date();
    const parsed = refreshToken === undefined ? null : parseRefreshToken(refreshToken);
    const tokenOfThisSession = await this.repository.transaction(async (manager) => {
      let ours: boolean | undefined;
      if (refreshToken !== undefined) {
        const row = parsed && (await this.repository.findToken(manager, parsed.id));
        ours = !!row && sameHash(row.tokenHash, hashToken(parsed.secret)) && row.sessionId === principal.sessionId;
      }
      await this.repository.revokeSession(manager, principal.sessionId, now, 'logout');
      return ours;
    });
    if (tokenOfThisSession === false) this.logger.warn(`logout of "${principal.login}" presented a refresh token of another session: not used`);
    return {
      endedSessionId: principal.sessionId,
      refreshToken: tokenOfThisSession === undefined ? 'not-given' : tokenOfThisSession ? 'this-session' : 'not-this-session',
      message:
        tokenOfThisSession === false
          ? 'Ваш сеанс завершён. Переданный токен обновления не относится к вашему сеансу: по нему ничего не завершено'
          : 'Ваш сеанс завершён',
    };
  }

  /** The principal of a bearer token whose session is alive, or a 401. */
  async authenticate(accessToken: string): Promise<Principal> {
    let claims: AccessClaims;
    try {
      claims = await this.jwt.verifyAsync<AccessClaims>(accessToken, { secret: this.secret, algorithms: ['HS256'] });
    } catch {
      throw new DomainException(ErrorCode.Unauthorized, 'Токен доступа недействителен или истёк');
    }
    const session = await this.repository.findSession(claims.sid);
    if (!session || session.revokedAt || session.userId !== claims.sub || session.expiresAt <= new Date()) {
      throw new DomainException(ErrorCode.Unauthorized, 'Сессия завершена, войдите снова');
    }
    return {
      userId: claims.sub,
      login: claims.login,
      name: claims.name,
      roles: claims.roles.filter(isRole),
      organizationId: claims.org,
      sessionId: claims.sid,
    };
  }

  me(principal: Principal): Me {
    return {
      login: principal.login,
      name: principal.name,
      roles: [...principal.roles],
      roleTitles: principal.roles.map((r) => ROLE_TITLES[r]),
      organization: this.region.named(principal.organizationId),
      views: consoleViews(principal.roles),
    };
  }

  /** When a verified access token expires (a live updates stream ends then); null for a token that does not say. */
  expiryOf(accessToken: string): Date | null {
    const claims = this.jwt.decode<{ exp?: number } | null>(accessToken);
    return typeof claims?.exp === 'number' ? new Date(claims.exp * 1000) : null;
  }

  private async issue(user: UserEntity, sessionId: string, refreshToken: string, sessionExpiresAt: Date): Promise<Issued> {
    const claims: AccessClaims = { sub: user.id, login: user.login, name: user.displayName, roles: user.roles, org: user.organizationId, sid: sessionId };
    const accessToken = await this.jwt.signAsync(claims, { secret: this.secret, algorithm: 'HS256', expiresIn: this.env.CUR_ACCESS_TOKEN_TTL_S });
    return { body: { accessToken, tokenType: 'Bearer', expiresIn: this.env.CUR_ACCESS_TOKEN_TTL_S }, refreshToken, sessionExpiresAt };
  }

  /** The secret of the token that replaces a spent one: derived, so a tab arriving a moment later gets the same one. */
  private successorSecret(id: string, secret: string): string {
    return createHmac('sha256', this.secret).update(`refresh-successor:${id}.${secret}`).digest('base64url');
  }

  private newRefreshToken(sessionId: string, now: Date, secret: string) {
    const id = randomUUID();
    return { token: `${id}.${secret}`, row: { id, sessionId, tokenHash: hashToken(secret), createdAt: now, usedAt: null, replacedBy: null } };
  }
}

function hashToken(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

function sameHash(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

function parseRefreshToken(token: string): { id: string; secret: string } | null {
  const match = /^([0-9a-f-]{36})\.([A-Za-z0-9_-]{20,100})$/.exec(token);
  return match ? { id: match[1], secret: match[2] } : null;
}
