import { Body, Controller, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiKeyAccess } from '@cur/platform';
import type { Request, Response } from 'express';
import { CreateMessageDto, CreateMessageResult } from '@cur/contracts';
import { ApiKeyGuard, assertSourceAllowed } from '../auth/api-key.guard';
import { IntakeService } from './intake.service';

@Controller('api/v1/messages')
@UseGuards(ApiKeyGuard)
@ApiKeyAccess()
export class IntakeController {
  constructor(private readonly intake: IntakeService) {}

  /** 201 for a new message, 200 with the same id when (source, externalId) was seen before. */
  @Post()
  @HttpCode(201)
  async create(
    @Body() dto: CreateMessageDto,
    @Req() request: Request & { intakeSources?: Set<string> },
    @Res({ passthrough: true }) response: Response,
  ): Promise<CreateMessageResult> {
    assertSourceAllowed(request.intakeSources, dto.source);
    const { id, status, created } = await this.intake.accept(dto);
    if (!created) response.status(200);
    return { id, status };
  }
}
