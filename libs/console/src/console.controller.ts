import { Controller, Get, Header } from '@nestjs/common';
import { RegionCatalog } from '@cur/config';
import { consolePage } from './console.page';

@Controller()
export class ConsoleController {
  private readonly page: string;

  constructor(region: RegionCatalog) {
    this.page = consolePage(region.data.name);
  }

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  index(): string {
    return this.page;
  }
}
