/**
 * Imported first by every entry point. Resolves `@cur/<lib>` to `libs/<lib>/src` at run time for the compiled output (tsc keeps the
 * aliases of tsconfig "paths" as written); jest maps the aliases itself.
 */
import Module from 'node:module';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');
const moduleWithResolver = Module as unknown as {
  _resolveFilename: (this: unknown, request: string, parent: unknown, ...rest: unknown[]) => string;
};
const original = moduleWithResolver._resolveFilename;
moduleWithResolver._resolveFilename = function resolve(request: string, parent: unknown, ...rest: unknown[]): string {
  const match = /^@cur\/([a-z-]+)$/.exec(request);
  return original.call(this, match ? join(root, 'libs', match[1], 'src') : request, parent, ...rest);
};
