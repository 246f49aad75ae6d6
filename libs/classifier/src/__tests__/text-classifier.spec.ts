import { DEFAULT_FEATURES } from '../features/feature-settings';
import { Vectorizer } from '../features/vectorizer';
import { MODEL_FORMAT_VERSION, ModelFormatError, TextClassifier, topK } from '../text-classifier';
import { classWeights, DEFAULT_TRAINING, stratifiedFolds, stratifiedSplit, trainTextClassifier, TrainingDataError } from '../training/train';
import { bestOutcome } from '../training/outcomes';
import { FIXTURE_APPEALS, FIXTURE_HELD_OUT } from './fixtures/appeals.fixture';

const NOW = new Date('2026-11-23T00:00:00Z');

describe('Vectorizer', () => {
  it('produces L2-normalized sparse vectors with sorted indices', () => {
    const vectorizer = Vectorizer.fit(
      FIXTURE_APPEALS.map((e) => e.text),
      DEFAULT_FEATURES,
    );
    const x = vectorizer.transform('Яма на дороге, асфальт разбит');
    expect(x.indices.length).toBeGreaterThan(5);
    for (let i = 1; i < x.indices.length; i++) expect(x.indices[i]).toBeGreaterThan(x.indices[i - 1]);
    expect(Math.hypot(...x.values)).toBeCloseTo(1, 5);
  });

  it('gives an empty vector for text it has no features for', () => {
    const vectorizer = Vectorizer.fit(['яма на дороге', 'фонарь не горит'], { ...DEFAULT_FEATURES, charNgrams: null, stemBigrams: null });
    expect(vectorizer.transform('12345 !!!').indices.length).toBe(0);
  });

  it('drops terms below the minimum document frequency', () => {
    const settings = { ...DEFAULT_FEATURES, charNgrams: null, stemBigrams: null, stems: { minDf: 2, maxFeatures: 100, weight: 1 } };
    const vectorizer = Vectorizer.fit(['яма дорога', 'яма фонарь', 'свалка'], settings);
    expect(vectorizer.toState().vocabulary.stems).toEqual(['ям']);
  });
});

describe('trainTextClassifier on the project-written fixture', () => {
  const classifier = trainTextClassifier(FIXTURE_APPEALS, DEFAULT_TRAINING, NOW);

  it('separates the four categories on new wordings', () => {
    for (const { text, label } of FIXTURE_HELD_OUT) expect(classifier.rank(text, 1)[0].label).toBe(label);
  });

  it('returns calibrated probabilities that sum to one, best first', () => {
    const ranked = classifier.rank('Огромная яма на дороге', 4);
    expect(ranked.map((r) => r.probability)).toEqual([...ranked.map((r) => r.probability)].sort((a, b) => b - a));
    expect(ranked.reduce((sum, r) => sum + r.probability, 0)).toBeCloseTo(1, 6);
    expect(classifier.temperature).toBeGreaterThan(0);
  });

  it('records how it was trained and how it did out of fold', () => {
    expect(classifier.meta.training.examples).toBe(FIXTURE_APPEALS.length);
    expect(classifier.meta.training.perLabel).toEqual({ lighting: 12, roads: 12, transport: 12, waste: 12 });
    // Every example judged once, by a model trained on the other folds.
    expect(classifier.meta.validation).toMatchObject({ examples: FIXTURE_APPEALS.length, folds: DEFAULT_TRAINING.calibrationFolds, minimumEvidence: 52 });
    expect(classifier.meta.createdAt).toBe(NOW.toISOString());
  });

  it('is deterministic for a seed', () => {
    const again = trainTextClassifier(FIXTURE_APPEALS, DEFAULT_TRAINING, NOW);
    // Everything but the wall-clock training time.
    const file = (c: TextClassifier) => JSON.stringify({ ...c.toJSON(), training: { ...c.meta.training, seconds: 0 } });
    expect(file(again) === file(classifier)).toBe(true);
  });

  it('changes with the seed', () => {
    const other = trainTextClassifier(FIXTURE_APPEALS, { ...DEFAULT_TRAINING, seed: 2 }, NOW);
    expect(other.toJSON().model.weights === classifier.toJSON().model.weights).toBe(false);
  });

  it('survives a JSON round trip with identical predictions', () => {
    const file = JSON.parse(JSON.stringify(classifier.toJSON()));
    expect(file.formatVersion).toBe(MODEL_FORMAT_VERSION);
    expect(file.labels).toEqual(['lighting', 'roads', 'transport', 'waste']);
    expect(file.options.features).toEqual(DEFAULT_TRAINING.features);
    const restored = TextClassifier.fromJSON(file);
    for (const { text } of [...FIXTURE_APPEALS, ...FIXTURE_HELD_OUT]) {
      const a = classifier.probabilities(text);
      const b = restored.probabilities(text);
      for (let k = 0; k < a.length; k++) expect(b[k]).toBeCloseTo(a[k], 5);
    }
    expect(restored.decide('Яма на дороге')).toEqual(classifier.decide('Яма на дороге'));
  });

  it('refuses a file of another format or version', () => {
    expect(() => TextClassifier.fromJSON({ format: 'something-else' })).toThrow(ModelFormatError);
    expect(() => TextClassifier.fromJSON({ ...classifier.toJSON(), formatVersion: 99 })).toThrow(/version 99 is not supported/);
    expect(() => TextClassifier.fromJSON({ ...classifier.toJSON(), labels: ['a', 'b'] })).toThrow(/4 classes but 2 labels/);
  });

  it.each(['logistic-regression', 'complement-nb', 'blend'] as const)('separates the fixture with %s too', (algorithm) => {
    const other = trainTextClassifier(FIXTURE_APPEALS, { ...DEFAULT_TRAINING, algorithm }, NOW);
    for (const { text, label } of FIXTURE_HELD_OUT) expect(other.rank(text, 1)[0].label).toBe(label);
  });

  it('refuses data with a single label', () => {
    expect(() => trainTextClassifier([{ text: 'a', label: 'x' }], DEFAULT_TRAINING, NOW)).toThrow(TrainingDataError);
  });
});

describe('thresholds', () => {
  it('gives a category with too little evidence the global threshold, out of fold', () => {
    // 12 examples a category: fewer than the 52 independent decisions a threshold of its own needs.
    const classifier = trainTextClassifier(FIXTURE_APPEALS, DEFAULT_TRAINING, NOW);
    for (const label of classifier.labels) {
      expect(classifier.thresholds[label]).toMatchObject({
        basis: classifier.meta.validation!.globalThreshold === null ? 'none' : 'pooled',
        support: expect.any(Number),
      });
      expect(classifier.thresholds[label].threshold).toBe(classifier.meta.validation!.globalThreshold);
    }
    // With a lax confidence the same evidence is enough for thresholds of their own.
    const lax = trainTextClassifier(FIXTURE_APPEALS, { ...DEFAULT_TRAINING, thresholdConfidenceZ: 0.5 }, NOW);
    expect(Object.values(lax.thresholds).every((t) => t.basis === 'category')).toBe(true);
  });

  it('keeps texts with a preset fold together, and counts a combination as the phrasings it combines', () => {
    const examples = FIXTURE_APPEALS.map((e, i) => ({ ...e, fold: i % 2, sources: [`${e.label}#${i % 3}`] }));
    const classifier = trainTextClassifier(examples, { ...DEFAULT_TRAINING, calibrationFolds: 2, thresholdConfidenceZ: 0.5 }, NOW);
    // Three phrasings a category, however many texts (a stray wrong decision may add another's): 5 are needed at 95% and z = 0.5.
    for (const label of classifier.labels) {
      expect(classifier.thresholds[label].support).toBeGreaterThanOrEqual(6);
      expect(classifier.thresholds[label].evidence).toBeLessThan(5);
      expect(classifier.thresholds[label].basis).toMatch(/pooled|none/);
    }
  });
});

describe('outcomes and judged texts', () => {
  it('judges an automatic decision by the probability of its outcome when labels share one', () => {
    const outcomes = { lighting: 'street', roads: 'street', transport: 'transport', waste: 'waste' };
    const classifier = trainTextClassifier(FIXTURE_APPEALS, { ...DEFAULT_TRAINING, outcomes }, NOW);
    const text = 'Огромная яма на дороге, фонарь не горит';
    const p = classifier.probabilities(text);
    const decision = classifier.decide(text);
    expect(['roads', 'lighting']).toContain(decision.ranked[0].label);
    expect(decision.confidence).toBeCloseTo(p[classifier.labels.indexOf('roads')] + p[classifier.labels.indexOf('lighting')], 10);
    expect(decision.confidence).toBeGreaterThan(decision.ranked[0].probability);
    // Without outcomes, the top label's own probability.
    const plain = trainTextClassifier(FIXTURE_APPEALS, DEFAULT_TRAINING, NOW).decide(text);
    expect(plain.confidence).toBe(plain.ranked[0].probability);
  });

  it('decides by the most probable outcome, under its most probable label', () => {
    // Two labels of one outcome outweigh a third that is the top label on its own.
    expect(bestOutcome([0.4, 0.35, 0.25], Int32Array.from([0, 1, 1]))).toEqual({ label: 1, probability: 0.6 });
    expect(bestOutcome([0.4, 0.35, 0.25], Int32Array.from([0, 1, 2]))).toEqual({ label: 0, probability: 0.4 });
  });

  it('decides with the outcomes a caller gives for the case at hand', () => {
    const classifier = trainTextClassifier(FIXTURE_APPEALS, DEFAULT_TRAINING, NOW);
    const text = 'Огромная яма на дороге, фонарь не горит';
    const own = classifier.decide(text);
    expect(own.label).toEqual(own.ranked[0]);
    const all = Object.fromEntries(classifier.labels.map((l) => [l, 'one']));
    const together = classifier.decide(text, 3, all);
    expect(together.confidence).toBeCloseTo(1, 10);
    expect(together.label).toEqual(own.ranked[0]);
    expect(together.threshold).toBe(own.threshold);
  });

  it('trains on texts marked not judged but measures only the others', () => {
    const examples = FIXTURE_APPEALS.map((e, i) => ({ ...e, judged: i % 2 === 0 }));
    const classifier = trainTextClassifier(examples, DEFAULT_TRAINING, NOW);
    expect(classifier.meta.training.examples).toBe(FIXTURE_APPEALS.length);
    expect(classifier.meta.validation!.examples).toBe(FIXTURE_APPEALS.length / 2);
  });
});

describe('automatic decisions', () => {
  it('routes only when the top probability reaches the category threshold', () => {
    const classifier = trainTextClassifier(FIXTURE_APPEALS, DEFAULT_TRAINING, NOW);
    const file = classifier.toJSON();
    const strict = TextClassifier.fromJSON({
      ...file,
      thresholds: Object.fromEntries(file.labels.map((l) => [l, { threshold: null, basis: 'none', support: 0, precision: null, coverage: null }])),
    });
    expect(strict.decide('Огромная яма на дороге')).toMatchObject({ automatic: false, threshold: null });
    const lenient = TextClassifier.fromJSON({
      ...file,
      thresholds: Object.fromEntries(file.labels.map((l) => [l, { threshold: 0, basis: 'category', support: 10, precision: 1, coverage: 1 }])),
    });
    expect(lenient.decide('Огромная яма на дороге')).toMatchObject({ automatic: true, threshold: 0 });
  });
});

describe('helpers', () => {
  it('topK keeps the k best in order', () => {
    expect(topK(['a', 'b', 'c', 'd'], [0.1, 0.4, 0.2, 0.3], 3)).toEqual([
      { label: 'b', probability: 0.4 },
      { label: 'd', probability: 0.3 },
      { label: 'c', probability: 0.2 },
    ]);
    expect(topK(['a', 'b'], [0.6, 0.4], 5).map((r) => r.label)).toEqual(['a', 'b']);
  });

  it('class weights balance classes and average one', () => {
    const ys = Int32Array.from([0, 0, 0, 1]);
    const balanced = classWeights(ys, 2, 1);
    expect(balanced[3] / balanced[0]).toBeCloseTo(3, 6);
    expect(balanced.reduce((a, b) => a + b, 0) / 4).toBeCloseTo(1, 6);
    expect(Array.from(classWeights(ys, 2, 0))).toEqual([1, 1, 1, 1]);
  });

  it('the stratified split holds out a share of every label but never its last example', () => {
    const data = [...Array(20)].map((_, i) => ({ label: i < 18 ? 'big' : 'small', i }));
    const { train, held } = stratifiedSplit(data, 0.5, 1);
    expect(held.filter((e) => e.label === 'big')).toHaveLength(9);
    expect(held.filter((e) => e.label === 'small')).toHaveLength(1);
    expect(train.filter((e) => e.label === 'small')).toHaveLength(1);
    expect(train.length + held.length).toBe(20);
  });

  it('stratified folds spread each label evenly', () => {
    const labels = [...Array(10).fill('a'), ...Array(5).fill('b')];
    const folds = stratifiedFolds(labels, 5, 1);
    for (let f = 0; f < 5; f++) {
      expect(labels.filter((l, i) => l === 'a' && folds[i] === f)).toHaveLength(2);
      expect(labels.filter((l, i) => l === 'b' && folds[i] === f)).toHaveLength(1);
    }
  });
});
