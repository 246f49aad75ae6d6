import { Body, Controller, Get, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import type { Request } from 'express';
import { CurrentUser, Principal, Public, SignedIn } from '@cur/platform';
import type { MeView } from '@cur/contracts';
import { AccessRegistry } from './access-registry';
import { AuthService, LogoutResult } from './auth.service';
import { LoginThrottlerGuard } from './login-throttler.guard';

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

export class RefreshBody {
  @IsString()
  @IsNotEmpty({ message: 'refreshToken must not be empty' })
  @MaxLength(200)
  refreshToken!: string;
}

export class LogoutBody {
  @IsOptional()
  @IsString()
  @MaxLength(200)
  refreshToken?: string;
}

@Controller('api/v1/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly registry: AccessRegistry,
  ) {}

  /** → `{ accessToken, refreshToken, tokenType, expiresIn }`; 401 on a wrong login or password, 429 when attempts run out. */
  @Post('login')
  @HttpCode(200)
  @Public()
  @UseGuards(LoginThrottlerGuard)
  login(@Body() body: LoginBody, @Req() request: Request) {
    return this.auth.login(body.login.trim(), body.password, { ip: request.ip, userAgent: request.header('user-agent') });
  }

  /** A new pair for a refresh token, which is spent: presenting it again ends the session. */
  @Post('refresh')
  @HttpCode(200)
  @Public()
  @UseGuards(LoginThrottlerGuard)
  refresh(@Body() body: RefreshBody) {
    return this.auth.refresh(body.refreshToken);
  }

  /** Ends the caller's own session; → `{ endedSessionId, refreshToken: this-session | not-this-session | not-given, message }`. */
  @Post('logout')
  @HttpCode(200)
  @SignedIn()
  logout(@CurrentUser() principal: Principal, @Body() body: LogoutBody): Promise<LogoutResult> {
    return this.auth.logout(principal, body.refreshToken);
  }

  @Get('me')
  @SignedIn()
  me(@CurrentUser() principal: Principal): MeView {
    return { ...this.auth.me(principal), permissions: this.registry.permitted(principal) };
  }
}
