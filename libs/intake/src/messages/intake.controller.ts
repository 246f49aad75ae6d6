import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { ApiKeyAccess } from '@cur/platform';
import type { Response } from 'express';
import { CreateMessageDto, CreateMessageResult } from '@cur/contracts';
import { IntakeService } from './intake.service';

@Controller('api/v1/messages')
@ApiKeyAccess({ field: 'source' })
export class IntakeController {
  constructor(private readonly intake: IntakeService) {}

  /** 201 for a new message, 200 with the same id when (source, externalId) was seen before. */
  @Post()
  @HttpCode(201)
  async create(@Body() dto: CreateMessageDto, @Res({ passthrough: true }) response: Response): Promise<CreateMessageResult> {
    const { id, status, created } = await this.intake.accept(dto);
    if (!created) response.status(200);
    return { id, status };
  }
}
