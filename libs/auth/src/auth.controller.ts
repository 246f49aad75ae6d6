import { Body, Controller, Get, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import type { Request, Response } from 'express';
import type { MeView } from '@cur/contracts';
import { CurrentUser, DomainException, ErrorCode, Principal, Public, SignedIn } from '@cur/platform';
import { AccessRegistry } from './access-registry';
import { AuthService, LogoutResult, Tokens } from './auth.service';
import { LoginThrottlerGuard } from './login-throttler.guard';
import { assertCsrfHeader, clearRefreshCookie, readRefreshCookie, setRefreshCookie } from './refresh-cookie';

export class LoginBody {
  @IsString()
  @IsNotEmpty({ message: 'login must not be empty' })
  @MaxLength(64)
  login!: string;

  @IsString()
  @IsNotEmpty({ message: 'password must not be empty' })
  @MaxLength(200)
  password!: string;
}

/**
 * The refresh token lives only in an httpOnly, SameSite=Strict cookie scoped to /api/v1/auth; the
 * access token is in the body and the console keeps it in memory. One way for every client: a
 * non-browser client keeps the cookie as a browser does and sends the header below.
 */
@Controller('api/v1/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly registry: AccessRegistry,
  ) {}

  /** → `{ accessToken, tokenType, expiresIn }` and the refresh cookie; 401 on a wrong login or password, 429 when attempts run out. */
  @Post('login')
  @HttpCode(200)
  @Public()
  @UseGuards(LoginThrottlerGuard)
  async login(@Body() body: LoginBody, @Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<Tokens> {
    const issued = await this.auth.login(body.login.trim(), body.password, { ip: request.ip, userAgent: request.header('user-agent') });
    setRefreshCookie(request, response, issued.refreshToken, issued.sessionExpiresAt);
    return issued.body;
  }

  /**
   * A new access token and refresh cookie for the refresh cookie, which is spent: presenting it again
   * ends the session (tabs refreshing at the same moment get the same new pair). Needs the header
   * `X-Requested-With: cur-console` (403 without it): the cookie alone must not be enough.
   */
  @Post('refresh')
  @HttpCode(200)
  @Public()
  @UseGuards(LoginThrottlerGuard)
  async refresh(@Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<Tokens> {
    assertCsrfHeader(request);
    const token = readRefreshCookie(request);
    if (!token) throw new DomainException(ErrorCode.Unauthorized, 'Сеанс не найден: войдите в систему');
    try {
      const issued = await this.auth.refresh(token);
      setRefreshCookie(request, response, issued.refreshToken, issued.sessionExpiresAt);
      return issued.body;
    } catch (error) {
      // A cookie that no longer opens a session is dropped: the next page load shows the sign-in form at once.
      clearRefreshCookie(request, response);
      throw error;
    }
  }

  /** Ends the caller's own session and clears the refresh cookie; → `{ endedSessionId, refreshToken: this-session | not-this-session | not-given, message }`. */
  @Post('logout')
  @HttpCode(200)
  @SignedIn()
  async logout(@CurrentUser() principal: Principal, @Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<LogoutResult> {
    const result = await this.auth.logout(principal, readRefreshCookie(request));
    clearRefreshCookie(request, response);
    return result;
  }

  @Get('me')
  @SignedIn()
  me(@CurrentUser() principal: Principal): MeView {
    return { ...this.auth.me(principal), permissions: this.registry.permitted(principal) };
  }
}
