import { jsonDepthExceeds, unsafeTextErrors } from '../input-safety';

describe('unsafeTextErrors', () => {
  it('names each string holding NUL or an unpaired surrogate by its path', () => {
    const body = { text: 'ok', applicant: { email: 'a\u0000@b.ru', name: 'Иван' }, roles: ['x', '\ud800'], source: 'p\udc00' };
    expect(unsafeTextErrors(body).map((e) => e.field)).toEqual(['applicant.email', 'roles[1]', 'source']);
    expect(unsafeTextErrors(body)[0].message).toBe('Электронная почта: не может содержать символ NUL (\\u0000)');
  });

  it('accepts paired surrogates (emoji) and ordinary text', () => {
    expect(unsafeTextErrors({ text: 'Яма 😀 на дороге', n: 1, ok: true, none: null })).toEqual([]);
  });

  it('names a path parameter by its name, and keys as well as values', () => {
    expect(unsafeTextErrors('abc\u0000', 'id')).toEqual([{ field: 'id', message: 'Поле «id»: не может содержать символ NUL (\\u0000)' }]);
    expect(unsafeTextErrors({ 'a\u0000': 1 }).map((e) => e.field)).toEqual(['a\u0000']);
  });

  it('walks any depth without recursion and reports at most 20 fields', () => {
    let deep: unknown = '\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(unsafeTextErrors(deep)).toHaveLength(1);
    expect(unsafeTextErrors(Array.from({ length: 1000 }, () => '\u0000'))).toHaveLength(20);
  });
});

describe('jsonDepthExceeds', () => {
  const over = (text: string, max = 3) => jsonDepthExceeds(Buffer.from(text), max);

  it('counts objects and arrays, not brackets inside strings', () => {
    expect(over('{"a":[{"b":1}]}')).toBe(false);
    expect(over('{"a":[{"b":[1]}]}')).toBe(true);
    expect(over('{"a":"[[[[[[{{{{"}')).toBe(false);
    expect(over('{"a":"\\"[[[[[["}')).toBe(false);
    expect(over('["\\\\",[[[]]]]')).toBe(true);
  });
});
