import { rm } from 'node:fs/promises';
import { Controller, HttpCode, Post, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiKeyAccess, DomainException, ErrorCode } from '@cur/platform';
import { POS_EXPORT_SOURCE, PosImportResult, PosImportService } from './pos-import.service';

/** The upload goes to a temporary file (the module's multer options), never whole into the heap. */
@Controller('api/v1/imports')
@ApiKeyAccess({ fixed: POS_EXPORT_SOURCE })
export class PosImportController {
  constructor(private readonly imports: PosImportService) {}

  @Post('pos')
  @HttpCode(200)
  @UseInterceptors(FileInterceptor('file'))
  async importPos(@UploadedFile() file: Express.Multer.File | undefined): Promise<PosImportResult> {
    try {
      if (!file) {
        throw new DomainException(ErrorCode.ValidationFailed, 'Нужен файл выгрузки ПОС', [
          { field: 'file', message: 'Поле «file»: приложите файл выгрузки XLSX (multipart)' },
        ]);
      }
      return await this.imports.import(file.path, `import:${POS_EXPORT_SOURCE}`);
    } finally {
      if (file?.path) await rm(file.path, { force: true });
    }
  }
}
