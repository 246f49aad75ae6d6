import { Global, Module } from '@nestjs/common';
import { Clock, SystemClock } from './clock';
import { HealthController, Readiness } from './health.controller';

@Global()
@Module({
  controllers: [HealthController],
  providers: [Readiness, { provide: Clock, useClass: SystemClock }],
  exports: [Readiness, Clock],
})
export class PlatformModule {}
