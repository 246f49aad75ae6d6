import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { LabelledText, TextClassifier, trainTextClassifier, TrainingOptions, TrainingProgress } from '@cur/classifier';
import { encodeModel } from './model-codec';
import type { TrainingJob, TrainingWorkerMessage } from './training-worker';

const WORKER = join(__dirname, 'training-worker.js');
const WORKER_HEAP_MB = 256;

export interface TrainedModel {
  classifier: TextClassifier;
  /** The model file as stored (gzip JSON). */
  file: Buffer;
}

export interface TrainAsyncOptions {
  onProgress?: (progress: TrainingProgress) => void;
  /** Stops the training (the worker is terminated) and rejects. */
  signal?: AbortSignal;
}

/**
 * Trains off the event loop, in a worker thread: training takes seconds to minutes, and a service
 * must keep answering HTTP and heartbeating to Kafka meanwhile. The worker's memory goes when it
 * ends; it hands back the compressed model file only. Runs in-process only when the compiled worker
 * is absent (the TypeScript sources under jest).
 */
export async function trainAsync(examples: LabelledText[], options: TrainingOptions, now: Date, control: TrainAsyncOptions = {}): Promise<TrainedModel> {
  if (!existsSync(WORKER)) {
    const classifier = trainTextClassifier(examples, options, now, control.onProgress);
    return { classifier, file: encodeModel(classifier) };
  }
  const job: TrainingJob = { examples, options, now: now.toISOString() };
  return new Promise<TrainedModel>((resolve, reject) => {
    if (control.signal?.aborted) return reject(new Error('training stopped'));
    // A bounded heap: the worker collects garbage early instead of growing the service's memory
    // (the 359 ИМ topics train in well under that).
    const worker = new Worker(WORKER, { workerData: job, resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
    const stop = () => {
      void worker.terminate();
      reject(new Error('training stopped'));
    };
    control.signal?.addEventListener('abort', stop, { once: true });
    worker.on('message', (message: TrainingWorkerMessage) => {
      if (message.type === 'progress') control.onProgress?.(message.progress);
      else {
        resolve({
          classifier: TextClassifier.fromJSON(message.model, message.weights),
          file: Buffer.from(message.file.buffer, message.file.byteOffset, message.file.byteLength),
        });
      }
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      control.signal?.removeEventListener('abort', stop);
      // After a model came back this changes nothing (the promise is settled).
      reject(new Error(code === 0 ? 'training worker ended without a model' : `training worker exited with code ${code}`));
    });
  });
}
