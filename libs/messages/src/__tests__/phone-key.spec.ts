import { phoneKey } from '../messages.service';

describe('phoneKey: a search text read as the applicant phone it may be', () => {
  it.each([
    ['+7 (918) 555-12-34', '9185551234'],
    ['8 918 555 12 34', '9185551234'],
    ['79185551234', '9185551234'],
    ['9185551234', '9185551234'],
    ['(863) 201-44-55', '8632014455'],
  ])('%s → %s', (q, key) => expect(phoneKey(q)).toBe(key));

  it.each([
    ['a portal number', 'P-2026-0457781'],
    ['a ПОС number (7 digits)', '4412907'],
    ['12 digits', '791855512345'],
    ['11 digits not starting with 7 or 8', '19185551234'],
    ['words and digits', 'дом 9185551234'],
  ])('not a phone: %s', (_label, q) => expect(phoneKey(q)).toBeNull());
});
