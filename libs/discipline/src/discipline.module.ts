import { Module } from '@nestjs/common';
import { DisciplineController } from './discipline.controller';
import { DisciplineService } from './discipline.service';

/** The discipline registry over HTTP. */
@Module({ controllers: [DisciplineController], providers: [DisciplineService], exports: [DisciplineService] })
export class DisciplineModule {}
