import { ContentFreeDetector } from '../content-free';

/** The head that detection reads first (content-free.ts). */
const HEAD_LENGTH = 160;

describe('ContentFreeDetector: texts with nothing to act on go to a person', () => {
  const detector = new ContentFreeDetector(['Таганрог', 'в Таганроге', 'Азовский район', 'в Азовском районе']);

  it.each([
    ['Помогите (обращение 5)', 'waiting'],
    ['Когда починят?', 'waiting'],
    ['Сколько можно ждать ответа?!', 'waiting'],
    ['Почему никто не отвечает? Жду уже месяц', 'waiting'],
    ['Спасибо большое!', 'gratitude'],
    ['Благодарю за оперативное решение', 'gratitude'],
    ['Здравствуйте', 'greeting'],
    ['Добрый день!', 'greeting'],
    ['Обращение № 4512', 'request-number'],
    ['Заявка 13579', 'request-number'],
    ['12345', 'empty'],
    ['😡😡😡', 'empty'],
    ['...', 'empty'],
    ['', 'empty'],
    ['Позор! Куда смотрят власти?', 'noise'],
    ['ааааааа', 'noise'],
    ['фывапролд', 'noise'],
    ['Когда починят в Таганроге?', 'waiting'],
    ['Азовский район, сколько можно?', 'waiting'],
  ])('«%s» → %s', (text, kind) => {
    expect(detector.detect(text)).toBe(kind);
  });

  it.each([
    'Когда починят дорогу на улице Ленина?',
    'Огромная яма на дороге',
    'Нет воды',
    'Помогите, нет отопления в квартире',
    'Спасибо, но мусор так и не вывезли',
    'Здравствуйте, в подъезде не работает лифт',
    'Обращение № 4512: течёт крыша',
    'Не горят фонари',
    'На улице темно, фонари не горят',
    'Скорая помощь не приехала',
    'Канализация переполнена',
    'В Таганроге не вывозят мусор',
  ])('«%s» names something: the classifier decides', (text) => {
    expect(detector.detect(text)).toBeUndefined();
  });

  it('is the same for the same text (no state between calls)', () => {
    expect(detector.detect('Когда починят?')).toBe(detector.detect('Когда починят?'));
    expect(new ContentFreeDetector().detect('Когда починят в Таганроге?')).toBeUndefined();
  });

  it('reads a long text as a whole: looking at its beginning first never changes the verdict', () => {
    // Words that name nothing, and some that do, joined by what texts hold between words (tags and
    // entities too, which may straddle where the beginning is cut), at every length around the cut.
    const empty = ['спасибо', 'здравствуйте', 'обращение', 'когда', 'починят', 'уже', 'кто-то', 'Таганроге', '№', '4512', '😡', 'ааааа', 'ΣΑΣ'];
    const named = ['яма', 'отопления', 'фонари', 'лифт', 'мусор', 'кто-то-нибудь-яма'];
    const glue = [' ', ', ', ' - ', ' ', '! ', '\n', '.'];
    const markup = ['<b>', '</b> ', '&nbsp;', '<a href="x">'];
    const reference = new ContentFreeDetector(['Таганрог', 'в Таганроге']);
    jest.spyOn(reference as unknown as { namesSomethingEarly: () => boolean }, 'namesSomethingEarly').mockReturnValue(false);
    const fast = new ContentFreeDetector(['Таганрог', 'в Таганроге']);
    let seed = 7;
    const next = (n: number) => (seed = (seed * 16_807) % 2_147_483_647) % n;
    const verdicts = new Map<string, number>();
    for (let t = 0; t < 3000; t++) {
      let text = '';
      const length = 120 + next(120);
      // Mostly empty words, so that what names something often comes near the cut or not at all.
      while (text.length < length) {
        text +=
          (next(40) === 0 ? named[next(named.length)] : empty[next(empty.length)]) + (next(100) === 0 ? markup[next(markup.length)] : glue[next(glue.length)]);
      }
      const verdict = fast.detect(text);
      expect({ text, verdict }).toEqual({ text, verdict: reference.detect(text) });
      verdicts.set(String(verdict), (verdicts.get(String(verdict)) ?? 0) + 1);
    }
    // A capital sigma lowercases by what follows, across the cut too: «аΣΣΣ.ʰ» at its end reads as
    // «аσσς» (a word) alone, as «аσσσ» (noise) in the whole text, whose verdict is then gratitude.
    const filler = 'спасибо '.repeat(30);
    const sigma = `${filler.slice(0, HEAD_LENGTH - 'аΣΣΣ.ʰ'.length)}аΣΣΣ.ʰб спасибо`;
    expect(fast.detect(sigma)).toBe(reference.detect(sigma));
    expect(reference.detect(sigma)).toBe('gratitude');
    // Both verdicts were reached often: texts naming something and texts naming nothing.
    expect(verdicts.get('undefined')).toBeGreaterThan(500);
    expect(3000 - (verdicts.get('undefined') ?? 0)).toBeGreaterThan(300);
  });
});
