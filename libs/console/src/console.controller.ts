import { Controller, Get, Header } from '@nestjs/common';
import { Public } from '@cur/platform';
import { RegionCatalog } from '@cur/config';
import { consolePage } from './console.page';

@Controller()
export class ConsoleController {
  private readonly page: string;

  constructor(region: RegionCatalog) {
    this.page = consolePage(
      region.data.name,
      region.data.categories.map((c) => ({ code: c.code, name: c.name, rubricator: c.rubricator })),
    );
  }

  @Get()
  @Public()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  index(): string {
    return this.page;
  }
}
