import { FIXTURE_APPEALS } from './fixtures/appeals.fixture';
import { DEFAULT_FEATURES } from '../features/feature-settings';
import { SparseVector } from '../features/sparse';
import { capitalizedWords, Vectorizer } from '../features/vectorizer';
import { trainLinearSvm } from '../models/linear-svm';

describe('capitalizedWords', () => {
  it('keeps names inside a sentence and skips sentence starts', () => {
    expect(capitalizedWords('Прошу помочь. Во дворе на Садовой улице темно! Фонари в Заречном не горят')).toEqual(['садовой', 'заречном']);
  });

  it('does not take the dot of an address abbreviation for a sentence end', () => {
    expect(capitalizedWords('Яма в г. Энске на ул. Лесной, д. 5')).toEqual(['энске', 'лесной']);
  });

  it('folds ё and keeps hyphenated names whole', () => {
    expect(capitalizedWords('Жители пос. Берёзовка и Ново-Сельцо просят')).toEqual(['березовка', 'ново-сельцо']);
  });
});

describe('Vectorizer blocks', () => {
  it('adds proper-noun features only when the block is on', () => {
    const texts = ['свет не горит в Энске', 'яма на дороге в Энске'];
    const without = Vectorizer.fit(texts, { ...DEFAULT_FEATURES, properNouns: null });
    const withNames = Vectorizer.fit(texts, { ...DEFAULT_FEATURES, properNouns: { minDf: 1, maxFeatures: 10, weight: 1 } });
    expect(without.toState().vocabulary.properNouns).toEqual([]);
    expect(withNames.toState().vocabulary.properNouns).toEqual(['энск']);
  });

  it('loads a state saved before the proper-noun block existed', () => {
    const state = Vectorizer.fit(['яма на дороге', 'фонарь не горит'], { ...DEFAULT_FEATURES, properNouns: undefined }).toState();
    const oldVocabulary: Partial<typeof state.vocabulary> = { ...state.vocabulary };
    delete oldVocabulary.properNouns;
    const old = Vectorizer.fromState({ ...state, vocabulary: oldVocabulary as typeof state.vocabulary });
    expect(old.transform('яма').indices.length).toBeGreaterThan(0);
  });

  it('can take character n-grams across word boundaries', () => {
    const settings = { ...DEFAULT_FEATURES, stems: null, stemBigrams: null };
    const inWords = Vectorizer.fit(['яма тут'], { ...settings, charNgrams: { min: 3, max: 3, minDf: 1, maxFeatures: 100, weight: 1 } });
    const across = Vectorizer.fit(['яма тут'], { ...settings, charNgrams: { min: 3, max: 3, minDf: 1, maxFeatures: 100, weight: 1, acrossWords: true } });
    expect(inWords.toState().vocabulary.charNgrams).not.toContain('а т');
    expect(across.toState().vocabulary.charNgrams).toContain('а т');
  });
});

describe('trainLinearSvm', () => {
  const vector = (entries: [number, number][]): SparseVector => ({
    indices: Int32Array.from(entries, (e) => e[0]),
    values: Float32Array.from(entries, (e) => e[1]),
  });

  it('separates three linearly separable classes, one feature each', () => {
    const xs = [0, 1, 2].flatMap((k) => [
      vector([[k, 1]]),
      vector([
        [k, 0.8],
        [3, 0.6],
      ]),
    ]);
    const ys = Int32Array.from([0, 0, 1, 1, 2, 2]);
    const model = trainLinearSvm(xs, ys, new Float64Array(6).fill(1), 4, 3, { c: 1, fullCAtExamplesPerClass: 1, epochs: 50, seed: 1 });
    xs.forEach((x, i) => {
      const scores = model.scores(x);
      expect(scores.indexOf(Math.max(...scores))).toBe(ys[i]);
    });
  });

  it('is reproducible for a seed', () => {
    const xs = [
      vector([[0, 1]]),
      vector([[1, 1]]),
      vector([
        [0, 0.6],
        [1, 0.8],
      ]),
    ];
    const ys = Int32Array.from([0, 1, 1]);
    const train = () => trainLinearSvm(xs, ys, new Float64Array(3).fill(1), 2, 2, { c: 1, fullCAtExamplesPerClass: 1, epochs: 5, seed: 7 }).weights;
    expect(train()).toEqual(train());
  });
});

describe('Vectorizer.transform: the cached fast path', () => {
  const texts = [
    ...FIXTURE_APPEALS.map((e) => e.text),
    'В г. Таганроге на ул. Чехова <b>нет света</b> &laquo;третий день&raquo;, звоните 8 (863) 123-45-67, пишите a@b.ru',
    'ЁЛКИ-палки, Ёжик! www.example.ru 12,5 метра',
    '',
  ];

  it.each([
    ['default features', DEFAULT_FEATURES],
    [
      'with across-word n-grams and proper nouns',
      { ...DEFAULT_FEATURES, charNgrams: { ...DEFAULT_FEATURES.charNgrams!, acrossWords: true }, properNouns: { minDf: 1, maxFeatures: 1000, weight: 0.5 } },
    ],
  ])('gives exactly the reference vectors (%s), every time', (_, settings) => {
    const vectorizer = Vectorizer.fit(texts, settings);
    for (let round = 0; round < 2; round++) {
      for (const text of texts) {
        const fast = vectorizer.transform(text);
        const reference = vectorizer.transformReference(text);
        expect(Array.from(fast.indices)).toEqual(Array.from(reference.indices));
        expect(Array.from(fast.values)).toEqual(Array.from(reference.values));
      }
    }
  });
});
