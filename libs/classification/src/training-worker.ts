import '../../platform/src/preamble';
import { parentPort, workerData } from 'node:worker_threads';
import { LabelledText, trainTextClassifier, TrainingOptions, TrainingProgress } from '@cur/classifier';
import { encodeModel } from './model-codec';

/** Runs in a worker thread: trains one classifier, tells its progress, and sends back its model file (gzip). */
export interface TrainingJob {
  examples: LabelledText[];
  options: TrainingOptions;
  now: string;
}

export type TrainingWorkerMessage = { type: 'progress'; progress: TrainingProgress } | { type: 'done'; file: Uint8Array };

const job = workerData as TrainingJob;
let told = -1;
const classifier = trainTextClassifier(job.examples, job.options, new Date(job.now), (progress) => {
  // Whole percents only: a message per class of 359 would be noise.
  const percent = Math.floor(progress.done * 100);
  if (percent === told) return;
  told = percent;
  parentPort!.postMessage({ type: 'progress', progress } satisfies TrainingWorkerMessage);
});
// The compressed file, moved rather than copied: the parent never holds the model's JSON text.
const file = new Uint8Array(encodeModel(classifier));
parentPort!.postMessage({ type: 'done', file } satisfies TrainingWorkerMessage, [file.buffer]);
