import { describeError, errorForLog, isDatabaseError } from '../error-log';

/** The shape of pg's DatabaseError as TypeORM wraps it (QueryFailedError copies the driver's fields). */
function queryFailed(message: string, fields: Record<string, unknown>): Error {
  const driverError = Object.assign(new Error(message), { severity: 'ERROR', ...fields });
  const error = Object.assign(new Error(message), { driverError, query: 'SELECT $1::uuid', parameters: ['secret input'], ...fields });
  error.name = 'QueryFailedError';
  return error;
}

describe('describeError', () => {
  it('tells a database error by class, code and location, without its message, detail or parameters', () => {
    const error = queryFailed('duplicate key value violates unique constraint "uq_login"', {
      code: '23505',
      table: 'user_account',
      constraint: 'uq_login',
      detail: 'Key (login)=(secret input) already exists.',
    });
    expect(isDatabaseError(error)).toBe(true);
    expect(describeError(error)).toBe('QueryFailedError (PostgreSQL 23505 unique_violation, table user_account, constraint uq_login)');
    const logged = errorForLog(error);
    expect(logged).toMatch(/^QueryFailedError \(PostgreSQL 23505 unique_violation, table user_account, constraint uq_login\)\n\s+at /);
    expect(logged).not.toMatch(/secret input|duplicate key|SELECT/);
  });

  it('drops a message spread over several lines from the stack', () => {
    const error = queryFailed('invalid input syntax for type uuid: "line one\nline two"', { code: '22P02', routine: 'string_to_uuid' });
    expect(errorForLog(error)).not.toMatch(/line one|line two/);
    expect(describeError(error)).toBe('QueryFailedError (PostgreSQL 22P02 invalid_text_representation, routine string_to_uuid)');
  });

  it('keeps other errors as they are', () => {
    expect(isDatabaseError(new TypeError('x is undefined'))).toBe(false);
    expect(describeError(new TypeError('x is undefined'))).toBe('x is undefined');
    expect(describeError('plain')).toBe('plain');
  });
});
