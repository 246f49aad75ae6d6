import { DynamicModule, Global, Injectable, Module, OnModuleInit } from '@nestjs/common';
import { NoticeBoard } from '@cur/platform';
import { calendarNotices } from './calendar-notices';
import { Environment } from './environment';
import { RegionCatalog } from './region-catalog';

/**
 * Every service counts deadlines on the calendar it loaded at boot, so each one tells about a
 * missing year; the board asks with the service's own clock (CUR_CLOCK_FROM included).
 */
@Injectable()
export class CalendarNoticeSource implements OnModuleInit {
  constructor(
    private readonly board: NoticeBoard,
    private readonly region: RegionCatalog,
  ) {}

  onModuleInit(): void {
    this.board.register((now) =>
      calendarNotices({
        years: this.region.productionCalendar.years,
        now,
        zone: this.region.zone,
        filePrefix: this.region.data.calendarFilePrefix,
        missingYear: this.region.data.calendarMissingYear,
      }),
    );
  }
}

/** Boot-validated environment and region data, available everywhere. */
@Global()
@Module({})
export class CurConfigModule {
  static forRoot(env: Environment, region: RegionCatalog): DynamicModule {
    return {
      module: CurConfigModule,
      providers: [{ provide: Environment, useValue: env }, { provide: RegionCatalog, useValue: region }, CalendarNoticeSource],
      exports: [Environment, RegionCatalog],
    };
  }
}
