import { Module } from '@nestjs/common';
import { CatalogController, ConsoleController } from './console.controller';

@Module({ controllers: [ConsoleController, CatalogController] })
export class ConsoleModule {}
