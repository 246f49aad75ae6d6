import { PassThrough } from 'node:stream';
import { Body, Controller, Get, HttpCode, Logger, Param, Post, Query, StreamableFile } from '@nestjs/common';
import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { ApiKeyAccess, CurrentUser, Principal, Roles, UUID_PARAM } from '@cur/platform';
import { EngagementCommentsService } from './engagement-comments.service';
import { RESULT_FILE_FORMATS, RESULT_FILE_TYPES, ResultFileFormat, writeResultsCsv, writeResultsXlsx } from './engagement-results-file';
import { EngagementResultsFileService } from './engagement-results-file.service';
import { ENGAGEMENT_SOURCE } from './engagements.controller';

export class CommentBody {
  /** The citizen's id on the portal: kept only as a keyed hash, never as given. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  citizenId!: string;

  /** A section of the discussion's document; none for a vote, a survey or the document as a whole. */
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9-]{0,63}$/, { message: 'Раздел: идентификатор раздела документа' })
  sectionId?: string;

  /** The comment this one answers, of the same engagement. */
  @IsOptional()
  @IsUUID('all', { message: 'Ответ: идентификатор комментария' })
  parentId?: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(5000)
  text!: string;
}

export class ReportBody {
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  citizenId!: string;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;
}

class ModerationBody {
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason!: string;
}

class ResultFileQuery {
  @IsIn(RESULT_FILE_FORMATS, { message: 'Формат: xlsx или csv' })
  format!: ResultFileFormat;
}

const WRITERS = { xlsx: writeResultsXlsx, csv: writeResultsCsv };

/** Citizens' comments on engagements and their moderation, and the results as a file. */
@Controller('api/v1/engagements')
export class EngagementCommentsController {
  private readonly logger = new Logger(EngagementCommentsController.name);

  constructor(
    private readonly comments: EngagementCommentsService,
    private readonly files: EngagementResultsFileService,
  ) {}

  /** A citizen's comment from the portal (its API key). */
  @Post(':id/comments')
  @ApiKeyAccess({ fixed: ENGAGEMENT_SOURCE })
  @HttpCode(201)
  add(@Param('id', UUID_PARAM) id: string, @Body() body: CommentBody) {
    return this.comments.add(id, body);
  }

  /** A citizen's report of a comment from the portal (its API key): once per citizen. */
  @Post(':id/comments/:commentId/reports')
  @ApiKeyAccess({ fixed: ENGAGEMENT_SOURCE })
  @HttpCode(201)
  report(@Param('id', UUID_PARAM) id: string, @Param('commentId', UUID_PARAM) commentId: string, @Body() body: ReportBody) {
    return this.comments.report(id, commentId, body);
  }

  @Get(':id/comments')
  @Roles('organizer', 'supervisor')
  list(@Param('id', UUID_PARAM) id: string, @CurrentUser() by: Principal) {
    return this.comments.list(id, by);
  }

  @Post(':id/comments/:commentId/hide')
  @Roles('organizer')
  @HttpCode(200)
  hide(@Param('id', UUID_PARAM) id: string, @Param('commentId', UUID_PARAM) commentId: string, @Body() body: ModerationBody, @CurrentUser() by: Principal) {
    return this.comments.hide(id, commentId, body.reason, by);
  }

  @Post(':id/comments/:commentId/show')
  @Roles('organizer')
  @HttpCode(200)
  show(@Param('id', UUID_PARAM) id: string, @Param('commentId', UUID_PARAM) commentId: string, @Body() body: ModerationBody, @CurrentUser() by: Principal) {
    return this.comments.show(id, commentId, body.reason, by);
  }

  /** The results as XLSX or CSV, streamed as written: counts, ballots per hour, free-text answers; nothing of who. */
  @Get(':id/results/file')
  @Roles('organizer', 'supervisor')
  async resultsFile(@Param('id', UUID_PARAM) id: string, @Query() query: ResultFileQuery, @CurrentUser() by: Principal): Promise<StreamableFile> {
    const input = await this.files.input(id, by);
    const out = new PassThrough();
    WRITERS[query.format](input, out).catch((error: unknown) => {
      this.logger.warn(`engagement ${id} results as ${query.format} failed: ${error instanceof Error ? error.message : 'unknown'}`);
      out.destroy(error instanceof Error ? error : new Error('render failed'));
    });
    const name = `engagement-${id.slice(0, 8)}-results.${query.format}`;
    return new StreamableFile(out, { type: RESULT_FILE_TYPES[query.format], disposition: `attachment; filename="${name}"` }).setErrorHandler(
      (error, response) => {
        // Before the first byte the client gets a 500; after it, a cut connection, never a truncated file taken as whole.
        const res = response as { headersSent?: boolean; statusCode?: number; end(): void; destroy(): void };
        if (res.headersSent) res.destroy();
        else {
          res.statusCode = 500;
          res.end();
        }
        this.logger.warn(`engagement ${id} results as ${query.format} not sent`);
      },
    );
  }
}
