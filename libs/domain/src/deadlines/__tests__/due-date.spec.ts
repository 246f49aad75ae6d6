import { ProductionCalendar, WorkingTime } from '@cur/calendar';
import { Category, ChannelDeadlines } from '../../region/region-data';
import { answerTerm, computeDueDate } from '../due-date';

/**
 * Which clock a message gets (DOMAIN.md §2): public messages follow importance (9 / 4 working hours),
 * 59-ФЗ appeals follow the law (30 days), ПОС messages follow their category's term when it has one.
 * A small hand-made March 2024 calendar: 7 March shortened (closes 17:00), 8 March a holiday.
 */
const calendar = new WorkingTime(
  new ProductionCalendar([
    {
      year: 2024,
      days: [
        { date: '2024-03-07', kind: 'shortened' },
        { date: '2024-03-08', kind: 'holiday' },
      ],
    },
  ]),
);
const msk = (local: string): Date => new Date(`${local}+03:00`);

const defaults: ChannelDeadlines = {
  pos: { amount: 10, unit: 'working_days' },
  appeal: { amount: 30, unit: 'calendar_days' },
  social: {
    normal: { amount: 9, unit: 'working_hours' },
    high: { amount: 4, unit: 'working_hours' },
  },
};
const water: Category = {
  code: 'pos.water-supply',
  name: 'Водоснабжение',
  rubricator: 'pos',
  keywords: [],
  deadline: { amount: 5, unit: 'working_days' },
};
const culture: Category = { code: 'pos.culture', name: 'Культура', rubricator: 'pos', keywords: [] };
const imPotholes: Category = {
  code: 'im.dorogi.01',
  name: 'Ямы',
  rubricator: 'im',
  group: 'Дороги',
  keywords: [],
  deadline: { amount: 1, unit: 'working_days' },
};

// Monday 4 March 2024, 10:00 Moscow.
const monday10 = msk('2024-03-04T10:00');

describe('answerTerm', () => {
  it('a public message of ordinary importance gets 9 working hours from the channel', () => {
    expect(answerTerm('social', 'normal', undefined, defaults)).toEqual({ term: { amount: 9, unit: 'working_hours' }, source: 'channel' });
  });

  it('a public message of high importance gets 4 working hours from the channel', () => {
    expect(answerTerm('social', 'high', undefined, defaults)).toEqual({ term: { amount: 4, unit: 'working_hours' }, source: 'channel' });
  });

  it('a public message ignores a term set on its category: the clock follows importance', () => {
    expect(answerTerm('social', 'normal', imPotholes, defaults)).toEqual({ term: defaults.social.normal, source: 'channel' });
  });

  it('a 59-ФЗ appeal gets 30 calendar days even when its category sets a shorter term', () => {
    expect(answerTerm('appeal', 'normal', water, defaults)).toEqual({ term: { amount: 30, unit: 'calendar_days' }, source: 'channel' });
    expect(answerTerm('appeal', 'high', water, defaults)).toEqual({ term: { amount: 30, unit: 'calendar_days' }, source: 'channel' });
  });

  it('a ПОС message takes its category term when the rubricator sets one', () => {
    expect(answerTerm('pos', 'normal', water, defaults)).toEqual({ term: { amount: 5, unit: 'working_days' }, source: 'category' });
  });

  it('a ПОС message falls back to the channel default for a category without a term, or without a category', () => {
    expect(answerTerm('pos', 'normal', culture, defaults)).toEqual({ term: { amount: 10, unit: 'working_days' }, source: 'channel' });
    expect(answerTerm('pos', 'high', undefined, defaults)).toEqual({ term: { amount: 10, unit: 'working_days' }, source: 'channel' });
  });
});

describe('computeDueDate', () => {
  it('public message, ordinary: Monday 10:00 + 9 working hours → Tuesday 10:00', () => {
    const due = computeDueDate(calendar, monday10, 'social', 'normal', undefined, defaults);
    expect(due).toEqual({ dueAt: msk('2024-03-05T10:00'), term: { amount: 9, unit: 'working_hours' }, source: 'channel' });
  });

  it('public message, high importance: Monday 10:00 + 4 working hours → Monday 14:00', () => {
    const due = computeDueDate(calendar, monday10, 'social', 'high', undefined, defaults);
    expect(due.dueAt).toEqual(msk('2024-03-04T14:00'));
    expect(due.term).toEqual({ amount: 4, unit: 'working_hours' });
  });

  it('public message before the 8 March holiday: Thursday 7 March 16:00 (shortened) + 4 h → Monday 11 March 12:00', () => {
    const due = computeDueDate(calendar, msk('2024-03-07T16:00'), 'social', 'high', undefined, defaults);
    expect(due.dueAt).toEqual(msk('2024-03-11T12:00'));
  });

  it('59-ФЗ appeal: 4 March + 30 calendar days → Wednesday 3 April 18:00, the category term ignored', () => {
    const due = computeDueDate(calendar, monday10, 'appeal', 'normal', water, defaults);
    expect(due).toEqual({ dueAt: msk('2024-04-03T18:00'), term: { amount: 30, unit: 'calendar_days' }, source: 'channel' });
  });

  it('ПОС message with a 5-working-day category: 5, 6, 7 (shortened), 11, 12 March → 12 March 18:00', () => {
    const due = computeDueDate(calendar, monday10, 'pos', 'normal', water, defaults);
    expect(due).toEqual({ dueAt: msk('2024-03-12T18:00'), term: { amount: 5, unit: 'working_days' }, source: 'category' });
  });

  it('ПОС message without a category term: channel default of 10 working days → 19 March 18:00', () => {
    const due = computeDueDate(calendar, monday10, 'pos', 'normal', culture, defaults);
    expect(due).toEqual({ dueAt: msk('2024-03-19T18:00'), term: { amount: 10, unit: 'working_days' }, source: 'channel' });
  });

  it('ПОС message whose category is unknown: channel default too', () => {
    const due = computeDueDate(calendar, monday10, 'pos', 'normal', undefined, defaults);
    expect(due.dueAt).toEqual(msk('2024-03-19T18:00'));
    expect(due.source).toBe('channel');
  });
});
