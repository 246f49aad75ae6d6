/**
 * What an error may say in a log. A database error's message, parameters and detail can carry the
 * input that caused it (`invalid input syntax for type uuid: "<input>"`, `Key (login)=(<input>)
 * already exists`), so it is logged by what an operator needs and nothing the caller wrote: its
 * class, PostgreSQL code and condition, and the table, column or constraint involved.
 */

/** The conditions this service is likely to meet, by SQLSTATE (the full list is in PostgreSQL's appendix A). */
const CONDITIONS: Record<string, string> = {
  '08000': 'connection_exception',
  '08003': 'connection_does_not_exist',
  '08006': 'connection_failure',
  '22001': 'string_data_right_truncation',
  '22003': 'numeric_value_out_of_range',
  '22007': 'invalid_datetime_format',
  '22008': 'datetime_field_overflow',
  '22021': 'character_not_in_repertoire',
  '22P02': 'invalid_text_representation',
  '22P05': 'untranslatable_character',
  '23502': 'not_null_violation',
  '23503': 'foreign_key_violation',
  '23505': 'unique_violation',
  '23514': 'check_violation',
  '40001': 'serialization_failure',
  '40P01': 'deadlock_detected',
  '42703': 'undefined_column',
  '42P01': 'undefined_table',
  '53300': 'too_many_connections',
  '54000': 'program_limit_exceeded',
  '55P03': 'lock_not_available',
  '57014': 'query_canceled',
  '57P01': 'admin_shutdown',
  P0001: 'raise_exception',
};

/** Where it failed, never what was sent: no message, detail, hint, where, query or parameters. */
const LOCATION_FIELDS = ['table', 'column', 'constraint', 'dataType', 'routine'] as const;

interface DatabaseErrorFields {
  name?: string;
  code?: unknown;
  severity?: unknown;
  driverError?: unknown;
}

/** A TypeORM query error (it wraps the driver's) or the driver's own PostgreSQL error. */
export function isDatabaseError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as DatabaseErrorFields;
  if (e.driverError !== undefined || e.name === 'QueryFailedError' || e.name === 'EntityNotFoundError') return true;
  return typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) && typeof e.severity === 'string';
}

function describeDatabaseError(error: object): string {
  const source = error as Record<string, unknown>;
  const driver = (source.driverError ?? {}) as Record<string, unknown>;
  const field = (name: string) => {
    const value = source[name] ?? driver[name];
    return typeof value === 'string' && value ? value : undefined;
  };
  const code = field('code');
  const location = LOCATION_FIELDS.map((name) => [name, field(name)] as const)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `${name} ${value}`);
  const parts = [code ? `PostgreSQL ${code}${CONDITIONS[code] ? ` ${CONDITIONS[code]}` : ''}` : 'no PostgreSQL code', ...location];
  return `${(error as Error).name ?? error.constructor?.name ?? 'Error'} (${parts.join(', ')})`;
}

/** The code lines of a stack, without its first line(s), which repeat the message. */
function frames(error: unknown): string {
  const stack = error instanceof Error && typeof error.stack === 'string' ? error.stack : '';
  return stack
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .join('\n');
}

/** One line about the error, safe for logs and dead-letter headers: its message, unless it is a database error. */
export function describeError(error: unknown): string {
  if (isDatabaseError(error)) return describeDatabaseError(error as object);
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && 'message' in error) return String(error.message);
  return String(error);
}

/** The description and, for a log, where in the code: a database error's stack without its message. */
export function errorForLog(error: unknown): string {
  if (isDatabaseError(error)) {
    const where = frames(error);
    return where ? `${describeError(error)}\n${where}` : describeError(error);
  }
  return error instanceof Error ? (error.stack ?? describeError(error)) : String(error);
}
