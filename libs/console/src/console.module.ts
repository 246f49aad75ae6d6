import { Module } from '@nestjs/common';
import { AppController } from './app.controller';
import { CatalogController, RoutingController } from './console.controller';

@Module({ controllers: [AppController, CatalogController, RoutingController] })
export class ConsoleModule {}
