import { Module } from '@nestjs/common';
import { AppController } from './app.controller';
import { CatalogController, ConsoleController } from './console.controller';

@Module({ controllers: [ConsoleController, AppController, CatalogController] })
export class ConsoleModule {}
