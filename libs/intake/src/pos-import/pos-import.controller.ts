import { rm } from 'node:fs/promises';
import { Controller, HttpCode, Post, Req, UploadedFile, UseGuards, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import type { Request } from 'express';
import { ApiKeyAccess, DomainException, ErrorCode } from '@cur/platform';
import { ApiKeyGuard, assertSourceAllowed } from '../auth/api-key.guard';
import { POS_EXPORT_SOURCE, PosImportResult, PosImportService } from './pos-import.service';

/** The upload goes to a temporary file (the module's multer options), never whole into the heap. */
@Controller('api/v1/imports')
@UseGuards(ApiKeyGuard)
@ApiKeyAccess()
export class PosImportController {
  constructor(private readonly imports: PosImportService) {}

  @Post('pos')
  @HttpCode(200)
  @UseInterceptors(FileInterceptor('file'))
  async importPos(
    @UploadedFile() file: Express.Multer.File | undefined,
    @Req() request: Request & { intakeSources?: Set<string> },
  ): Promise<PosImportResult> {
    try {
      assertSourceAllowed(request.intakeSources, POS_EXPORT_SOURCE);
      if (!file) {
        throw new DomainException(ErrorCode.ValidationFailed, 'Нужен файл выгрузки ПОС', [
          { field: 'file', message: 'multipart field "file" with the XLSX export is required' },
        ]);
      }
      return await this.imports.import(file.path, `import:${POS_EXPORT_SOURCE}`);
    } finally {
      if (file?.path) await rm(file.path, { force: true });
    }
  }
}
