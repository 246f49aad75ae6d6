import 'reflect-metadata';
import '../../libs/platform/src/preamble';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_TRAINING, LabelledText, readLabelledCsv, TextClassifier, trainTextClassifier } from '../../libs/classifier/src';
import { trainSeedModel } from '../../libs/classification/src/seed-examples';
import { loadRegionConfig } from '../../libs/config/src/region-config.loader';
import { ROOT } from '../support/root';

/**
 * `npm run bench` (first part): classifier training time and classification throughput on one
 * core, including normalization, on the labelled dev files of ../shared/data (read at run time,
 * never copied), and the bootstrap models' training time. Prints figures; asserts nothing. The
 * last line is one JSON object.
 */
const DATA_DIR = process.env.CUR_BENCH_DATA_DIR ?? join(ROOT, '..', 'shared', 'data');
const MIN_SECONDS = 5;

function main(): void {
  const summary: Record<string, number | string> = {};
  const datasets = [
    { name: 'spb', file: 'spb-city-problems-dev.csv', label: 'category' },
    { name: 'kursk', file: 'kursk-appeals-dev.csv', label: 'category' },
  ];
  for (const dataset of datasets) {
    const path = join(DATA_DIR, dataset.file);
    if (!existsSync(path)) {
      console.log(`${dataset.name}: ${path} not found, skipped (set CUR_BENCH_DATA_DIR)`);
      continue;
    }
    const { examples } = readLabelledCsv(readFileSync(path, 'utf8'), 'text', dataset.label);
    const { classifier, seconds } = timeTraining(examples);
    const throughput = classificationThroughput(
      classifier,
      examples.map((e) => e.text),
    );
    const chars = Math.round(examples.reduce((sum, e) => sum + e.text.length, 0) / examples.length);
    console.log(
      `${dataset.name} ${dataset.label}: trained on ${examples.length} rows (${classifier.labels.length} classes, ${classifier.vectorizer.size} features) in ${seconds.toFixed(1)} s; ` +
        `classified ${throughput.perSec.toFixed(0)} msg/s on one core incl. normalization (mean ${chars} chars, ${throughput.count} classifications)`,
    );
    summary[`${dataset.name}TrainRows`] = examples.length;
    summary[`${dataset.name}TrainSeconds`] = round(seconds);
    summary[`${dataset.name}ClassifyMsgsPerSec`] = Math.round(throughput.perSec);
  }
  const region = loadRegionConfig(join(ROOT, 'config'), 'rostov');
  for (const rubricator of ['pos', 'im'] as const) {
    const started = process.hrtime.bigint();
    const classifier = trainSeedModel(region, rubricator);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    console.log(
      `bootstrap ${rubricator}: ${classifier.labels.length} categories, ${classifier.meta.training.examples} seed examples, trained in ${seconds.toFixed(1)} s`,
    );
    summary[`bootstrap${rubricator === 'pos' ? 'Pos' : 'Im'}TrainSeconds`] = round(seconds);
  }
  summary.heapUsedMb = Math.round(process.memoryUsage().heapUsed / 2 ** 20);
  console.log(JSON.stringify(summary));
}

function timeTraining(examples: LabelledText[]): { classifier: TextClassifier; seconds: number } {
  const started = process.hrtime.bigint();
  const classifier = trainTextClassifier(examples, DEFAULT_TRAINING);
  return { classifier, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

/** Whole passes over the texts until at least MIN_SECONDS have gone by; a short warm-up first. */
function classificationThroughput(classifier: TextClassifier, texts: string[]): { perSec: number; count: number } {
  for (let i = 0; i < Math.min(1000, texts.length); i++) classifier.decide(texts[i]);
  let count = 0;
  const started = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < MIN_SECONDS) {
    for (const text of texts) classifier.decide(text);
    count += texts.length;
    elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  }
  return { perSec: count / elapsed, count };
}

const round = (x: number) => Math.round(x * 10) / 10;

main();
