import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { plainToInstance, Type } from 'class-transformer';
import { IsArray, IsOptional, IsString, validateSync, ValidateNested } from 'class-validator';
import { Environment } from '@cur/config';
import { ApplicantDto, CreateMessageDto } from '@cur/contracts';
import { Clock, describeError } from '@cur/platform';
import { IntakeService } from '../messages/intake.service';

class DemoMessage {
  @IsString()
  channel!: CreateMessageDto['channel'];

  @IsString()
  text!: string;

  @IsOptional()
  @IsString()
  territory?: string;

  @IsOptional()
  @IsString()
  importance?: CreateMessageDto['importance'];

  @IsOptional()
  @ValidateNested()
  @Type(() => ApplicantDto)
  applicant?: ApplicantDto;

  @IsOptional()
  @IsString()
  url?: string;
}

class DemoStreamFile {
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => DemoMessage)
  messages!: DemoMessage[];
}

export const DEMO_SOURCE = 'demo-stream';

/**
 * Plays project-written sample messages through the real intake path, a few per minute, so the
 * embedded demo is alive at first start. The first ones arrive at once.
 */
@Injectable()
export class DemoStreamService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DemoStreamService.name);
  private readonly messages: DemoMessage[];
  private timer?: NodeJS.Timeout;
  private next = 0;
  private inFlight?: Promise<unknown>;

  constructor(
    private readonly intake: IntakeService,
    private readonly env: Environment,
    private readonly clock: Clock,
  ) {
    const path = join(env.CUR_CONFIG_DIR, 'demo', 'stream.json');
    const file = plainToInstance(DemoStreamFile, JSON.parse(readFileSync(path, 'utf8')));
    const errors = validateSync(file);
    if (errors.length) throw new Error(`${path}: invalid demo stream (${errors.length} problems)`);
    this.messages = file.messages;
  }

  onApplicationBootstrap(): void {
    this.next = Math.floor(this.clock.now().getTime() / 1000) % this.messages.length;
    void this.burst(5).then(() => this.schedule());
  }

  async onApplicationShutdown(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.inFlight;
  }

  private schedule(): void {
    const mean = this.env.CUR_DEMO_INTERVAL_MS;
    this.timer = setTimeout(
      () => {
        this.inFlight = this.play().finally(() => this.schedule());
      },
      mean / 2 + Math.random() * mean,
    );
  }

  private async burst(count: number): Promise<void> {
    for (let i = 0; i < count; i++) await this.play();
  }

  private async play(): Promise<void> {
    const sample = this.messages[this.next++ % this.messages.length];
    const now = this.clock.now();
    try {
      await this.intake.accept(
        Object.assign(new CreateMessageDto(), {
          ...sample,
          source: DEMO_SOURCE,
          externalId: `demo-${now.getTime()}-${this.next}`,
          createdAt: now.toISOString(),
        }),
      );
    } catch (error) {
      this.logger.warn(`demo message not accepted: ${describeError(error)}`);
    }
  }
}
