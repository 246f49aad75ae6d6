/**
 * Worker thread: reads a ПОС export off the service's event loop and spools its good rows, one JSON
 * object a line, to a file the service then writes to the database chunk by chunk. Imports nothing
 * of the application (no Nest, no database): only the parser.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { PosExportFormatError, PosExportLimitError, PosExportLimits, PosExportSummary, readPosExport } from './pos-export.parser';

export interface PosImportWorkerInput {
  file: string;
  spool: string;
  limits: PosExportLimits;
}

export type PosImportWorkerOutput =
  | { kind: 'parsed'; summary: PosExportSummary }
  | { kind: 'format'; message: string; missingColumns: string[] }
  | { kind: 'limit'; message: string; row: number | null; field: string | null };

async function run({ file, spool, limits }: PosImportWorkerInput): Promise<PosImportWorkerOutput> {
  const out = createWriteStream(spool);
  const closed = new Promise<void>((resolve, reject) => {
    out.on('close', resolve);
    out.on('error', reject);
  });
  try {
    const summary = await readPosExport(
      file,
      async (rows) => {
        if (!out.write(`${rows.map((row) => JSON.stringify(row)).join('\n')}\n`)) await once(out, 'drain');
      },
      limits,
    );
    return { kind: 'parsed', summary };
  } catch (error) {
    if (error instanceof PosExportFormatError) return { kind: 'format', message: error.message, missingColumns: error.missingColumns };
    if (error instanceof PosExportLimitError) return { kind: 'limit', message: error.message, row: error.row, field: error.field };
    throw error;
  } finally {
    out.end();
    await closed;
  }
}

run(workerData as PosImportWorkerInput).then(
  (output) => parentPort!.postMessage(output),
  (error: unknown) => {
    throw error;
  },
);
