import type { DurationSpec, WorkingTime } from '@cur/calendar';
import { Channel, Importance } from '../message/channel';
import { Category, ChannelDeadlines } from '../region/region-data';

export interface DueDate {
  dueAt: Date;
  term: DurationSpec;
  /** Which rule gave the term, for the explanation shown to people. */
  source: 'category' | 'channel';
}

/**
 * Answer term: 59-ФЗ appeals and public messages follow the law/practice of their channel;
 * a ПОС message follows its category's term when the rubricator sets one.
 */
export function answerTerm(
  channel: Channel,
  importance: Importance,
  category: Category | undefined,
  defaults: ChannelDeadlines,
): { term: DurationSpec; source: DueDate['source'] } {
  if (channel === 'social') return { term: defaults.social[importance], source: 'channel' };
  if (channel === 'appeal') return { term: defaults.appeal, source: 'channel' };
  if (category?.deadline) return { term: category.deadline, source: 'category' };
  return { term: defaults.pos, source: 'channel' };
}

export function computeDueDate(
  calendar: WorkingTime,
  start: Date,
  channel: Channel,
  importance: Importance,
  category: Category | undefined,
  defaults: ChannelDeadlines,
): DueDate {
  const { term, source } = answerTerm(channel, importance, category, defaults);
  return { dueAt: calendar.add(start, term), term, source };
}
