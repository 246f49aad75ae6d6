import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { ThrottlerModule } from '@nestjs/throttler';
import { Environment } from '@cur/config';
import { AccessGuard } from './access.guard';
import { ApiKeys } from './api-keys';
import { AccessRegistry } from './access-registry';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { DemoUsersService } from './demo-users.service';
import { attemptKey, LoginThrottlerGuard } from './login-throttler.guard';
import { MessageAccess } from './message-access';
import { RoleGrantNotices } from './role-grant-notices';
import { AccessController, UsersController } from './users.controller';
import { UsersService } from './users.service';

/**
 * Sign-in and access for every service: the global guard (each route's declared rule), the boot
 * check that every route declares one, and message scoping. `api: true` adds the sign-in, user
 * and access-table endpoints and the embedded demo users.
 */
@Global()
@Module({})
export class AuthModule {
  static forRoot(options: { api: boolean }): DynamicModule {
    return {
      module: AuthModule,
      imports: [
        DiscoveryModule,
        JwtModule.register({}),
        ThrottlerModule.forRootAsync({
          inject: [Environment],
          useFactory: (env: Environment) => [
            { name: 'login', ttl: 60_000, limit: env.CUR_LOGIN_RATE_LIMIT, getTracker: attemptKey },
            // Many logins from one address: 20 times the per-login limit.
            {
              name: 'address',
              ttl: 60_000,
              limit: env.CUR_LOGIN_RATE_LIMIT * 20,
              getTracker: (req: Record<string, unknown>) => String((req as { ip?: string }).ip ?? 'unknown'),
            },
          ],
        }),
      ],
      controllers: options.api ? [AuthController, UsersController, AccessController] : [],
      providers: [
        AuthService,
        ApiKeys,
        MessageAccess,
        AccessRegistry,
        LoginThrottlerGuard,
        { provide: APP_GUARD, useClass: AccessGuard },
        ...(options.api ? [UsersService, DemoUsersService, RoleGrantNotices] : []),
      ],
      exports: [AuthService, MessageAccess],
    };
  }
}
