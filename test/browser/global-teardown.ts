import { rmSync } from 'node:fs';

/** The embedded database of the run goes with it. */
export default function globalTeardown(): void {
  const dir = process.env.CUR_BROWSER_DATA_DIR;
  if (dir) rmSync(dir, { recursive: true, force: true });
}
