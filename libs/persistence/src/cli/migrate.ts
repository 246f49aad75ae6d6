import { migrate, openDatabase } from '../database';

/** `npm run migrate`: applies pending migrations to DATABASE_URL (or the embedded database). */
async function main(): Promise<void> {
  const target = await openDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: process.env.CUR_DATA_DIR ?? './data' });
  try {
    const applied = await migrate(target.options, target.embedded);
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
  } finally {
    await target.close();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
