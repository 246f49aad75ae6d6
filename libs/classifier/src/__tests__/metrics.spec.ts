import { evaluate } from '../evaluation/metrics';
import { countEvidence, minimumEvidence, thresholdForPrecision, wilsonLowerBound } from '../evaluation/precision-threshold';
import { fitTemperature } from '../models/calibration';
import { parseCsv, readLabelledCsv } from '../data/csv';

const ranked = (...labels: [string, number][]) => labels.map(([label, probability]) => ({ label, probability }));

describe('thresholdForPrecision', () => {
  it('takes the lowest threshold that keeps precision at the target', () => {
    const decisions = [
      { probability: 0.99, correct: true },
      { probability: 0.95, correct: true },
      { probability: 0.9, correct: true },
      { probability: 0.8, correct: false },
      { probability: 0.7, correct: true },
      { probability: 0.6, correct: false },
    ];
    expect(thresholdForPrecision(decisions, 0.75)).toEqual({ threshold: 0.7, coverage: 5 / 6, precision: 0.8, support: 6, evidence: 6 });
    expect(thresholdForPrecision(decisions, 0.95)).toEqual({ threshold: 0.9, coverage: 0.5, precision: 1, support: 6, evidence: 6 });
  });

  it('counts combinations of the same phrasings as the evidence they rest on, not as new decisions', () => {
    // Twelve right decisions, but all made of the same three phrasings: three pieces of evidence.
    const combined = [...Array(12)].map((_, i) => ({
      probability: 0.9 - i * 0.01,
      correct: true,
      sources: [
        ['p1', 'p2'],
        ['p2', 'p3'],
        ['p1', 'p3'],
        ['p1', 'p2', 'p3'],
      ][i % 4],
    }));
    expect(countEvidence(combined)).toBe(3);
    expect(thresholdForPrecision(combined, 0.8, 1).threshold).toBe(Infinity);
    // Twelve independent right decisions do show 80% at z = 1: 12 / (12 + 1) ≥ 0.8.
    const independent = combined.map(({ probability, correct }) => ({ probability, correct }));
    expect(thresholdForPrecision(independent, 0.8, 1)).toMatchObject({ threshold: 0.79, coverage: 1, evidence: 12 });
  });

  it('derives the evidence a threshold needs from the target and the confidence', () => {
    expect(minimumEvidence(0.95, 1.645)).toBe(52);
    expect(minimumEvidence(0.95, 1)).toBe(19);
    expect(minimumEvidence(0.9, 1.645)).toBe(25);
    expect(minimumEvidence(0.95, 0)).toBe(1);
    // At that count, all right just reaches the target; one fewer does not.
    expect(wilsonLowerBound(52, 52, 1.645)).toBeGreaterThanOrEqual(0.95);
    expect(wilsonLowerBound(51, 51, 1.645)).toBeLessThan(0.95);
  });

  it('moves tied probabilities together', () => {
    const decisions = [
      { probability: 0.9, correct: true },
      { probability: 0.8, correct: true },
      { probability: 0.8, correct: false },
    ];
    expect(thresholdForPrecision(decisions, 0.9).threshold).toBe(0.9);
  });

  it('says never when even the surest decision is wrong', () => {
    const choice = thresholdForPrecision([{ probability: 0.99, correct: false }], 0.9);
    expect(choice.threshold).toBe(Infinity);
    expect(choice.coverage).toBe(0);
  });
});

describe('evaluate', () => {
  const report = evaluate([
    { gold: 'a', ranked: ranked(['a', 0.9], ['b', 0.1]) },
    { gold: 'a', ranked: ranked(['b', 0.6], ['a', 0.4]) },
    { gold: 'b', ranked: ranked(['b', 0.8], ['a', 0.2]) },
    { gold: 'c', ranked: ranked(['a', 0.5], ['b', 0.3], ['c', 0.2]) },
  ]);

  it('computes accuracy, top-3 accuracy and macro-F1', () => {
    expect(report.accuracy).toBe(0.5);
    expect(report.top3Accuracy).toBe(1);
    const a = report.perClass.find((c) => c.label === 'a')!;
    expect(a).toMatchObject({ support: 2, predicted: 2, precision: 0.5, recall: 0.5, f1: 0.5 });
    const b = report.perClass.find((c) => c.label === 'b')!;
    expect(b.f1).toBeCloseTo(2 / 3, 10);
    expect(report.macroF1).toBeCloseTo((0.5 + 2 / 3 + 0) / 3, 10);
    expect(report.macroF1Min10).toBeNaN();
  });

  it('lists the confusions, most frequent first', () => {
    expect(report.confusions).toEqual([
      { gold: 'a', predicted: 'b', count: 1 },
      { gold: 'c', predicted: 'a', count: 1 },
    ]);
  });

  it('counts only classes with at least ten gold examples in macroF1Min10', () => {
    const many = [...Array(10)].map(() => ({ gold: 'x', ranked: ranked(['x', 0.9]) }));
    const r = evaluate([...many, { gold: 'y', ranked: ranked(['x', 0.9]) }]);
    expect(r.perClass.find((c) => c.label === 'x')!.f1).toBeCloseTo(20 / 21, 10);
    expect(r.macroF1Min10).toBeCloseTo(20 / 21, 10);
    expect(r.macroF1).toBeCloseTo(10 / 21, 10);
  });

  it('reports coverage at each precision target', () => {
    expect(Object.keys(report.coverageAtPrecision)).toEqual(['0.9', '0.95']);
    expect(report.coverageAtPrecision['0.9']).toMatchObject({ threshold: 0.8, coverage: 0.5, precision: 1 });
  });
});

describe('fitTemperature', () => {
  it('cools over-confident scores and sharpens timid ones', () => {
    // Scores say 99.99% but half the labels disagree: the fitted temperature must be large.
    const confident = [Float64Array.from([10, 0]), Float64Array.from([10, 0])];
    expect(fitTemperature(confident, [0, 1])).toBeGreaterThan(10);
    const timid = [Float64Array.from([0.1, 0]), Float64Array.from([0, 0.1])];
    expect(fitTemperature(timid, [0, 1])).toBeLessThan(0.01);
  });
});

describe('CSV', () => {
  it('reads quoted fields with commas, quotes and line breaks', () => {
    expect(parseCsv('\ufeffa,b\r\n"x, ""y""","line1\nline2"\n1,\n')).toEqual([
      ['a', 'b'],
      ['x, "y"', 'line1\nline2'],
      ['1', ''],
    ]);
  });

  it('reads named columns and skips unlabelled rows', () => {
    const { examples, skipped } = readLabelledCsv('id,text,category\n1,яма,roads\n2,фонарь,\n3,"мусор, свалка",waste\n', 'text', 'category');
    expect(examples).toEqual([
      { text: 'яма', label: 'roads' },
      { text: 'мусор, свалка', label: 'waste' },
    ]);
    expect(skipped).toBe(1);
  });

  it('names a missing column and the ones there are', () => {
    expect(() => readLabelledCsv('id,text\n1,a\n', 'text', 'category')).toThrow('column "category" not found; the file has: id, text');
  });
});
