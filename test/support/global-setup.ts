import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { migrate, openDatabase } from '../../libs/persistence/src/database';
import { startInfrastructure } from './infrastructure';

/** Once per run: Kafka, a fresh database, migrations. Services under test come from dist/. */
export default async function globalSetup(): Promise<void> {
  if (!existsSync(join(__dirname, '../../dist/apps/standalone/src/main.js'))) {
    throw new Error('dist/ is missing: run `npm test` (it builds first) or `npm run build`');
  }
  const infra = await startInfrastructure('test');
  const database = await openDatabase({ databaseUrl: infra.databaseUrl, dataDir: '' });
  await migrate(database.options, false);
}
