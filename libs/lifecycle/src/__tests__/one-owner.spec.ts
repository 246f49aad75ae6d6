import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === '__tests__' || name === 'node_modules' ? [] : sources(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/**
 * The one owner of a message's state change is the life cycle: any other writer of the message
 * row, its history or its status events would be a second copy of the rules (and the copies had
 * drifted apart: an imported row lost its due date). The repositories define the writes; only
 * the life cycle calls them.
 */
describe('one owner of a message’s state change', () => {
  const WRITES = [
    /\bmessages\.update\(/,
    /\bmessages\.updateMany\(/,
    /\.addHistory\(/,
    /\.insertIfNew\(/,
    /\.insertManyIfNew\(/,
    /\bupdate\(\s*MessageEntity\b/,
    /\bUPDATE\s+message\b/i,
    /\bINSERT\s+INTO\s+message(_event)?\b/i,
    /message\.status-changed/,
  ];
  const OWNERS = [
    'libs/lifecycle/src/message-lifecycle.ts',
    'libs/persistence/src/repositories/message.repository.ts',
    'libs/contracts/src/events/topic-events.ts',
    'libs/contracts/src/events/message-events.ts',
    'libs/contracts/src/events/fast-checks.ts',
  ];

  it('no code outside the life cycle writes a message, its history or its status events', () => {
    const offenders: string[] = [];
    for (const file of [...sources(join(ROOT, 'libs')), ...sources(join(ROOT, 'apps'))]) {
      const path = relative(ROOT, file);
      if (OWNERS.includes(path) || path.startsWith('libs/persistence/src/migrations/')) continue;
      const text = readFileSync(file, 'utf8');
      for (const pattern of WRITES) if (pattern.test(text)) offenders.push(`${path}: ${pattern}`);
    }
    expect(offenders).toEqual([]);
  });
});
