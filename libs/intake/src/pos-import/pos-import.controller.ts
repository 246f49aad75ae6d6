import { Controller, HttpCode, Post, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiKeyAccess, DomainException, ErrorCode } from '@cur/platform';
import { POS_EXPORT_SOURCE, PosImportResult, PosImportService } from './pos-import.service';

const MAX_FILE_BYTES = 50 * 1024 * 1024;

@Controller('api/v1/imports')
@ApiKeyAccess({ fixed: POS_EXPORT_SOURCE })
export class PosImportController {
  constructor(private readonly imports: PosImportService) {}

  @Post('pos')
  @HttpCode(200)
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: MAX_FILE_BYTES, files: 1 } }))
  async importPos(@UploadedFile() file: Express.Multer.File | undefined): Promise<PosImportResult> {
    if (!file) {
      throw new DomainException(ErrorCode.ValidationFailed, 'Нужен файл выгрузки ПОС', [
        { field: 'file', message: 'multipart field "file" with the XLSX export is required' },
      ]);
    }
    return this.imports.import(file.buffer, `import:${POS_EXPORT_SOURCE}`);
  }
}
