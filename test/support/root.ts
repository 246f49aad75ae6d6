import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository root, from sources (jest) or from dist/ (benchmarks). */
export const ROOT = (() => {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('repository root not found');
    dir = parent;
  }
  return dir;
})();
