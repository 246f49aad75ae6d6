import '../../platform/src/preamble';
import { parentPort, workerData } from 'node:worker_threads';
import { LabelledText, ModelFile, trainTextClassifier, TrainingOptions, TrainingProgress } from '@cur/classifier';
import { encodeModel } from './model-codec';

/** Runs in a worker thread: trains one classifier, tells its progress, and sends back its model file (gzip). */
export interface TrainingJob {
  examples: LabelledText[];
  options: TrainingOptions;
  now: string;
}

export type TrainingWorkerMessage =
  | { type: 'progress'; progress: TrainingProgress }
  /** The file to store, and the model itself as its JSON without weights plus the weights: the parent never parses the file. */
  | { type: 'done'; file: Uint8Array; model: ModelFile; weights: Float32Array };

const job = workerData as TrainingJob;
let told = -1;
const classifier = trainTextClassifier(job.examples, job.options, new Date(job.now), (progress) => {
  // Whole percents only: a message per class of 359 would be noise.
  const percent = Math.floor(progress.done * 100);
  if (percent === told) return;
  told = percent;
  parentPort!.postMessage({ type: 'progress', progress } satisfies TrainingWorkerMessage);
});
// Moved rather than copied: the parent neither holds the model's JSON text nor decodes the file.
const file = new Uint8Array(encodeModel(classifier));
const weights = classifier.model.weights;
parentPort!.postMessage({ type: 'done', file, model: classifier.toJSON({ weights: false }), weights } satisfies TrainingWorkerMessage, [
  file.buffer,
  weights.buffer as ArrayBuffer,
]);
