import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { diskStorage } from 'multer';
import { Environment } from '@cur/config';
import { LifecycleModule } from '@cur/lifecycle';
import { IntakeController } from './messages/intake.controller';
import { IntakeService } from './messages/intake.service';
import { PosImportController, PosUploadController } from './pos-import/pos-import.controller';
import { POS_IMPORT_TMP_DIR, PosImportService } from './pos-import/pos-import.service';

@Module({
  imports: [
    LifecycleModule,
    // Uploads (the ПОС export) stream to a temporary file, deleted when the request ends.
    MulterModule.registerAsync({
      inject: [Environment],
      useFactory: (env: Environment) => ({
        storage: diskStorage({ destination: POS_IMPORT_TMP_DIR }),
        limits: { fileSize: env.CUR_POS_IMPORT_MAX_FILE_MB * 1024 * 1024, files: 1 },
      }),
    }),
  ],
  controllers: [IntakeController, PosImportController, PosUploadController],
  providers: [IntakeService, PosImportService],
  exports: [IntakeService, PosImportService],
})
export class IntakeModule {}
