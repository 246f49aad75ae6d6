import { DynamicModule, Global, Module } from '@nestjs/common';
import { Environment } from './environment';
import { RegionCatalog } from './region-catalog';

/** Boot-validated environment and region data, available everywhere. */
@Global()
@Module({})
export class CurConfigModule {
  static forRoot(env: Environment, region: RegionCatalog): DynamicModule {
    return {
      module: CurConfigModule,
      providers: [
        { provide: Environment, useValue: env },
        { provide: RegionCatalog, useValue: region },
      ],
      exports: [Environment, RegionCatalog],
    };
  }
}
