import { Module } from '@nestjs/common';
import { LifecycleModule } from '@cur/lifecycle';
import { IntakeController } from './messages/intake.controller';
import { IntakeService } from './messages/intake.service';
import { PosImportController } from './pos-import/pos-import.controller';
import { PosImportService } from './pos-import/pos-import.service';

@Module({
  imports: [LifecycleModule],
  controllers: [IntakeController, PosImportController],
  providers: [IntakeService, PosImportService],
  exports: [IntakeService, PosImportService],
})
export class IntakeModule {}
