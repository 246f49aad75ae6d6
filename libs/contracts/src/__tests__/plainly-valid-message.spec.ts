import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { CreateMessageDto, MAX_TEXT_LENGTH, plainlyValidMessage } from '../http/create-message.dto';

const base = {
  channel: 'pos',
  source: 'portal-a',
  externalId: 'ext-1',
  text: 'На улице Петровской яма',
  createdAt: '2026-11-23T08:00:00+03:00',
};

/** As intake's batch endpoint checks an item without the quick check. */
function decorators(item: unknown): { valid: boolean; value: unknown } {
  const value = plainToInstance(CreateMessageDto, item);
  const errors = validateSync(value as object, { whitelist: true, forbidNonWhitelisted: true });
  return { valid: errors.length === 0, value: JSON.parse(JSON.stringify(value)) };
}

/** Messages the quick check must take itself (the point of it). */
const plain: Record<string, unknown>[] = [
  base,
  { ...base, channel: 'appeal', territory: 'Таганрог', importance: 'high', categoryHint: 'Дороги' },
  { ...base, channel: 'social', territory: '', categoryHint: '' },
  { ...base, text: 'я'.repeat(MAX_TEXT_LENGTH), source: 's'.repeat(100), externalId: 'e'.repeat(200) },
  { ...base, createdAt: '2024-02-29T23:59:59.999Z' },
  { ...base, applicant: { name: 'Иванов И. И.', phone: '+7 (900) 123-45-67', epguId: '1000299353' } },
  { ...base, applicant: {} },
  { ...base, source: ' ' },
];

/** Items it must leave to the decorators: wrong, or beyond what it checks (they decide those). */
const other: unknown[] = [
  null,
  [],
  'text',
  42,
  { ...base, channel: 'email' },
  { ...base, channel: undefined },
  { ...base, source: '' },
  { ...base, source: 's'.repeat(101) },
  { ...base, source: 7 },
  { ...base, externalId: 'e'.repeat(201) },
  { ...base, text: '' },
  { ...base, text: 'я'.repeat(MAX_TEXT_LENGTH + 1) },
  { ...base, text: ['a'] },
  { ...base, createdAt: '2026-02-30T08:00:00+03:00' },
  { ...base, createdAt: '2026-11-23T08:00:00' },
  { ...base, createdAt: 1764000000000 },
  { ...base, territory: null },
  { ...base, territory: 't'.repeat(201) },
  { ...base, territory: 5 },
  { ...base, importance: 'urgent' },
  { ...base, categoryHint: 'c'.repeat(201) },
  { ...base, url: 'https://vk.com/wall-1_2' },
  { ...base, url: 'javascript:alert(1)' },
  { ...base, extra: 1 },
  JSON.parse(`{"channel":"pos","source":"a","externalId":"b","text":"c","createdAt":"2026-11-23T08:00:00Z","__proto__":{"x":1}}`),
  { ...base, applicant: null },
  { ...base, applicant: [] },
  { ...base, applicant: 'Иванов' },
  { ...base, applicant: { name: 'n'.repeat(301) } },
  { ...base, applicant: { phone: '12' } },
  { ...base, applicant: { phone: 79001234567 } },
  { ...base, applicant: { email: 'a@b.ru' } },
  { ...base, applicant: { email: 'not an address' } },
  { ...base, applicant: { epguId: 'x'.repeat(65) } },
  { ...base, applicant: { role: 'admin' } },
  Object.assign(Object.create({ inherited: true }), base),
];

describe('plainlyValidMessage (the quick check of a batch item)', () => {
  it('takes the plainly valid messages as they are, as the decorators would', () => {
    for (const item of plain) {
      expect(plainlyValidMessage(item)).toBe(item);
      expect(decorators(item)).toEqual({ valid: true, value: item });
    }
  });

  it('accepts nothing the decorators refuse, and leaves everything it does not take to them', () => {
    for (const item of other) {
      expect([item, plainlyValidMessage(item)]).toEqual([item, undefined]);
    }
    // Some of those are valid all the same (a URL, an e-mail, a null territory): the decorators say so.
    // (Items that are not objects never reach either: the batch's own check refuses them.)
    const accepted = other.filter((item) => typeof item === 'object' && item !== null && !Array.isArray(item) && decorators(item).valid).length;
    expect(accepted).toBeGreaterThan(0);
  });

  it('agrees with the decorators on every single-field change of a valid message', () => {
    const values: unknown[] = [undefined, null, '', ' ', 'x', 'x'.repeat(300), 0, true, {}, [], 'pos', 'high', '2026-11-23T08:00:00+03:00'];
    for (const field of [...Object.keys(base), 'territory', 'importance', 'categoryHint', 'url', 'applicant', 'unknown']) {
      for (const value of values) {
        const item = { ...base, [field]: value };
        if (plainlyValidMessage(item) !== undefined) expect([field, value, decorators(item).valid]).toEqual([field, value, true]);
      }
    }
  });
});
