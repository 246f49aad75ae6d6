import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { Environment, RegionCatalog } from '@cur/config';
import { AuthRepository, UserEntity } from '@cur/persistence';
import { ConsoleView, consoleViews, isRole, Role, ROLE_TITLES } from '@cur/domain';
import { Deployment, DomainException, ErrorCode, Principal } from '@cur/platform';
import { decoyHash, verifyPassword } from './passwords';

export interface Tokens {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  /** Seconds until the access token expires. */
  expiresIn: number;
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
 * every use. A refresh token used twice means it was copied: the whole session is revoked. Signing
 * out revokes the session, and with it every access token issued in it (each request checks that
 * its session is alive).
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

  async login(login: string, password: string, client: ClientInfo): Promise<Tokens> {
    const user = await this.repository.findUserByLogin(login);
    const valid = await verifyPassword(user?.passwordHash ?? (await decoyHash()), password);
    if (!user || !valid || !user.active) throw new DomainException(ErrorCode.Unauthorized, BAD_CREDENTIALS);
    if (user.demo && !this.deployment.embedded) {
      this.logger.warn(`demo user "${user.login}" refused: demo users sign in only on the embedded database`);
      throw new DomainException(ErrorCode.Unauthorized, BAD_CREDENTIALS);
    }
    const now = new Date(); // sessions follow the wall clock, as the JWT expiry does, not the business clock
    const sessionId = randomUUID();
    const refresh = this.newRefreshToken(sessionId, now);
    await this.repository.transaction((manager) =>
      this.repository.insertSession(
        manager,
        {
          id: sessionId,
          userId: user.id,
          createdAt: now,
          lastUsedAt: now,
          expiresAt: new Date(now.getTime() + this.env.CUR_SESSION_TTL_S * 1000),
          revokedAt: null,
          revokedReason: null,
          ip: client.ip?.slice(0, 64) ?? null,
          userAgent: client.userAgent?.slice(0, 300) ?? null,
        },
        refresh.row,
      ),
    );
    return this.tokens(user, sessionId, refresh.token);
  }

  async refresh(refreshToken: string): Promise<Tokens> {
    const parsed = parseRefreshToken(refreshToken);
    const now = new Date();
    const outcome = await this.repository.transaction(async (manager) => {
      const row = parsed && (await this.repository.findToken(manager, parsed.id));
      if (!parsed || !row || !sameHash(row.tokenHash, hashToken(parsed.secret)))
        return { ok: false, error: 'Недействительный токен обновления', reuse: false } as const;
      const session = await this.repository.lockSession(manager, row.sessionId);
      if (!session || session.revokedAt || session.expiresAt <= now) return { ok: false, error: 'Сессия завершена, войдите снова', reuse: false } as const;
      // Spent only if still unspent: of two requests racing with one token, the second finds it spent.
      if (row.usedAt || !(await this.repository.spendToken(manager, row.id, now))) {
        // A rotated token came back: someone holds a copy. End the session for both.
        await this.repository.revokeSession(manager, session.id, now, 'refresh-token-reuse');
        return { ok: false, error: 'Токен обновления уже использован; сессия завершена, войдите снова', reuse: true } as const;
      }
      const user = await this.repository.findUser(session.userId, manager);
      if (!user?.active || (user.demo && !this.deployment.embedded)) {
        await this.repository.revokeSession(manager, session.id, now, 'user-inactive');
        return { ok: false, error: 'Учётная запись отключена', reuse: false } as const;
      }
      const next = this.newRefreshToken(session.id, now);
      await this.repository.insertToken(manager, next.row);
      await this.repository.touchSession(manager, session.id, now);
      return { ok: true, user, sessionId: session.id, token: next.token } as const;
    });
    if (!outcome.ok) {
      if (outcome.reuse) this.logger.warn('a used refresh token was presented again: its session is revoked');
      throw new DomainException(ErrorCode.Unauthorized, outcome.error);
    }
    return this.tokens(outcome.user, outcome.sessionId, outcome.token);
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

  private async tokens(user: UserEntity, sessionId: string, refreshToken: string): Promise<Tokens> {
    const claims: AccessClaims = { sub: user.id, login: user.login, name: user.displayName, roles: user.roles, org: user.organizationId, sid: sessionId };
    const accessToken = await this.jwt.signAsync(claims, { secret: this.secret, algorithm: 'HS256', expiresIn: this.env.CUR_ACCESS_TOKEN_TTL_S });
    return { accessToken, refreshToken, tokenType: 'Bearer', expiresIn: this.env.CUR_ACCESS_TOKEN_TTL_S };
  }

  private newRefreshToken(sessionId: string, now: Date) {
    const id = randomUUID();
    const secret = randomBytes(32).toString('base64url');
    return { token: `${id}.${secret}`, row: { id, sessionId, tokenHash: hashToken(secret), createdAt: now, usedAt: null } };
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
