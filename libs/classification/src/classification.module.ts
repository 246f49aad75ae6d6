import { DynamicModule, Injectable, Module, OnApplicationBootstrap } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { ClassifierController } from './classifier.controller';
import { ClassifierService } from './classifier.service';
import { RetrainScheduler } from './retrain.scheduler';

@Injectable()
class BootstrapModels implements OnApplicationBootstrap {
  constructor(private readonly classifier: ClassifierService) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.classifier.ensureBootstrapModels();
  }
}

export interface ClassificationOptions {
  /** Serve the classifier API (versions, retrain, activate, rollback). */
  api?: boolean;
  /** Train the bootstrap models where none exist, and run the nightly retraining. */
  worker?: boolean;
}

/** Learned classification: the active models, corrections, retraining. */
@Module({})
export class ClassificationModule {
  static forRoot(options: ClassificationOptions): DynamicModule {
    return {
      module: ClassificationModule,
      global: true,
      imports: options.worker ? [ScheduleModule.forRoot()] : [],
      controllers: options.api ? [ClassifierController] : [],
      providers: [ClassifierService, ...(options.worker ? [BootstrapModels, RetrainScheduler] : [])],
      exports: [ClassifierService],
    };
  }
}
