import 'reflect-metadata';
import { savedViewQuery } from '../saved-view-query';

describe('a saved view’s filters', () => {
  it('keeps the list’s own filters and the text search, written the one way', () => {
    expect(savedViewQuery('?status=needs_triage,moderation&sort=due&q=%D1%8F%D0%BC%D0%B0&overdue=true&limit=25')).toEqual({
      query: 'status=needs_triage%2Cmoderation&sort=due&q=%D1%8F%D0%BC%D0%B0&overdue=true&limit=25',
      errors: [],
    });
    expect(savedViewQuery('')).toEqual({ query: '', errors: [] });
  });

  it('refuses an unknown filter, a repeated one and a value the list would refuse, in Russian, naming the filter', () => {
    expect(savedViewQuery('colour=red').errors).toEqual([{ field: 'query', message: expect.stringContaining('неизвестный фильтр «colour»') }]);
    expect(savedViewQuery('cursor=abcdefghijkl').errors).toEqual([{ field: 'query', message: expect.stringContaining('неизвестный фильтр «cursor»') }]);
    expect(savedViewQuery('sort=due&sort=received').errors).toEqual([{ field: 'query.sort', message: 'Фильтры: «sort» указан дважды' }]);
    expect(savedViewQuery('status=new,lost').errors).toEqual([
      { field: 'query.status', message: expect.stringMatching(/^Статус: допустимые значения: new, /) },
    ]);
    expect(savedViewQuery('limit=500').errors).toEqual([{ field: 'query.limit', message: 'Число строк: должно быть не больше 200' }]);
    expect(savedViewQuery(`q=${'я'.repeat(201)}`).errors).toEqual([{ field: 'query.q', message: expect.stringContaining('не длиннее 200') }]);
  });
});
