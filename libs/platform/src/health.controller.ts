import { Controller, Get, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Public } from './access';
import { DomainException, ErrorCode } from './errors';
import { NoticeBoard } from './notices';

/** Set by the bootstrap once every transport listens. */
@Injectable()
export class Readiness {
  ready = false;
  readonly startedAt = new Date();
}

@Controller()
export class HealthController {
  constructor(
    private readonly readiness: Readiness,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly notices: NoticeBoard,
  ) {}

  /**
   * 200 when the service accepts work: transports listening and the database answering. What
   * operations must act on soon (a missing production calendar) comes as `warnings`, still 200.
   */
  @Get('health')
  @Public()
  async health(): Promise<{ status: 'ok'; uptimeSeconds: number; warnings: { id: string; title: string; text: string }[] }> {
    if (!this.readiness.ready) throw new DomainException(ErrorCode.NotReady, 'Сервис запускается');
    try {
      await this.dataSource.query('SELECT 1');
    } catch {
      throw new DomainException(ErrorCode.NotReady, 'База данных недоступна');
    }
    const warnings = (await this.notices.all()).filter((n) => n.health).map(({ id, title, text }) => ({ id, title, text }));
    return { status: 'ok', uptimeSeconds: Math.round((Date.now() - this.readiness.startedAt.getTime()) / 1000), warnings };
  }
}
