import { DynamicModule, Injectable, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { ClassifierController } from './classifier.controller';
import { ClassifierService } from './classifier.service';
import { RetrainScheduler } from './retrain.scheduler';

/**
 * Trains the missing bootstrap models after the start, in the background: a fresh installation
 * answers at once and classifies by keywords until its models are active.
 */
@Injectable()
class BootstrapModels implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(private readonly classifier: ClassifierService) {}

  onApplicationBootstrap(): void {
    void this.classifier.startBootstrap();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.classifier.stopBootstrap();
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
