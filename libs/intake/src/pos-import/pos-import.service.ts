import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Environment, RegionCatalog } from '@cur/config';
import { isOpen, timeOrderedId } from '@cur/domain';
import { ChangeBatch, MessageLifecycle } from '@cur/lifecycle';
import { MessageEntity, MessageRepository, PosAttributes } from '@cur/persistence';
import { Clock, DomainException, ErrorCode } from '@cur/platform';
import { PosExportLimits, PosExportRow, PosExportSummary, PosImportError } from './pos-export.parser';
import type { PosImportWorkerInput, PosImportWorkerOutput } from './pos-import.worker';
import { mapPosStatus } from './pos-status.mapping';

export const POS_EXPORT_SOURCE = 'pos-export';

/** Where uploads and spooled rows wait; each file is deleted once its import ends. */
export const POS_IMPORT_TMP_DIR = join(tmpdir(), 'cur-pos-import');

export interface PosImportResult {
  imported: number;
  updated: number;
  skipped: number;
  /** Row errors, at most CUR_POS_IMPORT_MAX_REPORTED_ERRORS of them. */
  errors: PosImportError[];
  /** Errors not listed because of that limit. */
  errorsOmitted: number;
  /** Rows left out because of errors. */
  rejectedRows: number;
  unmappedOrganizations: string[];
}

/** What every chunk of one file shares. */
export interface PosImportContext {
  actor: string;
  now: Date;
  /** Organization names not in the region's directory, gathered across chunks. */
  unmappedOrganizations: Set<string>;
}

export interface PosChunkOutcome {
  imported: number;
  updated: number;
  skipped: number;
  /** Events written to the outbox. */
  events: number;
}

type StoredPos = PosAttributes & { rowHash: string };

/** Another import inserted one of the chunk's rows between our read and our insert. */
class ChunkRaceError extends Error {}

const CHUNK_ATTEMPTS = 3;
/** The worker's heap: far above what the limits let it use, so a bug cannot take the service with it. */
const WORKER_HEAP_MB = 512;

/**
 * Imports a ПОС backoffice export. Rows carry no text; they become messages with their ПОС
 * attributes so queues, deadlines and reports see them. A Номер seen before is skipped when its row
 * is unchanged (by row hash) and updated when changed, so importing a file again changes nothing.
 *
 * The file is read whole first, in a worker thread, within the limits: a refused file (not an
 * export, or beyond a limit) writes nothing. Its good rows are then written in chunks, each chunk in
 * its own short transaction (messages, history and outbox events together), yielding between them,
 * so other requests — on the embedded database's single connection too — wait one chunk at most.
 * A crash halfway leaves whole rows, never half of one; importing the file again completes it.
 */
@Injectable()
export class PosImportService {
  private readonly logger = new Logger('PosImport');
  private readonly limits: PosExportLimits;
  private readonly chunkRows: number;
  /** One import at a time per process: its memory bound holds, and the database is shared fairly. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly lifecycle: MessageLifecycle,
    private readonly messages: MessageRepository,
    private readonly region: RegionCatalog,
    private readonly clock: Clock,
    env: Environment,
  ) {
    this.limits = {
      maxRows: env.CUR_POS_IMPORT_MAX_ROWS,
      maxColumns: env.CUR_POS_IMPORT_MAX_COLUMNS,
      maxCellChars: env.CUR_POS_IMPORT_MAX_CELL_CHARS,
      maxUnzippedBytes: env.CUR_POS_IMPORT_MAX_UNZIPPED_MB * 1024 * 1024,
      maxReportedErrors: env.CUR_POS_IMPORT_MAX_REPORTED_ERRORS,
    };
    this.chunkRows = env.CUR_POS_IMPORT_CHUNK_ROWS;
  }

  /** Imports the export at `file` (the caller owns the file and deletes it). */
  import(file: string, actor: string): Promise<PosImportResult> {
    const run = this.queue.then(() => this.run(file, actor));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async run(file: string, actor: string): Promise<PosImportResult> {
    await mkdir(POS_IMPORT_TMP_DIR, { recursive: true });
    const spool = join(POS_IMPORT_TMP_DIR, `${randomUUID()}.ndjson`);
    try {
      const startedAt = Date.now();
      const summary = await this.parse(file, spool);
      const parsedAt = Date.now();
      let chunks = 0;
      let longestChunkMs = 0;
      const context: PosImportContext = { actor, now: this.clock.now(), unmappedOrganizations: new Set() };
      const result: PosImportResult = {
        imported: 0,
        updated: 0,
        skipped: 0,
        errors: summary.errors,
        errorsOmitted: summary.errorsOmitted,
        rejectedRows: summary.rejectedRows,
        unmappedOrganizations: [],
      };
      for await (const rows of readSpool(spool, this.chunkRows)) {
        const chunkStart = Date.now();
        const outcome = await this.writeChunk(rows, context);
        chunks++;
        longestChunkMs = Math.max(longestChunkMs, Date.now() - chunkStart);
        result.imported += outcome.imported;
        result.updated += outcome.updated;
        result.skipped += outcome.skipped;
        if (outcome.events) this.lifecycle.wake();
        await yieldToEventLoop();
      }
      result.unmappedOrganizations = [...context.unmappedOrganizations].sort();
      this.logger.log(
        `${summary.totalRows} rows read in ${parsedAt - startedAt} ms (${summary.rejectedRows} rejected); ` +
          `${result.imported} imported, ${result.updated} updated, ${result.skipped} unchanged in ${Date.now() - parsedAt} ms, ${chunks} chunks, longest ${longestChunkMs} ms`,
      );
      return result;
    } finally {
      await rm(spool, { force: true });
    }
  }

  /** Reads the whole file in a worker thread; good rows go to the spool, refusals become 4xx. */
  private async parse(file: string, spool: string): Promise<PosExportSummary> {
    const input: PosImportWorkerInput = { file, spool, limits: this.limits };
    const worker = new Worker(join(__dirname, 'pos-import.worker.js'), {
      workerData: input,
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
    });
    const output = await new Promise<PosImportWorkerOutput>((resolve, reject) => {
      let answer: PosImportWorkerOutput | undefined;
      let failure: unknown;
      worker.once('message', (message: PosImportWorkerOutput) => (answer = message));
      worker.once('error', (error) => (failure = error));
      worker.once('exit', (code) => {
        if (answer) resolve(answer);
        else if ((failure as { code?: string } | undefined)?.code === 'ERR_WORKER_OUT_OF_MEMORY') {
          // Within every limit yet too much to hold (e.g. a gigabyte of distinct shared strings): the service lives on.
          resolve({ kind: 'limit', message: `разбор файла требует больше ${WORKER_HEAP_MB} МБ памяти`, row: null, field: null });
        } else reject(failure instanceof Error ? failure : new Error(`ПОС import worker exited with ${code}`));
      });
    });
    switch (output.kind) {
      case 'parsed':
        return output.summary;
      case 'format':
        throw new DomainException(
          ErrorCode.BadFile,
          output.message,
          output.missingColumns.length
            ? output.missingColumns.map((c) => ({ field: c, message: `нет колонки «${c}»` }))
            : [{ field: 'file', message: output.message }],
        );
      case 'limit':
        throw new DomainException(ErrorCode.PayloadTooLarge, `Выгрузка не принята: ${output.message}`, [
          { row: output.row ?? undefined, field: output.field ?? 'file', message: output.message },
        ]);
    }
  }

  /** One chunk in its own transaction; retried when a concurrent import raced it for a row. */
  private async writeChunk(rows: PosExportRow[], context: PosImportContext): Promise<PosChunkOutcome> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.messages.transaction((manager) => this.writeRows(manager, rows, context));
      } catch (error) {
        if (!(error instanceof ChunkRaceError) || attempt >= CHUNK_ATTEMPTS) {
          if (error instanceof ChunkRaceError) {
            throw new DomainException(ErrorCode.Conflict, `${error.message}: эти строки загружает другой импорт, повторите загрузку`);
          }
          throw error;
        }
      }
    }
  }

  /**
   * The write of a chunk of parsed rows, inside the caller's transaction, through the message life
   * cycle in its batch mode: each row becomes a new message, a change of the message with its Номер
   * (the portal's status recorded as it is), or nothing when its row hash is unchanged; the history
   * entries and events of the chunk are written together. Nothing else in this service knows how.
   */
  async writeRows(manager: EntityManager, rows: PosExportRow[], context: PosImportContext): Promise<PosChunkOutcome> {
    const { actor, now } = context;
    const outcome: PosChunkOutcome = { imported: 0, updated: 0, skipped: 0, events: 0 };
    const known = new Map(
      (
        await this.messages.findImportState(
          manager,
          POS_EXPORT_SOURCE,
          rows.map((r) => r.number),
        )
      ).map((m) => [m.externalId, m]),
    );
    const changed = rows.map((row) => ({ row, fields: this.toMessageFields(row, context.unmappedOrganizations), before: known.get(row.number) }));
    const updates = changed.filter((c) => c.before && c.before.rowHash !== c.fields.pos.rowHash);
    outcome.skipped = changed.filter((c) => c.before && c.before.rowHash === c.fields.pos.rowHash).length;
    const locked = await this.lifecycle.lock(
      manager,
      updates.map((c) => c.before!.id),
    );
    const batch = new ChangeBatch();
    for (const { row, fields, before } of updates) {
      const message = locked.get(before!.id);
      if (!message) throw new ChunkRaceError(`Сообщение № ${row.number}`);
      // The portal says where the message is: its status is recorded as it is (imposed), with the portal's own term.
      const { status, ...rest } = fields;
      await this.lifecycle.apply(
        manager,
        message,
        actor,
        { to: status, type: 'import-updated', reason: reasonOf(row), data: dataOf(row), fields: rest, imposed: true },
        now,
        batch,
      );
      outcome.updated++;
    }
    const inserts = changed.filter((c) => !c.before);
    const { size: created } = await this.lifecycle.admitMany(
      manager,
      inserts.map(({ row, fields }) => ({
        message: {
          ...fields,
          id: timeOrderedId(),
          region: this.region.data.code,
          source: POS_EXPORT_SOURCE,
          externalId: row.number,
          text: null,
          categoryHint: null,
          statusChangedAt: now,
          receivedAt: now,
          url: null,
        },
        entry: { type: 'imported', reason: reasonOf(row), data: dataOf(row) },
      })),
      actor,
      batch,
    );
    if (created < inserts.length) throw new ChunkRaceError(`Сообщения № ${inserts.map((c) => c.row.number).join(', ')}`);
    outcome.imported = created;
    await this.lifecycle.flush(manager, batch, now);
    outcome.events = batch.events.length;
    return outcome;
  }

  private toMessageFields(row: PosExportRow, unmapped: Set<string>) {
    const orgName = row.currentOrganization ?? row.receivedByOrganization;
    const organization = this.region.organizationByName(orgName);
    if (orgName && !organization) unmapped.add(orgName);
    for (const other of [row.receivedByOrganization]) {
      if (other && !this.region.organizationByName(other)) unmapped.add(other);
    }
    const territory = organization?.territoryId ? this.region.territory(organization.territoryId) : undefined;
    const status = mapPosStatus(row);
    const dueAt = row.plannedCompletionAt ? new Date(row.plannedCompletionAt) : null;
    const { number, category, subcategory, fact, receivedAt, ...rest } = row;
    delete (rest as Partial<PosExportRow>).rowNumber; // where the row sat in this file is no part of the message
    const pos: StoredPos = { number, ...rest, rowHash: '' };
    pos.rowHash = createHash('sha256')
      .update(JSON.stringify({ number, category, subcategory, fact, receivedAt, ...rest }))
      .digest('hex');
    const fz59 = /59/.test(row.lawType ?? '') || row.applicantChose59Fz === true;
    return {
      channel: fz59 ? ('appeal' as const) : ('pos' as const),
      territoryId: territory?.id ?? null,
      territoryRaw: null,
      importance: row.fastTrack ? ('high' as const) : ('normal' as const),
      categoryCode: this.region.categoryByName(category)?.code ?? null,
      sourceCategory: category,
      sourceSubcategory: subcategory,
      sourceFact: fact,
      organizationId: organization?.id ?? null,
      organizationRaw: organization ? null : orgName,
      status,
      createdAt: new Date(receivedAt),
      dueAt,
      answeredAt: row.actualCompletionAt ? new Date(row.actualCompletionAt) : null,
      overdue: row.overdue ?? (dueAt !== null && isOpen(status) && dueAt < this.clock.now()),
      classification: { method: 'import', suggestions: [] },
      pos,
    } satisfies Partial<MessageEntity>;
  }
}

/** The spooled rows back, `size` at a time. */
async function* readSpool(path: string, size: number): AsyncGenerator<PosExportRow[]> {
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  let chunk: PosExportRow[] = [];
  for await (const line of lines) {
    if (!line) continue;
    chunk.push(JSON.parse(line) as PosExportRow);
    if (chunk.length >= size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length) yield chunk;
}

function reasonOf(row: PosExportRow): string {
  return `Выгрузка ПОС, строка ${row.rowNumber}`;
}

function dataOf(row: PosExportRow): Record<string, unknown> {
  return { posNumber: row.number, posStatus: row.status, posStage: row.stage };
}
