import { Module } from '@nestjs/common';
import { AppController } from './app.controller';
import { CatalogController, ConsoleController, RoutingController } from './console.controller';

@Module({ controllers: [ConsoleController, AppController, CatalogController, RoutingController] })
export class ConsoleModule {}
