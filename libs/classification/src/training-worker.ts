import '../../platform/src/preamble';
import { parentPort, workerData } from 'node:worker_threads';
import { LabelledText, trainTextClassifier, TrainingOptions } from '@cur/classifier';

/** Runs in a worker thread: trains one classifier and sends back its model file. */
export interface TrainingJob {
  examples: LabelledText[];
  options: TrainingOptions;
  now: string;
  validation?: LabelledText[];
}

const job = workerData as TrainingJob;
const classifier = trainTextClassifier(job.examples, job.options, new Date(job.now), job.validation);
parentPort!.postMessage(classifier.toJSON());
