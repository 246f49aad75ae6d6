import { ContentFreeDetector } from '../content-free';

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
});
