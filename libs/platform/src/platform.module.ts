import { DynamicModule, Global, Module } from '@nestjs/common';
import { Clock, SystemClock } from './clock';
import { HealthController, Readiness } from './health.controller';

@Global()
@Module({})
export class PlatformModule {
  /** Health, readiness and the time source: the system clock, or another (a shifted clock for tests and training rooms). */
  static forRoot(clock: Clock = new SystemClock()): DynamicModule {
    return {
      module: PlatformModule,
      controllers: [HealthController],
      providers: [Readiness, { provide: Clock, useValue: clock }],
      exports: [Readiness, Clock],
    };
  }
}
