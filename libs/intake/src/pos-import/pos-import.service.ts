import { createHash, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { RegionCatalog } from '@cur/config';
import { isOpen } from '@cur/domain';
import { ChangeBatch, MessageLifecycle } from '@cur/lifecycle';
import { MessageEntity, MessageRepository, PosAttributes } from '@cur/persistence';
import { Clock, DomainException, ErrorCode } from '@cur/platform';
import { parsePosExport, PosExportFormatError, PosExportRow, PosImportError } from './pos-export.parser';
import { mapPosStatus } from './pos-status.mapping';

export const POS_EXPORT_SOURCE = 'pos-export';

export interface PosImportResult {
  imported: number;
  updated: number;
  skipped: number;
  errors: PosImportError[];
  unmappedOrganizations: string[];
}

type StoredPos = PosAttributes & { rowHash: string };

/**
 * Imports a ПОС backoffice export. Rows carry no text; they become messages with their ПОС
 * attributes so queues, deadlines and reports see them. Good rows are taken in one transaction,
 * bad rows are reported; a Номер seen before is skipped when unchanged and updated when changed.
 */
@Injectable()
export class PosImportService {
  constructor(
    private readonly lifecycle: MessageLifecycle,
    private readonly messages: MessageRepository,
    private readonly region: RegionCatalog,
    private readonly clock: Clock,
  ) {}

  async import(file: Buffer, actor: string): Promise<PosImportResult> {
    let parsed;
    try {
      parsed = await parsePosExport(file);
    } catch (error) {
      if (error instanceof PosExportFormatError) {
        throw new DomainException(
          ErrorCode.BadFile,
          error.message,
          error.missingColumns.length ? error.missingColumns.map((c) => ({ field: c, message: `нет колонки «${c}»` })) : [{ field: 'file', message: error.message }],
        );
      }
      throw error;
    }
    const now = this.clock.now();
    const unmapped = new Set<string>();
    const result: PosImportResult = { imported: 0, updated: 0, skipped: 0, errors: parsed.errors, unmappedOrganizations: [] };
    const batch = new ChangeBatch();

    await this.messages.transaction(async (manager) => {
      for (let start = 0; start < parsed.rows.length; start += 500) {
        const chunk = parsed.rows.slice(start, start + 500);
        const known = await this.messages.findBySourceKeys(manager, POS_EXPORT_SOURCE, chunk.map((r) => r.number));
        const locked = await this.lifecycle.lock(manager, known.map((m) => m.id));
        const existing = new Map([...locked.values()].map((m) => [m.externalId, m]));
        for (const row of chunk) {
          const fields = this.toMessageFields(row, unmapped);
          const before = existing.get(row.number);
          if (before && (before.pos as StoredPos | null)?.rowHash === fields.pos.rowHash) {
            result.skipped++;
            continue;
          }
          const reason = `Выгрузка ПОС, строка ${row.rowNumber}`;
          const data = { posNumber: row.number, posStatus: row.status, posStage: row.stage };
          if (before) {
            // The portal says where the message is: its status is recorded as it is (imposed), with the portal's own term.
            const { status, ...rest } = fields;
            await this.lifecycle.apply(manager, before, actor, { to: status, type: 'import-updated', reason, data, fields: rest, imposed: true }, now, batch);
            result.updated++;
          } else {
            const stored = await this.lifecycle.admit(
              manager,
              { ...fields, id: randomUUID(), region: this.region.data.code, source: POS_EXPORT_SOURCE, externalId: row.number, text: null, categoryHint: null, statusChangedAt: now, receivedAt: now, url: null },
              actor,
              { type: 'imported', reason, data },
              [],
              batch,
            );
            if (!stored.created) {
              // Another import took this row between our read and our insert: refuse the whole file.
              throw new DomainException(ErrorCode.Conflict, `Строка ${row.rowNumber}: сообщение № ${row.number} загружается другим импортом, повторите загрузку`);
            }
            result.imported++;
          }
        }
      }
      await this.lifecycle.flush(manager, batch, now);
    });
    if (batch.events.length) this.lifecycle.wake();
    result.unmappedOrganizations = [...unmapped].sort();
    return result;
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
    const { rowNumber: _row, number, category, subcategory, fact, receivedAt, ...rest } = row;
    const pos: StoredPos = { number, ...rest, rowHash: '' };
    pos.rowHash = createHash('sha256').update(JSON.stringify({ number, category, subcategory, fact, receivedAt, ...rest })).digest('hex');
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
