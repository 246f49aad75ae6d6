import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { ApiKeyAccess, validateEach } from '@cur/platform';
import type { Response } from 'express';
import {
  CreateMessageDto,
  CreateMessageResult,
  CreateMessagesBatchDto,
  CreateMessagesBatchResult,
  MessageBatchItemResult,
  plainlyValidMessage,
} from '@cur/contracts';
import { IntakeService } from './intake.service';

@Controller('api/v1')
export class IntakeController {
  constructor(private readonly intake: IntakeService) {}

  /** 201 for a new message, 200 with the same id when (source, externalId) was seen before. */
  @Post('messages')
  @ApiKeyAccess({ field: 'source' })
  @HttpCode(201)
  async create(@Body() dto: CreateMessageDto, @Res({ passthrough: true }) response: Response): Promise<CreateMessageResult> {
    const { id, status, created } = await this.intake.accept(dto);
    if (!created) response.status(200);
    return { id, status };
  }

  /**
   * Up to 1,000 messages for integrations, one result per item in their order: 201 stored, 200
   * known before (same id), 400 invalid (the fields named, nothing of it written). The valid ones
   * are written together; every item's source must be allowed by the key.
   */
  @Post('messages\\:batch')
  @ApiKeyAccess({ field: 'source', each: 'messages' })
  @HttpCode(200)
  async createMany(@Body() body: CreateMessagesBatchDto): Promise<CreateMessagesBatchResult> {
    const checked = validateEach(CreateMessageDto, body.messages, 'messages', plainlyValidMessage);
    const valid = checked.filter((c) => c.value !== undefined);
    const stored = await this.intake.acceptMany(valid.map((c) => c.value!));
    const byIndex = new Map(valid.map((c, i) => [c.index, stored[i]]));
    const results = checked.map(({ index, errors }): MessageBatchItemResult => {
      const result = byIndex.get(index);
      if (!result) return { index, status: 400, errors };
      return { index, status: result.created ? 201 : 200, id: result.id, messageStatus: result.status };
    });
    return {
      created: results.filter((r) => r.status === 201).length,
      existing: results.filter((r) => r.status === 200).length,
      invalid: results.filter((r) => r.status === 400).length,
      results,
    };
  }
}
