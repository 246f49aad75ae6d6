import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  crossValidate,
  CrossValidationReport,
  CsvColumnError,
  DEFAULT_TRAINING,
  evaluate,
  EvaluationReport,
  LabelledText,
  ModelFormatError,
  readLabelledCsv,
  TextClassifier,
  TrainingDataError,
  TrainingOptions,
  trainTextClassifier,
} from '@cur/classifier';
import { trainSeedModel } from '@cur/classification';
import { ConfigError, loadRegionConfig } from '@cur/config';
import { formatCrossValidation, formatEvaluation } from './report';

const USAGE = `usage:
  npm run classifier -- train    --data <csv> [--text-column text] --label-column <col> --out <model.json> [training options]
  npm run classifier -- eval     --model <model.json> --data <csv> [--text-column text] --label-column <col> [--json]
  npm run classifier -- crossval --data <csv> [--text-column text] --label-column <col> [--folds 5] [--json] [training options]
  npm run classifier -- bootstrap --rubricator pos|im --out <model.json> [--region rostov] [--config-dir config]
      the product's bootstrap model, trained from the region's project-written seed exactly as the triage service does

training options:
  --algorithm linear-svm|logistic-regression|complement-nb|blend   (default ${DEFAULT_TRAINING.algorithm})
  --target-precision 0.95   precision each category's automatic routing must reach on validation data
  --seed 1`;

class UsageError extends Error {}

const OPTIONS = {
  data: { type: 'string' },
  model: { type: 'string' },
  out: { type: 'string' },
  'text-column': { type: 'string', default: 'text' },
  'label-column': { type: 'string' },
  folds: { type: 'string', default: '5' },
  json: { type: 'boolean', default: false },
  algorithm: { type: 'string' },
  'target-precision': { type: 'string' },
  seed: { type: 'string' },
  rubricator: { type: 'string' },
  region: { type: 'string', default: 'rostov' },
  'config-dir': { type: 'string', default: 'config' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

/** Output of the CLI: stdout carries the result (one JSON object with --json), stderr the progress. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

export function runClassifierCli(argv: string[], io: CliIo): number {
  try {
    return run(argv, io);
  } catch (error) {
    return fail(error, io);
  }
}

function run(argv: string[], io: CliIo): number {
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true });
  const [command, ...extra] = positionals;
  if (values.help || !command) {
    io.err(USAGE);
    return values.help ? 0 : 2;
  }
  if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`);
  switch (command) {
    case 'train':
      return train(values, io);
    case 'eval':
      return evalCommand(values, io);
    case 'crossval':
      return crossval(values, io);
    case 'bootstrap':
      return bootstrap(values, io);
    default:
      throw new UsageError(`unknown command "${command}" (expected train, eval, crossval or bootstrap)`);
  }
}

function train(values: Values, io: CliIo): number {
  const out = required(values, 'out');
  const examples = readExamples(values, io);
  const options = trainingOptions(values);
  const classifier = trainTextClassifier(examples, options);
  writeFileSync(out, JSON.stringify(classifier.toJSON()));
  const { training, validation } = classifier.meta;
  io.err(
    `trained on ${training.examples} examples, ${classifier.labels.length} labels, ${classifier.vectorizer.size} features, in ${training.seconds.toFixed(1)} s`,
  );
  if (validation) {
    io.err(
      `validation (${validation.examples} held out): accuracy ${fixed(validation.accuracy)}, top-3 ${fixed(validation.top3Accuracy)}, macro-F1 ${fixed(validation.macroF1)}; ` +
        `automatic at ${options.targetPrecision} target: ${percent(validation.automaticCoverage)} of messages, precision ${validation.automaticPrecision === null ? '—' : fixed(validation.automaticPrecision)}`,
    );
  }
  io.err(`model written to ${out}`);
  return 0;
}

function evalCommand(values: Values, io: CliIo): number {
  const classifier = loadModel(required(values, 'model'));
  const examples = readExamples(values, io);
  const started = process.hrtime.bigint();
  const report = evaluate(
    examples.map((e) => {
      const decision = classifier.decide(e.text, 3);
      return { gold: e.label, ranked: decision.ranked, automatic: decision.automatic };
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const unknown = new Set(examples.map((e) => e.label).filter((l) => !classifier.labels.includes(l)));
  if (values.json) {
    io.out(JSON.stringify(jsonReport(report)));
  } else {
    io.out(formatEvaluation(report));
    if (unknown.size) io.out(`\n${unknown.size} label(s) of the file are unknown to the model and always count as errors.`);
    io.out(`\nclassified ${examples.length} messages in ${seconds.toFixed(2)} s (${Math.round(examples.length / seconds)} per second)`);
  }
  return 0;
}

function crossval(values: Values, io: CliIo): number {
  const folds = Number(values.folds);
  if (!Number.isInteger(folds) || folds < 2) throw new UsageError(`--folds must be an integer ≥ 2, got "${values.folds}"`);
  const examples = readExamples(values, io);
  const options = trainingOptions(values);
  const report = crossValidate(examples, folds, options, (r) =>
    io.err(`fold ${r.fold}/${folds}: ${r.examples} examples, accuracy ${fixed(r.accuracy)}, trained in ${r.trainSeconds.toFixed(1)} s`),
  );
  if (values.json) io.out(JSON.stringify(jsonReport(report)));
  else io.out(formatCrossValidation(report));
  return 0;
}

function bootstrap(values: Values, io: CliIo): number {
  const out = required(values, 'out');
  const rubricator = values.rubricator;
  if (rubricator !== 'pos' && rubricator !== 'im') throw new UsageError(`--rubricator must be pos or im, got "${rubricator ?? ''}"`);
  const region = loadRegionConfig(values['config-dir'], values.region);
  const classifier = trainSeedModel(region, rubricator);
  writeFileSync(out, JSON.stringify(classifier.toJSON()));
  io.err(
    `bootstrap model for ${region.name}, rubricator ${rubricator}: ${classifier.meta.training.examples} seed examples, ${classifier.labels.length} categories, written to ${out}`,
  );
  return 0;
}

function jsonReport(report: EvaluationReport | CrossValidationReport): object {
  const { accuracy, top3Accuracy, macroF1, macroF1Min10, perClass, coverageAtPrecision, ...rest } = report;
  const coverage = Object.fromEntries(
    Object.entries(coverageAtPrecision).map(([target, c]) => [
      target,
      { ...c, threshold: Number.isFinite(c.threshold) ? c.threshold : null, precision: Number.isNaN(c.precision) ? null : c.precision },
    ]),
  );
  return { accuracy, top3Accuracy, macroF1, macroF1Min10, perClass, coverageAtPrecision: coverage, ...rest };
}

function readExamples(values: Values, io: CliIo): LabelledText[] {
  const file = required(values, 'data');
  const { examples, skipped } = readLabelledCsv(readFileSync(file, 'utf8'), values['text-column'], required(values, 'label-column'));
  if (skipped) io.err(`${skipped} row(s) without a label skipped`);
  if (examples.length === 0) throw new UsageError(`${file} has no labelled rows`);
  return examples;
}

function loadModel(path: string): TextClassifier {
  return TextClassifier.fromJSON(JSON.parse(readFileSync(path, 'utf8')));
}

function trainingOptions(values: Values): TrainingOptions {
  const options: TrainingOptions = { ...DEFAULT_TRAINING };
  if (values.algorithm !== undefined) {
    if (!['linear-svm', 'logistic-regression', 'complement-nb', 'blend'].includes(values.algorithm)) {
      throw new UsageError(`--algorithm must be linear-svm, logistic-regression, complement-nb or blend, got "${values.algorithm}"`);
    }
    options.algorithm = values.algorithm as TrainingOptions['algorithm'];
  }
  if (values['target-precision'] !== undefined) {
    const target = Number(values['target-precision']);
    if (!(target > 0 && target <= 1)) throw new UsageError(`--target-precision must be in (0, 1], got "${values['target-precision']}"`);
    options.targetPrecision = target;
  }
  if (values.seed !== undefined) {
    const seed = Number(values.seed);
    if (!Number.isInteger(seed)) throw new UsageError(`--seed must be an integer, got "${values.seed}"`);
    options.seed = seed;
  }
  return options;
}

function required(values: Values, name: 'data' | 'model' | 'out' | 'label-column'): string {
  const value = values[name];
  if (!value) throw new UsageError(`--${name} is required`);
  return value;
}

const fixed = (x: number) => x.toFixed(3);
const percent = (x: number) => `${(x * 100).toFixed(1)}%`;

function fail(error: unknown, io: CliIo): number {
  const known =
    error instanceof UsageError ||
    error instanceof ConfigError ||
    error instanceof CsvColumnError ||
    error instanceof ModelFormatError ||
    error instanceof TrainingDataError;
  const code = (error as NodeJS.ErrnoException).code;
  if (known || code === 'ENOENT' || String(code).startsWith('ERR_PARSE_ARGS') || error instanceof SyntaxError) {
    io.err(`classifier: ${(error as Error).message}`);
    if (error instanceof UsageError || String(code).startsWith('ERR_PARSE_ARGS')) io.err(USAGE);
    return 2;
  }
  io.err(error instanceof Error ? (error.stack ?? error.message) : String(error));
  return 1;
}
