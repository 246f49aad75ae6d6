import { acceptCorrelationId, correlationIn } from '../correlation';

describe('correlation ids from headers', () => {
  const id = '0b7c6c1e-5f55-4a3e-9a8e-0f2b1c3d4e5f';

  it('takes a record header that is a UUID', () => {
    expect(correlationIn({ 'x-correlation-id': id, other: 'x' })).toBe(id);
  });

  it('takes nothing else: it would be printed in every log line of the work (a name, a phone number)', () => {
    expect(correlationIn({})).toBeNull();
    expect(correlationIn({ 'x-correlation-id': 'Иванов Иван +79001234567' })).toBeNull();
    expect(correlationIn({ 'x-correlation-id': `${id} ` })).toBeNull();
    expect(correlationIn({ 'X-Correlation-Id': id })).toBeNull();
  });

  it('keeps a caller’s UUID for a request, lower-cased, and gives anything else a new one', () => {
    expect(acceptCorrelationId(id.toUpperCase())).toBe(id);
    const fresh = acceptCorrelationId('not an id');
    expect(fresh).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(fresh).not.toBe('not an id');
  });
});
