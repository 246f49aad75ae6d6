import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { LabelledText, TextClassifier, trainTextClassifier, TrainingOptions } from '@cur/classifier';
import type { TrainingJob } from './training-worker';

const WORKER = join(__dirname, 'training-worker.js');

/**
 * Trains off the event loop, in a worker thread: training takes seconds to tens of seconds, and a
 * service must keep answering HTTP and heartbeating to Kafka meanwhile. Runs in-process only when
 * the compiled worker is absent (the TypeScript sources under jest).
 */
export async function trainAsync(examples: LabelledText[], options: TrainingOptions, now: Date, validation?: LabelledText[]): Promise<TextClassifier> {
  if (!existsSync(WORKER)) return trainTextClassifier(examples, options, now, validation);
  const job: TrainingJob = { examples, options, now: now.toISOString(), validation };
  const file = await new Promise<unknown>((resolve, reject) => {
    const worker = new Worker(WORKER, { workerData: job });
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`training worker exited with code ${code}`))));
  });
  return TextClassifier.fromJSON(file);
}
