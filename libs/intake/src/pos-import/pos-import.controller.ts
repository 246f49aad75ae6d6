import { rm } from 'node:fs/promises';
import { Controller, HttpCode, Post, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { Actor, ApiKeyAccess, DomainException, ErrorCode, Roles } from '@cur/platform';
import { POS_EXPORT_SOURCE, PosImportResult, PosImportService } from './pos-import.service';

/** The upload goes to a temporary file (the module's multer options), never whole into the heap. */
async function importUpload(imports: PosImportService, file: Express.Multer.File | undefined, actor: string): Promise<PosImportResult> {
  try {
    if (!file) {
      throw new DomainException(ErrorCode.ValidationFailed, 'Нужен файл выгрузки ПОС', [{ field: 'file', message: 'Выберите файл выгрузки ПОС (XLSX)' }]);
    }
    return await imports.import(file.path, actor);
  } finally {
    if (file?.path) await rm(file.path, { force: true });
  }
}

/** The backoffice export pushed by a machine with the import key. */
@Controller('api/v1/imports')
@ApiKeyAccess({ fixed: POS_EXPORT_SOURCE })
export class PosImportController {
  constructor(private readonly imports: PosImportService) {}

  @Post('pos')
  @HttpCode(200)
  @UseInterceptors(FileInterceptor('file'))
  importPos(@UploadedFile() file: Express.Multer.File | undefined): Promise<PosImportResult> {
    return importUpload(this.imports, file, `import:${POS_EXPORT_SOURCE}`);
  }
}

/** The same export uploaded by a person in the console: the history names who imported it. */
@Controller('api/v1/imports/pos')
@Roles('operator', 'supervisor')
export class PosUploadController {
  constructor(private readonly imports: PosImportService) {}

  @Post('upload')
  @HttpCode(200)
  @UseInterceptors(FileInterceptor('file'))
  upload(@UploadedFile() file: Express.Multer.File | undefined, @Actor() actor: string): Promise<PosImportResult> {
    return importUpload(this.imports, file, actor);
  }
}
