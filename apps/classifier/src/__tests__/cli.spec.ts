import 'reflect-metadata';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURE_APPEALS, FIXTURE_HELD_OUT } from '../../../../libs/classifier/src/__tests__/fixtures/appeals.fixture';
import { runClassifierCli } from '../cli';

function csv(rows: readonly { text: string; label: string }[]): string {
  const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
  return ['id,text,category', ...rows.map((r, i) => `${i + 1},${quote(r.text)},${r.label}`)].join('\n') + '\n';
}

function run(...argv: string[]): { code: number; out: string; err: string } {
  const out: string[] = [];
  const err: string[] = [];
  const code = runClassifierCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('classifier CLI', () => {
  let dir: string;
  let train: string;
  let held: string;
  let model: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cur-classifier-'));
    train = join(dir, 'train.csv');
    held = join(dir, 'held.csv');
    model = join(dir, 'model.json');
    writeFileSync(train, csv(FIXTURE_APPEALS));
    // The held-out file repeats each new wording so every class has ≥ 10 examples.
    writeFileSync(held, csv(FIXTURE_HELD_OUT.flatMap((e) => Array(10).fill(e))));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('trains a model file', () => {
    const result = run('train', '--data', train, '--label-column', 'category', '--out', model);
    expect(result.code).toBe(0);
    expect(result.err).toMatch(/trained on 48 examples, 4 labels/);
    expect(JSON.parse(readFileSync(model, 'utf8')).labels).toEqual(['lighting', 'roads', 'transport', 'waste']);
  });

  it('evaluates with --json: exactly one JSON object on stdout with the agreed keys', () => {
    const result = run('eval', '--model', model, '--data', held, '--text-column', 'text', '--label-column', 'category', '--json');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.out);
    expect(Object.keys(report)).toEqual(expect.arrayContaining(['accuracy', 'top3Accuracy', 'macroF1', 'macroF1Min10', 'perClass', 'coverageAtPrecision']));
    expect(report.accuracy).toBe(1);
    expect(report.macroF1Min10).toBe(1);
    expect(report.perClass).toHaveLength(4);
    expect(report.perClass[0]).toEqual({ label: expect.any(String), support: 10, predicted: 10, precision: 1, recall: 1, f1: 1 });
    expect(Object.keys(report.coverageAtPrecision)).toEqual(['0.9', '0.95']);
    expect(report.coverageAtPrecision['0.95'].coverage).toBe(1);
  });

  it('evaluates for people: metrics, per-class table, confusions and speed', () => {
    const result = run('eval', '--model', model, '--data', train, '--label-column', 'category');
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^accuracy +\d\.\d{3}$/m);
    expect(result.out).toMatch(/^top-3 accuracy +\d\.\d{3}$/m);
    expect(result.out).toMatch(/^macro-F1 \(≥10 ex\.\) +\d\.\d{3} +over 4 classes$/m);
    expect(result.out).toMatch(/precision ≥ 0\.95: \d+\.\d% of messages/);
    expect(result.out).toMatch(/^roads +12 /m);
    expect(result.out).toMatch(/classified 48 messages in/);
  });

  it('cross-validates with stratified folds', () => {
    const result = run('crossval', '--data', train, '--label-column', 'category', '--folds', '4', '--json');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.out);
    expect(report.folds).toHaveLength(4);
    expect(report.folds.map((f: { examples: number }) => f.examples)).toEqual([12, 12, 12, 12]);
    expect(report.accuracy).toBeGreaterThan(0.7);
    expect(report.examples).toBe(48);
    expect(result.err).toMatch(/fold 4\/4/);
  });

  it('trains the bootstrap model from the region seed, the same every time', () => {
    const out = join(dir, 'bootstrap.json');
    const config = join(__dirname, '../../../../config');
    expect(run('bootstrap', '--rubricator', 'pos', '--out', out, '--config-dir', config).code).toBe(0);
    const first = JSON.parse(readFileSync(out, 'utf8'));
    expect(first.labels).toContain('pos.waste');
    expect(run('bootstrap', '--rubricator', 'pos', '--out', out, '--config-dir', config).code).toBe(0);
    const second = JSON.parse(readFileSync(out, 'utf8'));
    expect(second.model.weights === first.model.weights).toBe(true);
    expect(run('bootstrap', '--rubricator', 'xx', '--out', out, '--config-dir', config)).toMatchObject({
      code: 2,
      err: expect.stringMatching(/--rubricator must be pos or im/),
    });
  });

  it.each([
    [['eval', '--model', 'MODEL', '--data', 'TRAIN', '--label-column', 'theme'], /column "theme" not found; the file has: id, text, category/],
    [['train', '--data', 'TRAIN', '--out', 'x.json'], /--label-column is required/],
    [['crossval', '--data', 'TRAIN', '--label-column', 'category', '--folds', '1'], /--folds must be an integer ≥ 2/],
    [['train', '--data', 'TRAIN', '--label-column', 'category', '--out', 'x.json', '--algorithm', 'svm'], /--algorithm must be/],
    [['eval', '--model', 'TRAIN', '--data', 'TRAIN', '--label-column', 'category'], /classifier: /],
    [['predict'], /unknown command "predict"/],
    [['train', '--bogus'], /Unknown option '--bogus'/],
  ])('refuses bad input with a clear message and exit code 2: %j', (argv, message) => {
    const args = argv.map((a) => (a === 'TRAIN' ? train : a === 'MODEL' ? model : a));
    const result = run(...args);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(message);
    expect(result.out).toBe('');
  });
});
