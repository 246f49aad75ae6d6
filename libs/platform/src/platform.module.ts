import { DynamicModule, Global, Module } from '@nestjs/common';
import { Clock, SystemClock } from './clock';
import { HealthController, Readiness } from './health.controller';
import { NoticeBoard, NoticesController } from './notices';

/** Facts about this deployment that features must respect (the demo users live only on the embedded database). */
export class Deployment {
  constructor(readonly embedded: boolean) {}
}

@Global()
@Module({})
export class PlatformModule {
  /** Health, readiness, the deployment facts and the time source (a shifted clock for tests and training rooms). */
  static forRoot(options: { clock?: Clock; embedded?: boolean } = {}): DynamicModule {
    return {
      module: PlatformModule,
      controllers: [HealthController, NoticesController],
      providers: [
        Readiness,
        NoticeBoard,
        { provide: Clock, useValue: options.clock ?? new SystemClock() },
        { provide: Deployment, useValue: new Deployment(options.embedded ?? false) },
      ],
      exports: [Readiness, Clock, Deployment, NoticeBoard],
    };
  }
}
