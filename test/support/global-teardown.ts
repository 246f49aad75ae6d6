import { stopInfrastructure } from './infrastructure';

/** How long the run may take to end by itself once everything is stopped. */
const EXIT_GRACE_MS = 30_000;

export default async function globalTeardown(): Promise<void> {
  await stopInfrastructure();
  // A service a test left running (its relay retrying each second, a listener) keeps jest alive
  // forever and the CI run ends in a timeout that names nothing. Past the grace period the run
  // fails instead, saying what was still open. The timer itself holds nothing open.
  setTimeout(() => {
    const open = (process as unknown as { _getActiveHandles(): object[] })._getActiveHandles().map((handle) => handle.constructor.name);
    const counts = [...new Set(open)].map((name) => `${name} ×${open.filter((n) => n === name).length}`).join(', ');
    process.stderr.write(
      `\nThe test run did not end ${EXIT_GRACE_MS / 1000} s after its last suite: something a test started still runs (${counts}). Failing the run.\n`,
    );
    process.exit(1);
  }, EXIT_GRACE_MS).unref();
}
