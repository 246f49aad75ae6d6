import type { IncomingMessage } from 'node:http';
import { FieldError } from './errors';
import { fieldLabel } from './validation-messages';

/**
 * Text PostgreSQL cannot store: NUL (refused in `text` and `jsonb`) and UTF-16 surrogates without
 * their pair (refused in `jsonb`, silently turned into U+FFFD in `text`, and fatal to some
 * validators). Refused at the edge, naming the field, instead of failing deep inside a handler.
 */
const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function problemOf(text: string): string | undefined {
  if (text.includes('\u0000')) return 'не может содержать символ NUL (\\u0000)';
  if (UNPAIRED_SURROGATE.test(text)) return 'некорректный текст Unicode (непарный суррогат)';
  return undefined;
}

const MAX_REPORTED = 20;

/**
 * Every string in a parsed body, query or path parameter (object keys included) that the database
 * cannot hold, as `{ field: 'applicant.email', message }`. Iterative: the depth of a value never
 * costs stack.
 */
export function unsafeTextErrors(value: unknown, root = ''): FieldError[] {
  const errors: FieldError[] = [];
  const pending: { value: unknown; path: string }[] = [{ value, path: root }];
  while (pending.length && errors.length < MAX_REPORTED) {
    const { value: current, path } = pending.pop()!;
    if (typeof current === 'string') {
      const problem = problemOf(current);
      if (problem) errors.push({ field: path || 'body', message: `${path ? fieldLabel(path) : 'Тело запроса'}: ${problem}` });
    } else if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) pending.push({ value: current[i], path: `${path}[${i}]` });
    } else if (current !== null && typeof current === 'object') {
      const entries = Object.entries(current as Record<string, unknown>);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i];
        const childPath = path ? `${path}.${key}` : key;
        const problem = problemOf(key);
        if (problem) errors.push({ field: childPath, message: `Имя поля ${JSON.stringify(childPath)}: ${problem}` });
        else pending.push({ value: child, path: childPath });
      }
    }
  }
  return errors.sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0));
}

/** How deep a JSON body may nest objects and arrays: far beyond any request of this API, far below what costs stack. */
export const MAX_JSON_DEPTH = 64;

/** An error body-parser passes on with its status; the HTTP filter answers it as a 4xx. */
export class JsonBodyRefused extends Error {
  readonly expose = true;

  constructor(
    readonly status: number,
    readonly type: 'entity.too.deep' | 'charset.unsupported',
    message: string,
  ) {
    super(message);
  }
}

/**
 * A body-parser `verify` hook: refuses a JSON body nesting deeper than `maxDepth` before it is
 * parsed (JSON.parse and every validator after it walk a body recursively). It counts brackets
 * outside strings on the raw bytes, which is exact for UTF-8, the only charset accepted.
 */
export function refuseDeepJson(maxDepth = MAX_JSON_DEPTH) {
  return (_req: IncomingMessage, _res: unknown, buffer: Buffer, encoding: string): void => {
    if (encoding.toLowerCase().replace('-', '') !== 'utf8') {
      throw new JsonBodyRefused(415, 'charset.unsupported', 'Тело запроса должно быть в кодировке UTF-8');
    }
    if (jsonDepthExceeds(buffer, maxDepth)) {
      throw new JsonBodyRefused(400, 'entity.too.deep', `Тело запроса вложено глубже ${maxDepth} уровней`);
    }
  };
}

/** Whether JSON text nests objects/arrays deeper than `maxDepth` (strings skipped, escapes honoured). */
export function jsonDepthExceeds(buffer: Uint8Array, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < buffer.length; i++) {
    const byte = buffer[i];
    if (inString) {
      if (byte === 0x5c)
        i++; // backslash: the next byte is escaped
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) {
      inString = true;
    } else if (byte === 0x7b || byte === 0x5b) {
      if (++depth > maxDepth) return true;
    } else if (byte === 0x7d || byte === 0x5d) {
      depth--;
    }
  }
  return false;
}
