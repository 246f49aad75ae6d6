import { Category } from '../../region/region-data';
import { KeywordClassifier } from '../keyword-classifier';

/** Project-written fixture rubricators: a few ПОС categories and one ИМ group. */
const categories: Category[] = [
  { code: 'pos.roads', name: 'Автомобильные дороги', rubricator: 'pos', keywords: ['яма', 'ремонт дороги', 'асфальт'] },
  { code: 'pos.yards', name: 'Дворы', rubricator: 'pos', keywords: ['двор', 'детская площадка'] },
  { code: 'pos.heating', name: 'Теплоснабжение', rubricator: 'pos', keywords: ['отопление', 'батареи', 'еле тёплые'] },
  { code: 'pos.waste', name: 'Твёрдые отходы', rubricator: 'pos', keywords: ['мусор', 'контейнер'] },
  { code: 'pos.lighting', name: 'Уличное освещение', rubricator: 'pos', keywords: ['фонарь', 'освещение'] },
  { code: 'pos.other', name: 'Прочее', rubricator: 'pos', keywords: [] },
  { code: 'im.dorogi.01', name: 'Ямы на дорогах', rubricator: 'im', group: 'Дороги', keywords: ['яма', 'выбоина'] },
  { code: 'im.zhkh.01', name: 'Отопление', rubricator: 'im', group: 'ЖКХ', keywords: ['отопление', 'холодные батареи'] },
];
const classifier = new KeywordClassifier(categories, { minScore: 2, minMargin: 0.34 });

const codes = (text: string, rubricator: 'pos' | 'im' = 'pos') => classifier.classify(text, rubricator).suggestions.map((s) => s.code);

describe('KeywordClassifier', () => {
  describe('word forms (stemming)', () => {
    it.each(['На Ленина огромные ямы', 'Въехал в яму у дома', 'В ямах стоит вода', 'ЯМА на выезде'])('«%s» matches the keyword «яма»', (text) => {
      expect(codes(text)).toEqual(['pos.roads']);
    });

    it('matches a keyword written with «ё» in a text written with «е»', () => {
      // батареи (1) + «еле тёплые» (2)
      expect(classifier.classify('Батареи еле теплые', 'pos').suggestions).toEqual([{ code: 'pos.heating', score: 3, probability: 1 }]);
    });

    it('does not match a word that only contains the keyword’s letters', () => {
      // «ямщик» is not «яма»; «дворец» is not «двор».
      expect(codes('Ямщик проехал мимо дворца')).toEqual([]);
    });
  });

  describe('phrases', () => {
    it('a phrase keyword needs all its words: «ремонт» alone does not score for «ремонт дороги»', () => {
      expect(codes('Когда будет ремонт в поликлинике?')).toEqual([]);
    });

    it('a phrase scores with its words in any order and form, and weighs as many points as it has words', () => {
      const result = classifier.classify('Дороги у нас требуют ремонта', 'pos');
      expect(result.suggestions).toEqual([{ code: 'pos.roads', score: 2, probability: 1 }]);
    });

    it('scores add up over the keywords found', () => {
      const result = classifier.classify('Ремонт дороги сделали, асфальт кривой, снова яма', 'pos');
      expect(result.suggestions[0]).toEqual({ code: 'pos.roads', score: 4, probability: 1 });
    });
  });

  describe('confidence', () => {
    it('a clear winner with enough score is confident', () => {
      const result = classifier.classify('Во дворе яма, асфальт разбит, нужен ремонт дороги', 'pos');
      expect(result.method).toBe('keywords');
      expect(result.suggestions.map((s) => [s.code, s.score])).toEqual([
        ['pos.roads', 4],
        ['pos.yards', 1],
      ]);
      expect(result.confident?.code).toBe('pos.roads');
    });

    it('a single weak keyword is below minScore: suggested but not confident', () => {
      const result = classifier.classify('Опять яма', 'pos');
      expect(result.suggestions.map((s) => s.code)).toEqual(['pos.roads']);
      expect(result.confident).toBeUndefined();
    });

    it('equal scores are ambiguous: not confident, both suggested', () => {
      const result = classifier.classify('Ремонт дороги возле детской площадки', 'pos');
      expect(result.suggestions.map((s) => [s.code, s.score])).toEqual([
        ['pos.roads', 2],
        ['pos.yards', 2],
      ]);
      expect(result.suggestions.map((s) => s.probability)).toEqual([0.5, 0.5]);
      expect(result.confident).toBeUndefined();
    });

    it('a winner by too small a margin is not confident (3 vs 2: margin 0.33 < 0.34)', () => {
      const result = classifier.classify('Ремонт дороги, яма у детской площадки', 'pos');
      expect(result.suggestions.map((s) => [s.code, s.score])).toEqual([
        ['pos.roads', 3],
        ['pos.yards', 2],
      ]);
      expect(result.confident).toBeUndefined();
    });
  });

  describe('suggestions', () => {
    it('empty text gives no suggestions and nothing confident', () => {
      for (const text of ['', '   ', '<p></p>&nbsp;', '12345 !!!']) {
        const result = classifier.classify(text, 'pos');
        expect(result).toEqual({ suggestions: [], confident: undefined, method: 'keywords' });
      }
    });

    it('keeps at most 3 suggestions, best first, with probabilities summing to ~1', () => {
      const result = classifier.classify('Во дворе темно: фонарь не горит, мусор не вывозят, контейнер переполнен, батареи холодные, яма на дороге', 'pos');
      // roads 1, yards 1, lighting 1, waste 2, heating 1: five categories score.
      expect(result.suggestions).toHaveLength(3);
      // waste first; the 1-point tie is broken by code: heating, lighting (roads and yards drop out).
      expect(result.suggestions.map((s) => s.code)).toEqual(['pos.waste', 'pos.heating', 'pos.lighting']);
      const scores = result.suggestions.map((s) => s.score);
      expect([...scores].sort((a, b) => b - a)).toEqual(scores);
      const sum = result.suggestions.reduce((total, s) => total + s.probability, 0);
      expect(sum).toBeCloseTo(1, 2);
      for (const s of result.suggestions) {
        expect(s.probability).toBeGreaterThan(0);
        expect(s.probability).toBeLessThanOrEqual(1);
      }
    });

    it('looks only into the rubricator asked for', () => {
      expect(codes('Яма на дороге', 'im')).toEqual(['im.dorogi.01']);
      expect(codes('Яма на дороге', 'pos')).toEqual(['pos.roads']);
    });
  });

  describe('category hint', () => {
    it('a hint by code wins regardless of the text, with method «hint»', () => {
      const result = classifier.classify('Яма на дороге', 'pos', 'pos.heating');
      expect(result.method).toBe('hint');
      expect(result.suggestions).toEqual([{ code: 'pos.heating', score: Infinity, probability: 1 }]);
      expect(result.confident?.code).toBe('pos.heating');
    });

    it.each(['Теплоснабжение', 'ТЕПЛОСНАБЖЕНИЕ', '  теплоснабжение  '])('a hint by name «%s» is case- and space-insensitive', (hint) => {
      const result = classifier.classify('', 'pos', hint);
      expect(result.method).toBe('hint');
      expect(result.confident?.code).toBe('pos.heating');
    });

    it('a hint by name is ё-insensitive: «Твердые отходы» finds «Твёрдые отходы»', () => {
      const result = classifier.classify('', 'pos', 'твердые отходы');
      expect(result.method).toBe('hint');
      expect(result.confident?.code).toBe('pos.waste');
    });

    it('a hint from the other rubricator is ignored: the text decides', () => {
      const result = classifier.classify('Яма на дороге', 'pos', 'im.dorogi.01');
      expect(result.method).toBe('keywords');
      expect(result.suggestions.map((s) => s.code)).toEqual(['pos.roads']);
    });

    it('an unknown hint is ignored: the text decides', () => {
      const result = classifier.classify('Нет отопления, батареи ледяные', 'pos', 'Неизвестная категория');
      expect(result.method).toBe('keywords');
      expect(result.confident?.code).toBe('pos.heating');
    });

    // ПОС names such as «Благоустройство» are also ИМ group names: hints are looked up per rubricator.
    it('a hint by a name used in both rubricators finds the category of the rubricator asked for', () => {
      const clashing = new KeywordClassifier(
        [
          { code: 'pos.heat', name: 'Отопление', rubricator: 'pos', keywords: [] },
          { code: 'im.heat', name: 'Отопление', rubricator: 'im', group: 'ЖКХ', keywords: [] },
        ],
        { minScore: 2, minMargin: 0.34 },
      );
      expect(clashing.classify('', 'pos', 'Отопление')).toMatchObject({ method: 'hint', confident: { code: 'pos.heat' } });
      expect(clashing.classify('', 'im', 'Отопление')).toMatchObject({ method: 'hint', confident: { code: 'im.heat' } });
    });
  });
});
