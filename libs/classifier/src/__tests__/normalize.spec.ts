import { normalizeText, PLACEHOLDERS } from '../text/normalize';
import { isStopWord, Stemmer, tokenize } from '../text/tokenize';

describe('normalizeText', () => {
  it('strips tags and decodes entities', () => {
    expect(normalizeText('<p>Нет&nbsp;воды</p><br/>&laquo;Срочно&raquo; &amp; всё')).toBe('нет воды «срочно» & все');
  });

  it('folds ё into е and lower-cases', () => {
    expect(normalizeText('ЁЛКА Объём')).toBe('елка объем');
  });

  it('replaces links, e-mails, phones and numbers with placeholders', () => {
    const text = normalizeText('Пишите на ivanov@mail.ru или https://example.ru/a?b=1, звоните 8 (863) 123-45-67 или +7 999 000 11 22, дом 15');
    expect(text).toBe(
      `пишите на ${PLACEHOLDERS.email} или ${PLACEHOLDERS.url} , звоните ${PLACEHOLDERS.phone} или ${PLACEHOLDERS.phone} , дом ${PLACEHOLDERS.number}`,
    );
  });

  it('treats a bare domain as a link and a decimal as one number', () => {
    expect(normalizeText('см. gosuslugi.ru, 2,5 метра')).toBe(`см. ${PLACEHOLDERS.url} , ${PLACEHOLDERS.number} метра`);
  });

  it('keeps an unknown entity as text and drops a less-than that is not a tag', () => {
    expect(normalizeText('a &foo; b < c')).toBe('a &foo; b < c');
  });
});

describe('tokenize', () => {
  it('keeps placeholders as words and splits hyphenated words', () => {
    expect(tokenize(`улица ${PLACEHOLDERS.number}-я, северо-запад`)).toEqual(['улица', PLACEHOLDERS.number, 'я', 'северо', 'запад']);
  });

  it('knows Russian function words and keeps negations', () => {
    expect(isStopWord('которые')).toBe(true);
    expect(isStopWord('пожалуйста')).toBe(true);
    expect(isStopWord('не')).toBe(false);
    expect(isStopWord('нет')).toBe(false);
  });
});

describe('Stemmer', () => {
  it('stems Russian words to a shared stem and leaves placeholders alone', () => {
    const stemmer = new Stemmer();
    expect(stemmer.stem('дороги')).toBe(stemmer.stem('дорогой'));
    expect(stemmer.stem(PLACEHOLDERS.phone)).toBe(PLACEHOLDERS.phone);
    expect(stemmer.stem('wifi')).toBe('wifi');
  });

  it('gives the same stems after its cache is cleared', () => {
    const stemmer = new Stemmer(2);
    const first = ['фонари', 'фонарь', 'освещение'].map((w) => stemmer.stem(w));
    expect(['фонари', 'фонарь', 'освещение'].map((w) => stemmer.stem(w))).toEqual(first);
  });
});

describe('normalizeText on Cyrillic domains', () => {
  it('treats a .рф domain as a link but not a word that merely contains .ru', () => {
    expect(normalizeText('сайт госуслуги.рф не открывается')).toBe(`сайт ${PLACEHOLDERS.url} не открывается`);
    expect(normalizeText('file.rules')).toBe('file.rules');
  });
});
